import { describe, expect, it } from 'vitest';
import { FaceMatchEnvelopeSchema } from '../../src/api/face-match.ts';
import { createMemoryLedger } from '../../src/billing/ledger.ts';
import { createHarness, KEYS, validBody } from '../support/app.ts';
import { selfieWithSimilarity } from '../support/fake-engine.ts';
import { ID_IMAGE, post } from '../support/face-match.ts';

const PATH = '/v1/face-match';
const GOOD = selfieWithSimilarity(0.95);

describe('POST /v1/face-match: authentication in the strict envelope', () => {
  it.each([
    ['no Authorization header', null, undefined],
    ['a Basic header', null, { authorization: 'Basic dXNlcjpwYXNz' }],
    ['an unknown key', 'fm_not_a_real_key_000000000000000000', undefined],
    ['a revoked key', KEYS.revoked, undefined],
  ])('answers 401 UNAUTHORIZED for %s', async (_what, key, headers) => {
    const ledger = createMemoryLedger();
    const h = createHarness({ ledger });
    const res = await post(h, PATH, { selfie: GOOD, idImage: ID_IMAGE }, { key, headers });
    expect(res.status).toBe(401);
    const body = await res.json();
    expect(FaceMatchEnvelopeSchema.safeParse(body).success).toBe(true);
    expect(body).toMatchObject({ status: 'ERROR', code: 'UNAUTHORIZED', billable: false, result: null });
    expect(body).not.toHaveProperty('success');
    expect(body.requestId).toBe(res.headers.get('x-request-id'));
    expect(body.requestId).toHaveLength(12);
    expect(body.timestamp).toBe('2026-11-23T06:00:00.000-06:00');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(h.engine.calls.selfie).toBe(0);
    expect(ledger.records).toHaveLength(0);
  });

  it('authenticates before reading the body', async () => {
    const h = createHarness();
    const res = await post(h, PATH, '{not json', { key: null });
    expect(res.status).toBe(401);
    expect((await res.json()).code).toBe('UNAUTHORIZED');
  });

  it.each([
    ['an unapproved organisation', KEYS.unapproved],
    ['an organisation without face_match', KEYS.unsubscribed],
  ])('answers 403 FORBIDDEN for %s', async (_what, key) => {
    const h = createHarness();
    const res = await post(h, PATH, { selfie: GOOD, idImage: ID_IMAGE }, { key });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ status: 'ERROR', code: 'FORBIDDEN', billable: false, result: null });
  });

  it('keeps the face-comparison envelope on /v1/face-comparison (the profile is per route)', async () => {
    const h = createHarness();
    const res = await h.compare(validBody({ selfie: GOOD }), { key: null });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ success: false, code: 'UNAUTHORIZED', data: null, retryable: false });
  });
});

describe('POST /v1/face-match: limits and privacy', () => {
  it('rejects a body over the server limit with 413 INVALID_REQUEST in the strict envelope', async () => {
    const h = createHarness({ limits: { maxBodyBytes: 4096 } });
    const res = await post(h, PATH, { selfie: 'A'.repeat(8192), idImage: ID_IMAGE });
    expect(res.status).toBe(413);
    const body = await res.json();
    expect(body).toMatchObject({ status: 'ERROR', code: 'INVALID_REQUEST', billable: false, result: null, errors: [{ field: 'body' }] });
    expect(h.engine.calls.selfie).toBe(0);
  });

  it('logs with the request id and never logs the images or the key', async () => {
    const h = createHarness();
    const body = await (await post(h, PATH, { selfie: GOOD, idImage: ID_IMAGE })).json();
    const lines = h.logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.some((l) => l.request_id === body.requestId && l.msg === 'face match analysed')).toBe(true);
    const all = h.logLines.join('\n');
    expect(all).not.toContain(GOOD);
    expect(all).not.toContain(ID_IMAGE);
    expect(all).not.toContain('FAKEIMG');
    expect(all).not.toContain(KEYS.approved);
    expect(all).not.toMatch(/embedding/);
  });
});
