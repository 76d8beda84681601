import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReviewCaseResponseSchema, ReviewListResponseSchema } from '../../src/api/reviews.ts';
import { reviewReason } from '../../src/policy/review-band.ts';
import { openFileDecisionLog } from '../../src/review/decision-log.ts';
import { createMemoryReviewServices } from '../../src/review/index.ts';
import { REVIEW_TTL_MS } from '../../src/review/queue.ts';
import { createHarness, KEYS, validBody } from '../support/app.ts';
import { fakeCrop, selfieWithSimilarity } from '../support/fake-engine.ts';
import { ID_IMAGE, movableClock, post } from '../support/face-match.ts';

const auth = (key: string = KEYS.approved) => ({ authorization: `Bearer ${key}` });
const decide = (h: ReturnType<typeof createHarness>, id: string, body: unknown, key?: string) => post(h, `/v1/reviews/${id}`, body, { key });

function harness(margin = 0.05) {
  const clock = movableClock();
  const review = createMemoryReviewServices({ clock, margin });
  return { h: createHarness({ clock, review }), clock, review };
}

describe('review band (src/policy/review-band.ts)', () => {
  it('holds In Review reports and verdicts within the margin of the threshold, on both sides, inclusive', () => {
    expect(reviewReason({ kind: 'report', status: 'In Review' })).toBe('IN_REVIEW');
    expect(reviewReason({ kind: 'report', status: 'Approved' })).toBeNull();
    expect(reviewReason({ kind: 'report', status: 'Rejected' })).toBeNull();
    const v = (score: number | null, threshold = 0.75, scale: 1 | 100 = 1) => reviewReason({ kind: 'verdict', score, threshold, scale }, 0.05);
    expect(v(0.7)).toBe('NEAR_THRESHOLD');
    expect(v(0.8)).toBe('NEAR_THRESHOLD');
    expect(v(0.75)).toBe('NEAR_THRESHOLD');
    expect(v(0.69)).toBeNull();
    expect(v(0.81)).toBeNull();
    expect(v(null)).toBeNull();
    expect(v(85, 90, 100)).toBe('NEAR_THRESHOLD');
    expect(v(84.99, 90, 100)).toBeNull();
    expect(reviewReason({ kind: 'verdict', score: 0.75, threshold: 0.75, scale: 1 }, 0)).toBeNull();
  });
});

