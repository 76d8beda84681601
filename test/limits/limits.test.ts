/**
 * Per-key rate limits, per-ID-number attempts and the failed-match lockout, through the HTTP routes,
 * against the in-process store and (when TEST_REDIS_URL is set) a real Redis server.
 */
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisLimiterBackend } from '../../src/limits/limiters.ts';
import { KEYS, validBody } from '../support/app.ts';
import { selfieWithSimilarity } from '../support/fake-engine.ts';
import { ID_IMAGE, post } from '../support/face-match.ts';
import { accountsWithLimits, createLimitsHarness, limiterBackends, redisSkipNote, uniquePrefix } from './support.ts';

const backends = limiterBackends();
afterAll(async () => {
  for (const b of backends) await b.close();
});

const MATCH = 0.95;
const WRONG_FACE = 0.1;

describe.each(backends)('limits with the $name store' + redisSkipNote, ({ make }) => {
  it('a burst of 100 verifications of one ID number from two keys: the first 10 are answered, the rest get 429 ID_ATTEMPTS with Retry-After', async () => {
    const h = createLimitsHarness({ backend: make() });
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) {
      const res = await h.compare(validBody({ selfie: selfieWithSimilarity(MATCH) }), { key: i % 2 ? KEYS.other : KEYS.approved });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        const body = await res.json();
        expect(body).toMatchObject({ success: false, code: 'RATE_LIMIT_EXCEEDED', details: { reason: 'ID_ATTEMPTS' }, retryable: true, data: null });
      }
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(statuses.slice(10)).toEqual(Array(90).fill(429));
    // Refused requests never reached the engine or the registry.
    expect(h.engine.calls.selfie).toBe(10);
    // Another ID number is not affected.
    expect((await h.compare(validBody({ id_number: '87654321', selfie: selfieWithSimilarity(MATCH) }))).status).toBe(200);
  });

  it('the same burst sent concurrently admits exactly 10', async () => {
    const h = createLimitsHarness({ backend: make() });
    const responses = await Promise.all(Array.from({ length: 100 }, (_, i) => h.compare(validBody({ selfie: selfieWithSimilarity(MATCH) }), { key: i % 2 ? KEYS.other : KEYS.approved })));
    const count = (s: number) => responses.filter((r) => r.status === s).length;
    expect(count(200)).toBe(10);
    expect(count(429)).toBe(90);
    expect(h.engine.calls.selfie).toBe(10);
  });

  it('ID numbers are counted after normalisation, so spacing does not buy more attempts', async () => {
    const h = createLimitsHarness({ backend: make(), policy: { idAttempts: { points: 2, windowSeconds: 3600 } } });
    expect((await h.compare(validBody({ id_number: '12345678', selfie: selfieWithSimilarity(MATCH) }))).status).toBe(200);
    expect((await h.compare(validBody({ id_number: '1234 5678', selfie: selfieWithSimilarity(MATCH) }))).status).toBe(200);
    expect((await h.compare(validBody({ id_number: ' 12345678', selfie: selfieWithSimilarity(MATCH) }))).status).toBe(429);
  });

  it('per-key requests per minute come from the organisation, with X-RateLimit-* headers, and other keys keep their own budget', async () => {
    const h = createLimitsHarness({ backend: make(), accounts: accountsWithLimits(3) });
    for (let i = 0; i < 3; i++) {
      const res = await h.compare(validBody({ id_number: `1000000${i}`, selfie: selfieWithSimilarity(MATCH) }), { key: KEYS.other });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBe('3');
      expect(res.headers.get('x-ratelimit-remaining')).toBe(String(2 - i));
    }
    const refused = await h.compare(validBody({ id_number: '10000009', selfie: selfieWithSimilarity(MATCH) }), { key: KEYS.other });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(refused.headers.get('x-ratelimit-reset'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED', details: { reason: 'KEY_RATE_MINUTE' } });
    expect(h.engine.calls.selfie).toBe(3);
    // acme uses the default (600 per minute).
    const acme = await h.compare(validBody({ id_number: '10000009', selfie: selfieWithSimilarity(MATCH) }));
    expect(acme.status).toBe(200);
    expect(acme.headers.get('x-ratelimit-limit')).toBe('600');
  });

  it('per-key requests per day', async () => {
    const h = createLimitsHarness({ backend: make(), policy: { keyPerDay: 2 } });
    expect((await h.compare(validBody({ id_number: '20000001', selfie: selfieWithSimilarity(MATCH) }))).status).toBe(200);
    expect((await h.compare(validBody({ id_number: '20000002', selfie: selfieWithSimilarity(MATCH) }))).status).toBe(200);
    const refused = await h.compare(validBody({ id_number: '20000003', selfie: selfieWithSimilarity(MATCH) }));
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ details: { reason: 'KEY_RATE_DAY' } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3600);
  });

  it('the strict /v1/face-match envelope and the report envelope carry their own 429', async () => {
    const h = createLimitsHarness({ backend: make(), accounts: accountsWithLimits(1) });
    const body = { selfie: selfieWithSimilarity(MATCH), idImage: ID_IMAGE };
    expect((await post(h, '/v1/face-match', body, { key: KEYS.other })).status).toBe(200);
    const refused = await post(h, '/v1/face-match', body, { key: KEYS.other });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBeTruthy();
    expect(await refused.json()).toMatchObject({ status: 'ERROR', code: 'RATE_LIMIT_EXCEEDED', billable: false, result: null });
    const report = await post(h, '/v1/face-match-report', body, { key: KEYS.other });
    expect(report.status).toBe(429);
    expect(await report.json()).toMatchObject({ success: false, code: 'RATE_LIMIT_EXCEEDED', details: { reason: 'KEY_RATE_MINUTE' } });
    // Only the first request's two images were analysed.
    expect(h.engine.calls.selfie).toBe(2);
  });

  it('failed matches lock the (key, ID number) pair, then the ID number for every key', async () => {
    const h = createLimitsHarness({
      backend: make(),
      policy: { keyIdFailures: { points: 3, windowSeconds: 3600 }, idFailures: { points: 5, windowSeconds: 86_400 } },
    });
    const wrong = validBody({ selfie: selfieWithSimilarity(WRONG_FACE) });
    const right = validBody({ selfie: selfieWithSimilarity(MATCH) });
    for (let i = 0; i < 3; i++) expect((await (await h.compare(wrong)).json()).data.match_result).toBe('MISMATCH');
    const locked = await h.compare(right);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(3000);
    expect(await locked.json()).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED', details: { reason: 'KEY_ID_LOCKED' } });
    // Another key may still verify that number, until the number's own budget of failures is spent.
    expect((await h.compare(wrong, { key: KEYS.other })).status).toBe(200);
    expect((await h.compare(wrong, { key: KEYS.other })).status).toBe(200);
    const idLocked = await h.compare(right, { key: KEYS.other });
    expect(idLocked.status).toBe(429);
    expect(await idLocked.json()).toMatchObject({ details: { reason: 'ID_LOCKED' } });
    // The lockout is per ID number.
    expect((await h.compare(validBody({ id_number: '87654321', selfie: selfieWithSimilarity(MATCH) }))).status).toBe(200);
    expect(h.engine.calls.selfie).toBe(6);
  });

  it('a confirmed match clears the key\'s own failure count for that number', async () => {
    const h = createLimitsHarness({ backend: make(), policy: { keyIdFailures: { points: 3, windowSeconds: 3600 } } });
    const wrong = validBody({ selfie: selfieWithSimilarity(WRONG_FACE) });
    await h.compare(wrong);
    await h.compare(wrong);
    expect((await (await h.compare(validBody({ selfie: selfieWithSimilarity(MATCH) }))).json()).data.match_result).toBe('CONFIRMED');
    await h.compare(wrong);
    await h.compare(wrong);
    expect((await h.compare(wrong)).status).toBe(200);
    expect((await h.compare(wrong)).status).toBe(429);
  });
});

