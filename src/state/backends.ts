/**
 * Chooses and opens the state backends from configuration: the embedded defaults on a bare machine
 * (ledger and idempotency files, reference cache and image links in memory), PostgreSQL with
 * DATABASE_URL (ledger, idempotency) and Redis with REDIS_URL (reference cache, image links, and
 * the client other Redis-backed parts such as limit counters can share).
 */
import path from 'node:path';
import { openUsageLedger } from '../billing/file-ledger.ts';
import type { UsageLedger } from '../billing/ledger.ts';
import { PostgresUsageLedger } from '../billing/postgres-ledger.ts';
import type { Logger } from '../logging/logger.ts';
import { createRedisMediaStore } from '../media/redis-store.ts';
import { createMediaStore, type MediaClock, type MediaStore } from '../media/store.ts';
import { createReferenceCache, RedisReferenceCache } from '../registry/reference-cache.ts';
import type { CachedReference, ReferenceStore } from '../service/face-comparison.ts';
import { openFileIdempotencyStore } from './idempotency/file-store.ts';
import { createPostgresIdempotencyStore } from './idempotency/postgres-store.ts';
import type { IdempotencyStore } from './idempotency/store.ts';
import { connectPostgres, type Pool } from './postgres.ts';
import { closeRedis, connectRedis, type Redis } from './redis.ts';
import { redactUrl } from './url.ts';

export interface StateConfig {
  databaseUrl?: string;
  redisUrl?: string;
  /** HMAC secret of reference-cache keys; required with Redis. */
  cacheSecret?: string;
  /** Signing secret of image links; required with Redis. */
  mediaSecret?: string;
  ledgerFile: string;
  ledgerMaxBytes?: number;
  cacheTtlMs: number;
  cacheMaxEntries: number;
}

export interface StateBackends {
  ledger: UsageLedger;
  idempotency: IdempotencyStore;
  cache: ReferenceStore;
  media: MediaStore;
  /** Shared clients, for other fleet-wide parts (limits) and readiness checks. */
  redis?: Redis;
  pool?: Pool;
  /** Where each piece of state lives, for the start-up log. */
  summary: Record<string, string>;
  /** Reachability of the shared backends (readiness). */
  check(): Promise<{ postgres?: boolean; redis?: boolean }>;
  close(): Promise<void>;
}

/** The idempotency file of a ledger file: `usage.jsonl` → `usage.idempotency.jsonl`. */
export function idempotencyFileFor(ledgerFile: string): string {
  const { dir, name, ext } = path.parse(ledgerFile);
  return path.join(dir, `${name}.idempotency${ext || '.jsonl'}`);
}

export async function openStateBackends(config: StateConfig, deps: { clock: MediaClock; logger: Logger }): Promise<StateBackends> {
  if (config.redisUrl && (!config.cacheSecret || !config.mediaSecret)) {
    throw new Error('REDIS_URL needs FACEMATCH_CACHE_SECRET and FACEMATCH_MEDIA_SECRET (the same on every replica) so that replicas share cache keys and image links');
  }
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    let pool: Pool | undefined;
    let ledger: UsageLedger;
    let idempotency: IdempotencyStore;
    if (config.databaseUrl) {
      pool = await connectPostgres({ url: config.databaseUrl });
      const p = pool;
      closers.push(() => p.end());
      ledger = new PostgresUsageLedger(pool);
      idempotency = createPostgresIdempotencyStore(pool);
    } else {
      const fileLedger = await openUsageLedger(config.ledgerFile, { maxBytes: config.ledgerMaxBytes });
      closers.push(() => fileLedger.close());
      ledger = fileLedger;
      const idem = await openFileIdempotencyStore(idempotencyFileFor(config.ledgerFile), () => deps.clock.now());
      closers.push(() => idem.close());
      idempotency = idem;
    }

    let redis: Redis | undefined;
    let cache: ReferenceStore;
    let media: MediaStore;
    if (config.redisUrl) {
      redis = await connectRedis({ url: config.redisUrl, name: 'facematch' });
      const r = redis;
      closers.push(() => closeRedis(r));
      redis.on('error', (err: Error) => deps.logger.warn('redis connection error', { error: err.message }));
      cache = new RedisReferenceCache<CachedReference>({ redis, secret: Buffer.from(config.cacheSecret!, 'utf8'), ttlMs: config.cacheTtlMs });
      media = createRedisMediaStore({ redis, secret: config.mediaSecret!, clock: deps.clock });
    } else {
      cache = createReferenceCache<CachedReference>({
        ttlMs: config.cacheTtlMs,
        maxEntries: config.cacheMaxEntries,
        ...(config.cacheSecret ? { salt: Buffer.from(config.cacheSecret, 'utf8') } : {}),
      });
      // In memory, 60 minutes; signed with a per-process random key unless a secret is set.
      media = createMediaStore({ clock: deps.clock, secret: config.mediaSecret });
    }

    return {
      ledger,
      idempotency,
      cache,
      media,
      redis,
      pool,
      summary: {
        ledger: config.databaseUrl ? `postgres ${redactUrl(config.databaseUrl)}` : `file ${config.ledgerFile}`,
        cache: config.redisUrl ? `redis ${redactUrl(config.redisUrl)}` : 'memory',
        media: config.redisUrl ? 'redis' : 'memory',
      },
      async check() {
        const out: { postgres?: boolean; redis?: boolean } = {};
        if (pool) out.postgres = await pool.query('SELECT 1').then(() => true, () => false);
        if (redis) out.redis = await redis.ping().then((p) => p === 'PONG', () => false);
        return out;
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
