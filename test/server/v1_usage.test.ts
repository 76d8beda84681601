import { describe, expect, it } from 'vitest';
import { UsageResponseSchema } from '../../src/api/usage.ts';
import { createHarness, KEYS, validBody } from '../support/app.ts';
import { fakeImage, selfieWithSimilarity } from '../support/fake-engine.ts';
import { IDS } from '../support/registry.ts';
import { ID_IMAGE, NO_FACE, post } from '../support/face-match.ts';

const usage = (h: ReturnType<typeof createHarness>, key: string | null = KEYS.approved, query = '') =>
  h.app.request(`/v1/usage${query}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });

describe('GET /v1/usage', () => {
  it('returns zero totals for a new organisation', async () => {
    const h = createHarness();
    const res = await usage(h);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(UsageResponseSchema.safeParse(body).success).toBe(true);
    expect(body.data).toMatchObject({ organisation_id: 'acme', totals: { requests: 0, confirmed: 0, mismatch: 0, errors: 0, charged: 0 }, daily: [] });
    expect(body.meta.request_id).toHaveLength(12);
  });

  it("counts the caller's results by kind and charges only CONFIRMED", async () => {
    const h = createHarness();
    await h.compare(validBody({ selfie: selfieWithSimilarity(0.95) }));
    await h.compare(validBody({ selfie: selfieWithSimilarity(0.8) }));
    await h.compare(validBody({ selfie: selfieWithSimilarity(0.3) }));
    await h.compare(validBody({ selfie: fakeImage('NOFACE') }));
    await h.compare(validBody({ selfie: selfieWithSimilarity(0.9), id_number: IDS.noRecord }));
    const body = await (await usage(h)).json();
    expect(body.data.totals).toEqual({ requests: 5, confirmed: 2, mismatch: 1, errors: 2, charged: 2 });
    expect(body.data.daily).toEqual([{ date: '2026-11-23', requests: 5, confirmed: 2, mismatch: 1, errors: 2, charged: 2 }]);
  });

  it("does not show another organisation's usage", async () => {
    const h = createHarness();
    await h.compare(validBody({ selfie: selfieWithSimilarity(0.95) }));
    const other = await (await usage(h, KEYS.other)).json();
    expect(other.data.organisation_id).toBe('globex');
    expect(other.data.totals.requests).toBe(0);
  });

  it('filters by day', async () => {
    const h = createHarness();
    await h.compare(validBody({ selfie: selfieWithSimilarity(0.95) }));
    const before = await (await usage(h, KEYS.approved, '?to=2026-11-22')).json();
    expect(before.data.totals.requests).toBe(0);
    const on = await (await usage(h, KEYS.approved, '?from=2026-11-23&to=2026-11-23')).json();
    expect(on.data.totals.requests).toBe(1);
    const bad = await usage(h, KEYS.approved, '?from=yesterday');
    expect(bad.status).toBe(400);
    expect((await bad.json()).code).toBe('VALIDATION_ERROR');
  });

  it('requires an API key', async () => {
    const h = createHarness();
    const res = await usage(h, null);
    expect(res.status).toBe(401);
    expect((await res.json()).code).toBe('UNAUTHORIZED');
  });

  it('reports /v1/face-match by its own charge rule (?endpoint=)', async () => {
    const h = createHarness();
    await post(h, '/v1/face-match', { selfie: selfieWithSimilarity(0.95), idImage: ID_IMAGE });
    await post(h, '/v1/face-match', { selfie: selfieWithSimilarity(0.3), idImage: ID_IMAGE });
    await post(h, '/v1/face-match', { selfie: NO_FACE, idImage: ID_IMAGE });
    await post(h, '/v1/face-match', { selfie: 'not base64!', idImage: ID_IMAGE });
    const res = await usage(h, KEYS.approved, '?endpoint=/v1/face-match');
    const body = await res.json();
    expect(UsageResponseSchema.safeParse(body).success).toBe(true);
    expect(body.data.endpoint).toBe('/v1/face-match');
    // FACE_MATCH, FACE_MISMATCH and NO_FACE_DETECTED are charged; the invalid image is an uncharged error.
    expect(body.data.totals).toEqual({ requests: 4, confirmed: 1, mismatch: 1, errors: 1, charged: 3 });
    const comparison = await (await usage(h)).json();
    expect(comparison.data.totals.requests).toBe(0);
  });

  it('reports /v1/face-match-report: every completed report is charged', async () => {
    const h = createHarness();
    await post(h, '/v1/face-match-report', { selfie: selfieWithSimilarity(0.95), idImage: ID_IMAGE });
    await post(h, '/v1/face-match-report', { selfie: selfieWithSimilarity(0.8), idImage: ID_IMAGE });
    await post(h, '/v1/face-match-report', { selfie: selfieWithSimilarity(0.3), idImage: ID_IMAGE });
    await post(h, '/v1/face-match-report', { selfie: 'not base64!', idImage: ID_IMAGE });
    const body = await (await usage(h, KEYS.approved, '?endpoint=/v1/face-match-report')).json();
    expect(body.data.totals).toEqual({ requests: 4, confirmed: 1, mismatch: 1, errors: 1, charged: 3 });
  });

  it('rejects an unknown endpoint', async () => {
    const res = await usage(createHarness(), KEYS.approved, '?endpoint=/v1/media');
    expect(res.status).toBe(400);
    expect((await res.json()).code).toBe('VALIDATION_ERROR');
  });
});