describe.skipIf(!process.env.TEST_REDIS_URL)('limits shared by two replicas through Redis' + redisSkipNote, () => {
  const redis = backends.find((b) => b.name === 'redis')!;

  it('a burst of 100 verifications of one ID number from two keys across two replicas: 10 answered, 90 refused', async () => {
    const prefix = uniquePrefix();
    const replicas = [createLimitsHarness({ backend: redis.make(prefix) }), createLimitsHarness({ backend: redis.make(prefix) })];
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => replicas[i % 2]!.compare(validBody({ selfie: selfieWithSimilarity(MATCH) }), { key: i % 4 < 2 ? KEYS.approved : KEYS.other })),
    );
    expect(responses.filter((r) => r.status === 200)).toHaveLength(10);
    const refused = responses.filter((r) => r.status === 429);
    expect(refused).toHaveLength(90);
    for (const r of refused) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(replicas[0]!.engine.calls.selfie + replicas[1]!.engine.calls.selfie).toBe(10);
  });

  it('one key\'s per-minute budget holds across both replicas, and no Redis key holds an ID number in clear', async () => {
    const prefix = uniquePrefix();
    const accounts = accountsWithLimits(4);
    const replicas = [createLimitsHarness({ backend: redis.make(prefix), accounts }), createLimitsHarness({ backend: redis.make(prefix), accounts })];
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await replicas[i % 2]!.compare(validBody({ id_number: `3000000${i}`, selfie: selfieWithSimilarity(MATCH) }), { key: KEYS.other })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    const client = new Redis(process.env.TEST_REDIS_URL!);
    try {
      const keys = await client.keys(`fm:${prefix}:*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const k of keys) expect(k).not.toMatch(/3000000\d/);
    } finally {
      await client.quit();
    }
  });
});

describe('limits when the Redis store is down', () => {
  it('answer a retryable 503 with Retry-After and decode nothing', async () => {
    // A real client to a port nothing listens on: not connected, so every check fails at once.
    const client = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    try {
      const h = createLimitsHarness({ backend: redisLimiterBackend(client) });
      const res = await h.compare(validBody({ selfie: selfieWithSimilarity(MATCH) }));
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(await res.json()).toMatchObject({ code: 'SERVICE_ERROR', retryable: true, details: { reason: 'LIMITS_UNAVAILABLE' } });
      expect(h.engine.calls.selfie).toBe(0);
    } finally {
      client.disconnect();
    }
  });
});
