/**
 * The Redis backends of the reference cache and the report's image links, against a real Redis;
 * and what the routes answer when Redis is down (no server needed for that part).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLedger } from '../../src/billing/ledger.ts';
import { createRedisMediaStore } from '../../src/media/redis-store.ts';
import { createLinkSigner } from '../../src/media/store.ts';
import { createRedisClient, closeRedis, connectRedis, type Redis } from '../../src/state/redis.ts';
import { decodeEntry, encodeEntry, RedisReferenceCache } from '../../src/registry/reference-cache.ts';
import type { CachedReference } from '../../src/service/face-comparison.ts';
import { createHarness, validBody } from '../support/app.ts';
import { ID_IMAGE, movableClock, post } from '../support/face-match.ts';
import { selfieWithSimilarity } from '../support/fake-engine.ts';
import { describeWithServers, TEST_REDIS_URL } from '../support/servers.ts';

const SECRET = randomBytes(32);
const reference = (): CachedReference => ({
  identity: { full_name: 'Ada Lovelace', first_name: 'Ada' } as CachedReference['identity'],
  embedding: Float32Array.from({ length: 512 }, (_, i) => Math.sin(i) / 16),
  engineVersion: 'engine@1',
  source: 'test-registry',
});

describe('reference cache value encoding', () => {
  it('round-trips the embedding bit for bit and the metadata as JSON', () => {
    const ref = reference();
    const buf = encodeEntry(ref);
    expect(buf.length).toBe(4 + Buffer.byteLength(JSON.stringify({ identity: ref.identity, engineVersion: ref.engineVersion, source: ref.source })) + 512 * 4);
    expect(decodeEntry<CachedReference>(buf)).toEqual(ref);
  });

  it('rejects a truncated value instead of returning a wrong embedding', () => {
    const buf = encodeEntry(reference());
    expect(decodeEntry(buf.subarray(0, buf.length - 2))).toBeUndefined();
    expect(decodeEntry(Buffer.from([1]))).toBeUndefined();
  });
});

describe('Redis down', () => {
  // A client for a port where nothing listens: every command fails at once (no offline queue).
  const down = createRedisClient({ url: 'redis://127.0.0.1:1', connectTimeoutMs: 200 });
  down.on('error', () => undefined);
  afterAll(() => down.disconnect());

  it('face comparison: a retryable 503 with Retry-After, recorded uncharged', async () => {
    const ledger = createMemoryLedger();
    const h = createHarness({ ledger, cache: new RedisReferenceCache<CachedReference>({ redis: down, secret: SECRET, ttlMs: 60_000 }) });
    const res = await h.compare(validBody({ selfie: selfieWithSimilarity(0.95) }));
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await res.json()).toMatchObject({ success: false, code: 'SERVICE_ERROR', retryable: true });
    expect(h.registry.adapter.lookups).toBe(0);
    expect(ledger.records.map((r) => [r.result, r.charged])).toEqual([['SERVICE_ERROR', false]]);
  });

  it('face-match report: a 503 before the charge (never a charged report without its links)', async () => {
    const ledger = createMemoryLedger();
    const h = createHarness({ ledger, media: createRedisMediaStore({ redis: down, secret: SECRET }) });
    const res = await post(h, '/v1/face-match-report', { selfie: selfieWithSimilarity(0.95), idImage: ID_IMAGE });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBeTruthy();
    expect(ledger.records.filter((r) => r.charged)).toEqual([]);
  });

  it('image link: a 503, not a 404 that would tell the client the link is gone', async () => {
    const h = createHarness({ media: createRedisMediaStore({ redis: down, secret: SECRET }) });
    // A correctly signed, unexpired token, so the store must ask Redis.
    const token = createLinkSigner(SECRET).token('A'.repeat(22), Math.floor(Date.now() / 1000) + 600);
    const res = await h.app.request(`/v1/media/${token}`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBeTruthy();
  });
});

describeWithServers('Redis reference cache and image links', ['redis'], () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = await connectRedis({ url: TEST_REDIS_URL! });
  });
  afterAll(async () => closeRedis(redis));

  it('stores the reference under an HMAC key (never the ID number), with the TTL', async () => {
    const cache = new RedisReferenceCache<CachedReference>({ redis, secret: SECRET, ttlMs: 60_000, prefix: `t:${randomBytes(4).toString('hex')}:` });
    const ref = reference();
    await cache.set('PE_DNI', '27182818', ref);
    expect(await cache.get('PE_DNI', '27182818')).toEqual(ref);
    expect(await cache.get('NG_NIN', '27182818')).toBeUndefined();
    const key = cache.keyFor('PE_DNI', '27182818');
    expect(key).not.toContain('27182818');
    expect(key).toMatch(/:[0-9a-f]{64}$/);
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(59_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    // Another replica with the same secret computes the same key; another secret does not.
    expect(new RedisReferenceCache({ redis, secret: SECRET, ttlMs: 1, prefix: key.slice(0, key.lastIndexOf(':') + 1) }).keyFor('PE_DNI', '27182818')).toBe(key);
    expect(new RedisReferenceCache({ redis, secret: randomBytes(32), ttlMs: 1 }).keyFor('PE_DNI', '27182818')).not.toContain(key.slice(-64));
  });

  it('a link made by one replica opens on another with the same secret; 410 after expiry, 404 when forged', async () => {
    const clock = movableClock(new Date());
    const prefix = `t:${randomBytes(4).toString('hex')}:`;
    const a = createHarness({ clock, media: createRedisMediaStore({ redis, secret: SECRET, clock, prefix }) });
    const b = createHarness({ clock, media: createRedisMediaStore({ redis, secret: SECRET, clock, prefix }) });
    const res = await post(a, '/v1/face-match-report', { selfie: selfieWithSimilarity(0.95), idImage: ID_IMAGE });
    expect(res.status).toBe(200);
    const { face_match } = await res.json();
    const path = new URL(face_match.source_image, 'http://replica.invalid').pathname;
    const onB = await b.app.request(path);
    expect(onB.status).toBe(200);
    expect(onB.headers.get('content-type')).toBe('image/jpeg');
    const id = path.split('/').pop()!.split('.')[0]!;
    const pttl = await redis.pttl(`${prefix}${id}`);
    expect(pttl).toBeGreaterThan(59 * 60_000);
    expect(pttl).toBeLessThanOrEqual(60 * 60_000 + 1000);
    const forged = path.slice(0, -3) + (path.endsWith('AAA') ? 'BBB' : 'AAA');
    expect((await b.app.request(forged)).status).toBe(404);
    clock.advance(61 * 60_000);
    expect((await b.app.request(path)).status).toBe(410);
  });
});