describe('review queue over HTTP', () => {
  it('keeps a borderline face comparison with both crops and lets a reviewer approve it with a note', async () => {
    const { h, review } = harness();
    const res = await h.compare(validBody({ selfie: selfieWithSimilarity(0.77) }));
    const verification = await res.json();
    expect(verification.data.match_result).toBe('CONFIRMED');
    const id = verification.meta.request_id as string;

    const list = await (await h.app.request('/v1/reviews', { headers: auth() })).json();
    expect(ReviewListResponseSchema.safeParse(list).success).toBe(true);
    expect(list.data.cases).toHaveLength(1);
    expect(list.data.cases[0]).toMatchObject({
      id,
      endpoint: '/v1/face-comparison',
      reason: 'NEAR_THRESHOLD',
      verdict: 'CONFIRMED',
      score: 0.77,
      threshold: 0.75,
      id_type: 'TEST_ID',
      id_number_masked: '******78',
      status: 'PENDING',
      decision: null,
      receipt: verification.meta.receipt,
      created_at: '2026-11-23T12:00:00.000Z',
      expires_at: '2026-11-23T13:00:00.000Z',
    });
    expect(JSON.stringify(list)).not.toContain('12345678');

    const one = await (await h.app.request(`/v1/reviews/${id}`, { headers: auth() })).json();
    expect(ReviewCaseResponseSchema.safeParse(one).success).toBe(true);
    expect(one.data.crops.selfie).toBe(`data:image/jpeg;base64,${Buffer.from(await fakeCrop(0.77)).toString('base64')}`);
    expect(one.data.crops.reference).toBe(`data:image/jpeg;base64,${Buffer.from(await fakeCrop(1)).toString('base64')}`);

    const decided = await decide(h, id, { decision: 'APPROVE', note: 'Same person.', reviewer: 'ana@acme.test' });
    expect(decided.status).toBe(200);
    const body = await decided.json();
    expect(body.data.case.status).toBe('APPROVED');
    expect(body.data.decision).toEqual({ decision: 'APPROVE', note: 'Same person.', reviewer: 'ana@acme.test', key_id: 'k1', decided_at: '2026-11-23T12:00:00.000Z' });
    expect((review.decisions as unknown as { records: unknown[] }).records).toEqual([
      { v: 1, request_id: id, org_id: 'acme', endpoint: '/v1/face-comparison', verdict: 'CONFIRMED', decision: 'APPROVE', note: 'Same person.', reviewer: 'ana@acme.test', key_id: 'k1', decided_at: '2026-11-23T12:00:00.000Z' },
    ]);
    // Decisions are final.
    const again = await decide(h, id, { decision: 'REJECT' });
    expect(again.status).toBe(409);
    expect((await again.json()).code).toBe('REVIEW_ALREADY_DECIDED');
  });

  it('does not hold clear results; holds the report In Review and a near-threshold face match', async () => {
    const { h } = harness();
    await h.compare(validBody({ selfie: selfieWithSimilarity(0.95) }));
    await h.compare(validBody({ selfie: selfieWithSimilarity(0.3) }));
    await post(h, '/v1/face-match-report', { selfie: selfieWithSimilarity(0.95), idImage: ID_IMAGE });
    await post(h, '/v1/face-match', { selfie: selfieWithSimilarity(0.5), idImage: ID_IMAGE });
    expect((await (await h.app.request('/v1/reviews', { headers: auth() })).json()).data.cases).toEqual([]);

    const report = await post(h, '/v1/face-match-report', { selfie: selfieWithSimilarity(0.8), idImage: ID_IMAGE });
    expect((await report.json()).face_match.status).toBe('In Review');
    const match = await post(h, '/v1/face-match', { selfie: selfieWithSimilarity(0.88), idImage: ID_IMAGE });
    expect((await match.json()).code).toBe('FACE_MISMATCH');
    const cases = (await (await h.app.request('/v1/reviews', { headers: auth() })).json()).data.cases;
    expect(cases.map((c: { endpoint: string; reason: string; verdict: string }) => [c.endpoint, c.reason, c.verdict]).sort()).toEqual([
      ['/v1/face-match', 'NEAR_THRESHOLD', 'FACE_MISMATCH'],
      ['/v1/face-match-report', 'IN_REVIEW', 'In Review'],
    ]);
    const reportCase = cases.find((c: { endpoint: string }) => c.endpoint === '/v1/face-match-report');
    const crops = (await (await h.app.request(`/v1/reviews/${reportCase.id}`, { headers: auth() })).json()).data.crops;
    expect(crops.selfie).toMatch(/^data:image\/jpeg;base64,/);
    expect(crops.reference).toMatch(/^data:image\/jpeg;base64,/);
  });

  it('a margin of 0 holds only the report In Review', async () => {
    const { h } = harness(0);
    await h.compare(validBody({ selfie: selfieWithSimilarity(0.75) }));
    expect((await (await h.app.request('/v1/reviews', { headers: auth() })).json()).data.cases).toEqual([]);
  });

  it('expired cases vanish with their images; a recorded decision stays readable', async () => {
    const { h, clock } = harness();
    const a = (await (await h.compare(validBody({ selfie: selfieWithSimilarity(0.74) }))).json()).meta.request_id;
    const b = (await (await h.compare(validBody({ selfie: selfieWithSimilarity(0.76) }))).json()).meta.request_id;
    expect((await decide(h, a, { decision: 'REJECT', note: 'different chin' })).status).toBe(200);

    clock.advance(REVIEW_TTL_MS - 1000);
    expect((await (await h.app.request('/v1/reviews', { headers: auth() })).json()).data.cases).toHaveLength(2);
    clock.advance(2000);
    expect((await (await h.app.request('/v1/reviews', { headers: auth() })).json()).data.cases).toEqual([]);

    const gone = await h.app.request(`/v1/reviews/${b}`, { headers: auth() });
    expect(gone.status).toBe(404);
    expect((await gone.json()).code).toBe('REVIEW_NOT_FOUND');
    expect((await decide(h, b, { decision: 'APPROVE' })).status).toBe(404);

    const decided = await (await h.app.request(`/v1/reviews/${a}`, { headers: auth() })).json();
    expect(decided.data).toMatchObject({ case: null, crops: null, decision: { decision: 'REJECT', note: 'different chin', reviewer: 'k1' } });
  });

  it('is scoped to the organisation and needs a key', async () => {
    const { h } = harness();
    const id = (await (await h.compare(validBody({ selfie: selfieWithSimilarity(0.77) }))).json()).meta.request_id;
    expect((await h.app.request('/v1/reviews')).status).toBe(401);
    expect((await h.app.request('/v1/reviews', { headers: auth(KEYS.unsubscribed) })).status).toBe(403);
    expect((await (await h.app.request('/v1/reviews', { headers: auth(KEYS.other) })).json()).data.cases).toEqual([]);
    expect((await h.app.request(`/v1/reviews/${id}`, { headers: auth(KEYS.other) })).status).toBe(404);
    expect((await decide(h, id, { decision: 'APPROVE' }, KEYS.other)).status).toBe(404);
  });

  it('rejects malformed decisions and ids with a contract error', async () => {
    const { h } = harness();
    const id = (await (await h.compare(validBody({ selfie: selfieWithSimilarity(0.77) }))).json()).meta.request_id;
    for (const body of [{}, { decision: 'MAYBE' }, { decision: 'APPROVE', note: 'x'.repeat(2001) }, { decision: 'APPROVE', extra: 1 }, 'not json', { decision: 'APPROVE', reviewer: '' }]) {
      const res = await decide(h, id, body);
      expect(res.status).toBe(400);
      expect((await res.json()).code).toBe('VALIDATION_ERROR');
    }
    const huge = await decide(h, id, { decision: 'APPROVE', note: 'x'.repeat(100_000) });
    expect(huge.status).toBe(413);
    expect((await huge.json()).code).toBe('PAYLOAD_TOO_LARGE');
    const bad = await h.app.request('/v1/reviews/..%2F..%2Fetc', { headers: auth() });
    expect([400, 404]).toContain(bad.status);
    expect((await bad.json()).success).toBe(false);
  });
});

describe('durable decision log', () => {
  it('appends one line per decision, survives reopening, and holds no images or ID numbers', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'facematch-review-'));
    const file = path.join(dir, 'review-decisions.jsonl');
    const clock = movableClock();
    const decisions = await openFileDecisionLog(file);
    const review = { ...createMemoryReviewServices({ clock }), decisions };
    const h = createHarness({ clock, review });
    const id = (await (await h.compare(validBody({ selfie: selfieWithSimilarity(0.77) }))).json()).meta.request_id;
    expect((await decide(h, id, { decision: 'APPROVE', note: 'ok' })).status).toBe(200);
    await decisions.close();

    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ request_id: id, org_id: 'acme', decision: 'APPROVE', reviewer: 'k1' });
    expect(lines[0]).not.toMatch(/12345678|base64|FAKEIMG/);
    const reopened = await openFileDecisionLog(file);
    expect((await reopened.find('acme', id))?.decision).toBe('APPROVE');
    expect(await reopened.find('globex', id)).toBeUndefined();
    // Decisions are final: a second one for the same case is not written.
    expect(await reopened.append({ ...(await reopened.find('acme', id))!, decision: 'REJECT' })).toBe('duplicate');
    await reopened.close();
  });
});
