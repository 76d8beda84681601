/**
 * The review queue in Redis, so every replica sees the same cases. A case is one hash,
 * `<prefix>case:<org>:<id>`, with the case (JSON), its decision (JSON, once decided) and the two
 * crops (bytes), expiring with the case: images live only in Redis memory (run the server without
 * persistence) and vanish at expiry. `<prefix>index:<org>` is a sorted set of case ids by creation
 * time, pruned of expired cases as it is read. A decision is claimed atomically (one Lua script),
 * so two reviewers on two replicas cannot both decide a case.
 */
import { redisCall, type Redis } from '../state/redis.ts';
import { expiryOf, REVIEW_TTL_MS, type ReviewQueue } from './queue.ts';
import type { ReviewCase, ReviewCrops, ReviewDecision } from './types.ts';

export interface RedisReviewQueueOptions {
  redis: Redis;
  ttlMs?: number;
  prefix?: string;
}

// 0: no such case; 1: already decided; 2: decided now.
const CLAIM = `
if redis.call('HEXISTS', KEYS[1], 'case') == 0 then return 0 end
if redis.call('HEXISTS', KEYS[1], 'decision') == 1 then return 1 end
redis.call('HSET', KEYS[1], 'decision', ARGV[1])
return 2`;

function toCase(fields: Array<Buffer | null>): ReviewCase | undefined {
  const [json, decision] = fields;
  if (!json) return undefined;
  try {
    const c = JSON.parse(json.toString('utf8')) as ReviewCase;
    c.decision = decision ? (JSON.parse(decision.toString('utf8')) as ReviewDecision) : null;
    return c;
  } catch {
    return undefined;
  }
}

export function createRedisReviewQueue(options: RedisReviewQueueOptions): ReviewQueue {
  const { redis } = options;
  const ttlMs = options.ttlMs ?? REVIEW_TTL_MS;
  const prefix = options.prefix ?? 'fm:review:';
  const caseKey = (orgId: string, id: string) => `${prefix}case:${orgId}:${id}`;
  const indexKey = (orgId: string) => `${prefix}index:${orgId}`;

  const get: ReviewQueue['get'] = async (orgId, id) => {
    const fields = await redisCall('review case read', () => redis.hmgetBuffer(caseKey(orgId, id), 'case', 'decision', 'selfie', 'reference'));
    const c = toCase(fields);
    if (!c) return undefined;
    const crops: ReviewCrops = { selfie: fields[2] ? new Uint8Array(fields[2]) : null, reference: fields[3] ? new Uint8Array(fields[3]) : null };
    return { case: c, crops };
  };

  return {
    ttlMs,
    async add(entry, crops) {
      const c: ReviewCase = { ...entry, expires_at: expiryOf(entry.created_at, ttlMs), decision: null };
      const key = caseKey(entry.org_id, entry.id);
      const fields: Record<string, string | Buffer> = { case: JSON.stringify(c) };
      if (crops.selfie) fields.selfie = Buffer.from(crops.selfie);
      if (crops.reference) fields.reference = Buffer.from(crops.reference);
      await redisCall('review case write', () =>
        redis
          .multi()
          .del(key)
          .hset(key, fields)
          .pexpire(key, ttlMs)
          .zadd(indexKey(entry.org_id), Date.parse(entry.created_at), entry.id)
          .pexpire(indexKey(entry.org_id), ttlMs)
          .exec(),
      );
      return c;
    },
    async list(orgId) {
      const ids = await redisCall('review index read', () => redis.zrevrange(indexKey(orgId), 0, -1));
      if (!ids.length) return [];
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.hmgetBuffer(caseKey(orgId, id), 'case', 'decision');
      const rows = (await redisCall('review cases read', () => pipeline.exec())) ?? [];
      const cases: ReviewCase[] = [];
      const gone: string[] = [];
      rows.forEach(([err, fields], i) => {
        const c = err ? undefined : toCase(fields as Array<Buffer | null>);
        if (c) cases.push(c);
        else gone.push(ids[i]!);
      });
      // Expired cases leave the index as it is read.
      if (gone.length) await redisCall('review index prune', () => redis.zrem(indexKey(orgId), ...gone));
      return cases;
    },
    get,
    async decide(orgId, id, decision) {
      const key = caseKey(orgId, id);
      const outcome = await redisCall('review decision', () => redis.eval(CLAIM, 1, key, JSON.stringify(decision)));
      if (outcome === 0) return { status: 'not_found' };
      if (outcome === 1) return { status: 'already_decided' };
      const held = await get(orgId, id);
      return held ? { status: 'decided', case: held.case } : { status: 'not_found' };
    },
    async undecide(orgId, id) {
      await redisCall('review decision undo', () => redis.hdel(caseKey(orgId, id), 'decision'));
    },
  };
}
