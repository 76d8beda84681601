/** The Redis review queue against a real Redis: the same contract as the memory queue, across "replicas". */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMemoryDecisionLog } from '../../src/review/decision-log.ts';
import { createRedisReviewQueue } from '../../src/review/redis-queue.ts';
import type { ReviewDecision } from '../../src/review/types.ts';
import { closeRedis, connectRedis, type Redis } from '../../src/state/redis.ts';
import { createHarness, KEYS, validBody } from '../support/app.ts';
import { fakeCrop, selfieWithSimilarity } from '../support/fake-engine.ts';
import { post } from '../support/face-match.ts';
import { describeWithServers, TEST_REDIS_URL } from '../support/servers.ts';

const decision = (reviewer: string): ReviewDecision => ({ decision: 'APPROVE', note: '', reviewer, key_id: 'k1', decided_at: new Date().toISOString() });
const newCase = (id: string, created = new Date()) => ({
  id,
  org_id: 'acme',
  endpoint: '/v1/face-comparison',
  reason: 'NEAR_THRESHOLD' as const,
  created_at: created.toISOString(),
  verdict: 'CONFIRMED',
  score: 0.77,
  threshold: 0.75,
  id_type: 'TEST_ID',
  id_number_masked: '******78',
  warnings: [],
  receipt: null,
});

describeWithServers('Redis review queue', ['redis'], () => {
  let redis: Redis;
  let prefix: string;
  beforeAll(async () => {
    redis = await connectRedis({ url: TEST_REDIS_URL!, name: 'facematch:test-review' });
  });
  afterAll(async () => {
    if (redis) await closeRedis(redis);
  });
  const fresh = (ttlMs = 60_000) => createRedisReviewQueue({ redis, ttlMs, prefix: (prefix = `fm:test:review:${randomBytes(6).toString('hex')}:`) });

  it('keeps cases with their crops, newest first, scoped to the organisation', async () => {
    const q = fresh();
    const selfie = await fakeCrop(0.77);
    await q.add(newCase('older', new Date(Date.now() - 1000)), { selfie, reference: null });
    await q.add(newCase('newer'), { selfie: null, reference: selfie });
    expect((await q.list('acme')).map((c) => c.id)).toEqual(['newer', 'older']);
    expect(await q.list('globex')).toEqual([]);
    const got = await q.get('acme', 'older');
    expect(got?.crops.selfie).toEqual(selfie);
    expect(got?.crops.reference).toBeNull();
    expect(await q.get('globex', 'older')).toBeUndefined();
    const ttl = await redis.pttl(`${prefix}case:acme:older`);
    expect(ttl).toBeGreaterThan(50_000);
  });

  it('lets exactly one of two replicas decide a case, and can take a decision back', async () => {
    const a = fresh();
    const b = createRedisReviewQueue({ redis, ttlMs: 60_000, prefix });
    await a.add(newCase('c1'), { selfie: null, reference: null });
    const results = await Promise.all([a.decide('acme', 'c1', decision('ana')), b.decide('acme', 'c1', decision('bob'))]);
    expect(results.map((r) => r.status).sort()).toEqual(['already_decided', 'decided']);
    const winner = results.find((r) => r.status === 'decided');
    expect((await b.get('acme', 'c1'))?.case.decision?.reviewer).toBe(winner?.status === 'decided' ? winner.case.decision?.reviewer : undefined);
    await a.undecide('acme', 'c1');
    expect((await b.get('acme', 'c1'))?.case.decision).toBeNull();
    expect((await a.decide('acme', 'nope', decision('ana'))).status).toBe('not_found');
  });

  it('drops expired cases with their images', async () => {
    const q = fresh(300);
    await q.add(newCase('short'), { selfie: await fakeCrop(0.5), reference: await fakeCrop(1) });
    expect(await q.list('acme')).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 450));
    expect(await redis.exists(`${prefix}case:acme:short`)).toBe(0);
    expect(await q.list('acme')).toEqual([]);
    expect(await q.get('acme', 'short')).toBeUndefined();
  });

  it('serves the review API from Redis: a case held by one app is decided through another', async () => {
    const queue = fresh();
    const decisions = createMemoryDecisionLog();
    const one = createHarness({ review: { queue, decisions, margin: 0.05 } });
    const two = createHarness({ review: { queue: createRedisReviewQueue({ redis, prefix }), decisions, margin: 0.05 } });
    const id = (await (await one.compare(validBody({ selfie: selfieWithSimilarity(0.76) }))).json()).meta.request_id;
    const res = await post(two, `/v1/reviews/${id}`, { decision: 'REJECT', note: 'not the same ears' });
    expect(res.status).toBe(200);
    expect((await res.json()).data.case.status).toBe('REJECTED');
    const list = await (await one.app.request('/v1/reviews', { headers: { authorization: `Bearer ${KEYS.approved}` } })).json();
    expect(list.data.cases[0]).toMatchObject({ id, status: 'REJECTED' });
    expect((await post(one, `/v1/reviews/${id}`, { decision: 'APPROVE' })).status).toBe(409);
  });
});
