import { describe, expect, it } from 'vitest';
import { FaceComparisonResponseSchema } from '../../src/api/face-comparison.ts';
import { createAccountStore } from '../../src/accounts/store.ts';
import { createHarness, testAccounts, validBody } from '../support/app.ts';
import { selfieWithSimilarity } from '../support/fake-engine.ts';
import { IDENTITY } from '../support/registry.ts';

/** The test accounts with every organisation's threshold floor set to `floor`. */
const accountsWithFloor = (floor: number) => {
  const accounts = testAccounts();
  return createAccountStore({ ...accounts, organisations: accounts.organisations.map((o) => ({ ...o, threshold_floor: floor })) });
};

describe('POST /v1/face-comparison (happy paths)', () => {
  it('returns CONFIRMED / STRONG_MATCH with the identity record and a 12-character request id', async () => {
    const h = createHarness();
    const res = await h.compare(validBody({ selfie: selfieWithSimilarity(0.912) }));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(FaceComparisonResponseSchema.safeParse(body).success).toBe(true);
    expect(body).toMatchObject({
      success: true,
      code: 'SUCCESS',
      verification_type: 'ID_FACE_MATCH',
      data: {
        match_result: 'CONFIRMED',
        confidence: { score: 0.91, threshold: 0.75, status: 'STRONG_MATCH' },
        identity: IDENTITY,
        details: { reason_code: 'MATCH_SUCCESS', faces_in_selfie: 1, source: 'test-registry' },
      },
      meta: { cache: 'miss' },
    });
    expect(body.data.details.remarks).toMatch(/matches/);
    expect(body.meta.request_id).toHaveLength(12);
    expect(res.headers.get('x-request-id')).toBe(body.meta.request_id);
  });

  it('classifies MATCH between the threshold and 0.85', async () => {
    const h = createHarness();
    const body = await (await h.compare(validBody({ selfie: selfieWithSimilarity(0.8) }))).json();
    expect(body.data).toMatchObject({ match_result: 'CONFIRMED', confidence: { score: 0.8, status: 'MATCH' }, details: { reason_code: 'MATCH_SUCCESS' } });
  });

  it('returns MISMATCH / NO_MATCH below the threshold (still HTTP 200)', async () => {
    const h = createHarness();
    const res = await h.compare(validBody({ selfie: selfieWithSimilarity(0.42) }));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.success).toBe(true);
    expect(body.data).toMatchObject({ match_result: 'MISMATCH', confidence: { score: 0.42, threshold: 0.75, status: 'NO_MATCH' }, details: { reason_code: 'SCORE_BELOW_THRESHOLD' } });
  });

  it('applies the request threshold: 0.88 with a 0.9 threshold is a mismatch, with 0.6 a strong match', async () => {
    const h = createHarness();
    const strict = await (await h.compare(validBody({ selfie: selfieWithSimilarity(0.88), threshold: 0.9 }))).json();
    expect(strict.data.match_result).toBe('MISMATCH');
    expect(strict.data.confidence).toEqual({ score: 0.88, threshold: 0.9, status: 'NO_MATCH' });
    const lax = await (await h.compare(validBody({ selfie: selfieWithSimilarity(0.88), threshold: 0.6 }))).json();
    expect(lax.data.confidence).toEqual({ score: 0.88, threshold: 0.6, status: 'STRONG_MATCH' });
  });

  it('accepts the threshold bounds 0 and 1 (for an organisation whose floor is 0) and compares the rounded score', async () => {
    const h = createHarness({ accounts: accountsWithFloor(0) });
    const zero = await (await h.compare(validBody({ selfie: selfieWithSimilarity(0.01), threshold: 0 }))).json();
    expect(zero.data.match_result).toBe('CONFIRMED');
    const edge = await (await h.compare(validBody({ selfie: selfieWithSimilarity(0.746), threshold: 0.75 }))).json();
    expect(edge.data.confidence.score).toBe(0.75);
    expect(edge.data.match_result).toBe('CONFIRMED');
    const one = await (await h.compare(validBody({ selfie: selfieWithSimilarity(0.99), threshold: 1 }))).json();
    expect(one.data.match_result).toBe('MISMATCH');
  });

  it('accepts a data URL selfie', async () => {
    const h = createHarness();
    const res = await h.compare(validBody({ selfie: `data:image/jpeg;base64,${selfieWithSimilarity(0.9)}` }));
    expect(res.status).toBe(200);
  });

  it('reports the number of faces in the selfie', async () => {
    const h = createHarness();
    const body = await (await h.compare(validBody({ selfie: selfieWithSimilarity(0.9, 3) }))).json();
    expect(body.data.details.faces_in_selfie).toBe(3);
    expect(body.data.details.remarks).toMatch(/3 faces/);
  });

  it('serves the reference from the cache on the second request (registry called once)', async () => {
    const h = createHarness();
    const first = await (await h.compare(validBody({ selfie: selfieWithSimilarity(0.9) }))).json();
    const second = await (await h.compare(validBody({ selfie: selfieWithSimilarity(0.5) }))).json();
    expect(first.meta.cache).toBe('miss');
    expect(second.meta.cache).toBe('hit');
    expect(h.registry.adapter.lookups).toBe(1);
    expect(h.engine.calls.reference).toBe(1);
    expect(first.data.identity).toEqual(IDENTITY);
    expect(second.data.match_result).toBe('MISMATCH');
    // A MISMATCH carries no registry data (data minimisation), only what the caller sent, masked.
    expect(second.data.identity).toEqual({ record: 'WITHHELD', id_type: 'TEST_ID', id_number: '******78' });
  });

  it('does not reuse a cached reference computed by another engine version', async () => {
    const h = createHarness();
    await h.compare(validBody({ selfie: selfieWithSimilarity(0.9) }));
    const key = 'TEST_ID';
    const cached = (await h.services.cache.get(key, '12345678'))!;
    await h.services.cache.set(key, '12345678', { ...cached, engineVersion: 'older-engine' });
    const again = await (await h.compare(validBody({ selfie: selfieWithSimilarity(0.9) }))).json();
    expect(again.meta.cache).toBe('miss');
    expect(h.registry.adapter.lookups).toBe(2);
  });

  it('caches no photo bytes: only identity, embedding, engine version and the photo hash', async () => {
    const h = createHarness();
    await h.compare(validBody({ selfie: selfieWithSimilarity(0.9) }));
    const entry = h.services.cache.get('TEST_ID', '12345678')!;
    expect(Object.keys(entry).sort()).toEqual(['embedding', 'engineVersion', 'identity', 'photoSha256', 'source']);
  });
});

describe('stage timings', () => {
  it('are reported in meta and logged', async () => {
    const h = createHarness();
    const body = await (await h.compare(validBody({ selfie: selfieWithSimilarity(0.9) }))).json();
    expect(Object.keys(body.meta.timings_ms).sort()).toEqual(['reference_analysis', 'registry', 'selfie_analysis', 'total']);
    const line = h.logLines.map((l) => JSON.parse(l)).find((l) => l.msg === 'face comparison decided');
    expect(typeof line.timings_ms.selfie_analysis).toBe('number');
  });
});
