/** Idempotency-Key on the three POST routes (memory and file stores; PostgreSQL in test/state). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLedger } from '../../src/billing/ledger.ts';
import { openFileIdempotencyStore } from '../../src/state/idempotency/file-store.ts';
import { createMemoryIdempotencyStore, type IdempotencyStore } from '../../src/state/idempotency/store.ts';
import { createHarness, KEYS, validBody } from '../support/app.ts';
import { ID_IMAGE, movableClock, post } from '../support/face-match.ts';
import { selfieWithSimilarity } from '../support/fake-engine.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const ROUTES = [
  { path: '/v1/face-comparison', body: () => validBody({ selfie: selfieWithSimilarity(0.95) }), other: () => validBody({ selfie: selfieWithSimilarity(0.2) }), code: (j: { code?: string }) => j.code },
  { path: '/v1/face-match', body: () => ({ selfie: selfieWithSimilarity(0.95), idImage: ID_IMAGE }), other: () => ({ selfie: selfieWithSimilarity(0.5), idImage: ID_IMAGE }), code: (j: { code?: string }) => j.code },
  { path: '/v1/face-match-report', body: () => ({ selfie: selfieWithSimilarity(0.95), idImage: ID_IMAGE }), other: () => ({ selfie: selfieWithSimilarity(0.5), idImage: ID_IMAGE }), code: (j: { code?: string }) => j.code },
] as const;

describe.each(ROUTES)('Idempotency-Key on $path', (route) => {
  it('a retry with the same key and body returns the first answer and is charged once', async () => {
    const ledger = createMemoryLedger();
    const h = createHarness({ ledger });
    const body = route.body();
    const headers = { 'Idempotency-Key': 'order-42-attempt' };
    const first = await post(h, route.path, body, { headers });
    expect(first.status).toBe(200);
    const firstText = await first.text();
    const second = await post(h, route.path, body, { headers });
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await second.text()).toBe(firstText);
    expect(ledger.records).toHaveLength(1);
    expect(ledger.records.filter((r) => r.charged)).toHaveLength(1);
  });

  it('the same key with another body is a 409 in the route envelope, and nothing runs', async () => {
    const ledger = createMemoryLedger();
    const h = createHarness({ ledger });
    const headers = { 'Idempotency-Key': 'k-1' };
    expect((await post(h, route.path, route.body(), { headers })).status).toBe(200);
    const res = await post(h, route.path, route.other(), { headers });
    expect(res.status).toBe(409);
    const json = await res.json();
    expect(route.code(json)).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(ledger.records).toHaveLength(1);
  });
});

describe('Idempotency-Key rules', () => {
  it('keys are per organisation: another org with the same key runs its own request', async () => {
    const ledger = createMemoryLedger();
    const h = createHarness({ ledger });
    const headers = { 'Idempotency-Key': 'shared-key' };
    await h.compare(validBody({ selfie: selfieWithSimilarity(0.95) }), { headers });
    const other = await h.compare(validBody({ selfie: selfieWithSimilarity(0.95) }), { headers, key: KEYS.other });
    expect(other.status).toBe(200);
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    expect(ledger.records.map((r) => r.org_id)).toEqual(['acme', 'globex']);
  });

  it('a malformed key is a 400 VALIDATION_ERROR', async () => {
    const h = createHarness();
    for (const bad of ['has space', 'x'.repeat(256), 'é']) {
      const res = await h.compare(validBody({ selfie: selfieWithSimilarity(0.95) }), { headers: { 'Idempotency-Key': bad } });
      expect(res.status).toBe(400);
      expect((await res.json()).code).toBe('VALIDATION_ERROR');
    }
  });

  it('a 5xx answer is not kept: the retry runs again', async () => {
    const ledger = createMemoryLedger();
    let fail = true;
    const h = createHarness({ ledger });
    const record = ledger.record.bind(ledger);
    ledger.record = async (e) => {
      if (fail && e.result === 'CONFIRMED') throw new Error('disk full');
      return record(e);
    };
    const headers = { 'Idempotency-Key': 'retry-me' };
    const body = validBody({ selfie: selfieWithSimilarity(0.95) });
    expect((await h.compare(body, { headers })).status).toBe(503);
    fail = false;
    const retry = await h.compare(body, { headers });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(ledger.records.filter((r) => r.charged)).toHaveLength(1);
  });

  it('records expire after 24 hours', async () => {
    const clock = movableClock();
    const ledger = createMemoryLedger();
    const h = createHarness({ ledger, clock });
    const headers = { 'Idempotency-Key': 'day-old' };
    const body = validBody({ selfie: selfieWithSimilarity(0.95) });
    await h.compare(body, { headers });
    clock.advance(24 * 3600_000 + 1);
    const later = await h.compare(validBody({ selfie: selfieWithSimilarity(0.2) }), { headers });
    expect(later.status).toBe(200);
    expect(ledger.records).toHaveLength(2);
  });

  it('a concurrent duplicate while the first runs gets IDEMPOTENCY_KEY_IN_PROGRESS (retryable)', async () => {
    const store: IdempotencyStore = createMemoryIdempotencyStore();
    const h = createHarness({ idempotency: store });
    const scope = { orgId: 'acme', keyHash: 'x' };
    // Claim directly, as a first request still running on another replica would.
    const { hashIdempotencyKey } = await import('../../src/state/idempotency/seal.ts');
    const body = JSON.stringify(validBody({ selfie: selfieWithSimilarity(0.95) }));
    const { createHash } = await import('node:crypto');
    const requestHash = createHash('sha256').update('POST /v1/face-comparison\n').update(body).digest('hex');
    await store.begin({ ...scope, keyHash: hashIdempotencyKey('busy', 'acme') }, requestHash, new Date('2026-11-23T12:00:00.000Z'));
    const res = await h.compare(body, { headers: { 'Idempotency-Key': 'busy' } });
    expect(res.status).toBe(409);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_PROGRESS', retryable: true });
  });

  it('the file store survives a restart, and keeps no body, no key and no clear answer', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'facematch-idem-'));
    dirs.push(dir);
    const file = path.join(dir, 'idempotency.jsonl');
    const ledger = createMemoryLedger();
    const headers = { 'Idempotency-Key': 'survives-restart-1' };
    const body = validBody({ selfie: selfieWithSimilarity(0.95) });
    const store1 = await openFileIdempotencyStore(file);
    const first = await (await createHarness({ ledger, idempotency: store1 }).compare(body, { headers })).text();
    await store1.close();
    const stored = readFileSync(file, 'utf8');
    expect(stored).not.toContain('survives-restart-1');
    expect(stored).not.toContain(JSON.stringify(body).slice(0, 60));
    expect(stored).not.toContain('CONFIRMED');
    expect(stored).not.toContain(JSON.parse(first).data.identity.full_name);

    const store2 = await openFileIdempotencyStore(file, () => new Date('2026-11-23T12:00:01.000Z'));
    const again = await createHarness({ ledger, idempotency: store2 }).compare(body, { headers });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.text()).toBe(first);
    expect(ledger.records).toHaveLength(1);
    await store2.close();
  });
});
