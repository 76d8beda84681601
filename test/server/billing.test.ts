import { appendFileSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openUsageLedger } from '../../src/billing/ledger.ts';
import { isCharged } from '../../src/policy/charges.ts';
import { createHarness, tempLedger, validBody } from '../support/app.ts';
import { fakeImage, selfieWithSimilarity } from '../support/fake-engine.ts';
import { IDS } from '../support/registry.ts';

const entry = (result: string, org = 'acme', ts = '2026-11-23T10:00:00.000Z', request_id = 'AAAAAAAAAAAA') => ({ ts, request_id, org_id: org, endpoint: '/v1/face-comparison', result });

describe('billing rule', () => {
  it('charges only CONFIRMED', () => {
    expect(isCharged('/v1/face-comparison', 'CONFIRMED')).toBe(true);
    for (const r of ['MISMATCH', 'LANDMARKS_NOT_FOUND', 'ID_NOT_FOUND', 'SERVICE_ERROR', 'INVALID_INPUT']) expect(isCharged('/v1/face-comparison', r)).toBe(false);
  });

  it('charges a CONFIRMED comparison and nothing else over HTTP', async () => {
    const { ledger, file } = await tempLedger();
    const h = createHarness({ ledger });
    await h.compare(validBody({ selfie: selfieWithSimilarity(0.95) }));
    await h.compare(validBody({ selfie: selfieWithSimilarity(0.2) }));
    await h.compare(validBody({ selfie: fakeImage('NOFACE') }));
    await h.compare(validBody({ selfie: selfieWithSimilarity(0.95), id_number: IDS.down }));
    await ledger.close();
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.result, l.charged])).toEqual([
      ['CONFIRMED', true],
      ['MISMATCH', false],
      ['LANDMARKS_NOT_FOUND', false],
      ['SERVICE_ERROR', false],
    ]);
    for (const l of lines) {
      expect(Object.keys(l).sort()).toEqual(['charged', 'endpoint', 'org_id', 'request_id', 'result', 'ts', 'v']);
      expect(l.request_id).toHaveLength(12);
    }
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('12345678');
    expect(text).not.toContain('FAKEIMG');
  });

  it('does not meter requests rejected before the comparison (401, 403, validation)', async () => {
    const { ledger, file } = await tempLedger();
    const h = createHarness({ ledger });
    await h.compare(validBody({ selfie: selfieWithSimilarity(0.95) }), { key: null });
    await h.compare({ id_type: 'TEST_ID' });
    await ledger.close();
    expect(readFileSync(file, 'utf8')).toBe('');
  });

  it('refuses to release a CONFIRMED result it cannot record', async () => {
    const h = createHarness({
      ledger: {
        record: async () => {
          throw new Error('disk full');
        },
        usage: async () => ({ totals: { requests: 0, confirmed: 0, mismatch: 0, errors: 0, charged: 0 }, daily: [] }),
        close: async () => {},
      },
    });
    const res = await h.compare(validBody({ selfie: selfieWithSimilarity(0.95) }));
    // Nothing was charged and nothing released: a retryable 503, like any storage outage.
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBeTruthy();
    expect(await res.json()).toMatchObject({ code: 'SERVICE_ERROR', retryable: true });
  });
});

describe('usage ledger file', () => {
  it('survives a restart: write, reopen, read the same totals', async () => {
    const { ledger, file } = await tempLedger();
    await ledger.record(entry('CONFIRMED'));
    await ledger.record(entry('MISMATCH'));
    await ledger.record(entry('CONFIRMED', 'acme', '2026-11-24T01:00:00.000Z'));
    await ledger.record(entry('CONFIRMED', 'globex'));
    const before = await ledger.usage('acme');
    await ledger.close();

    const reopened = await openUsageLedger(file);
    expect(await reopened.usage('acme')).toEqual(before);
    expect(before.totals).toEqual({ requests: 3, confirmed: 2, mismatch: 1, errors: 0, charged: 2 });
    expect(before.daily.map((d) => [d.date, d.charged])).toEqual([
      ['2026-11-23', 1],
      ['2026-11-24', 1],
    ]);
    expect((await reopened.usage('globex')).totals.charged).toBe(1);
    await reopened.record(entry('ID_NOT_FOUND'));
    expect((await reopened.usage('acme')).totals).toMatchObject({ requests: 4, errors: 1, charged: 2 });
    await reopened.close();
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(5);
  });

  it('skips a torn last line and keeps appending on a fresh line', async () => {
    const { ledger, file } = await tempLedger();
    await ledger.record(entry('CONFIRMED'));
    await ledger.close();
    appendFileSync(file, '{"v":1,"ts":"2026-11-23T1');
    const reopened = await openUsageLedger(file);
    expect((await reopened.usage('acme')).totals.requests).toBe(1);
    await reopened.record(entry('CONFIRMED'));
    await reopened.close();
    const again = await openUsageLedger(file);
    expect((await again.usage('acme')).totals).toMatchObject({ requests: 2, charged: 2 });
    await again.close();
  });

  it('keeps lines whole under concurrent writes', async () => {
    const { ledger, file } = await tempLedger();
    await Promise.all(Array.from({ length: 50 }, (_, i) => ledger.record(entry(i % 2 ? 'MISMATCH' : 'CONFIRMED', 'acme', '2026-11-23T10:00:00.000Z', `R${String(i).padStart(11, '0')}`))));
    await ledger.close();
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(50);
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
  });

  it('creates the folder of a new ledger file', async () => {
    const { file } = await tempLedger();
    const nested = file.replace('usage.jsonl', 'a/b/usage.jsonl');
    const ledger = await openUsageLedger(nested);
    await ledger.record(entry('CONFIRMED'));
    await ledger.close();
    expect(readFileSync(nested, 'utf8')).toContain('"charged":true');
  });
});
