/**
 * Counters for the limit policy, on rate-limiter-flexible: in process memory by default, in Redis
 * (shared by every replica) when a client is given. One limiter per (name, window, points), created
 * on first use, so organisations with their own budgets share the same counters' keys.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Budget } from '../policy/limits.ts';

export type Limiter = RateLimiterAbstract;

export interface LimiterBackend {
  readonly kind: 'memory' | 'redis';
  limiter(name: string, budget: Budget): Limiter;
}

function cached(create: (name: string, budget: Budget) => Limiter, kind: LimiterBackend['kind']): LimiterBackend {
  const limiters = new Map<string, Limiter>();
  return {
    kind,
    limiter(name, budget) {
      const id = `${name}:${budget.windowSeconds}:${budget.points}`;
      let l = limiters.get(id);
      if (!l) limiters.set(id, (l = create(name, budget)));
      return l;
    },
  };
}

/** Counters in this process only (one replica). */
export function memoryLimiterBackend(): LimiterBackend {
  return cached((name, b) => new RateLimiterMemory({ keyPrefix: `fm:${name}:${b.windowSeconds}`, points: b.points, duration: b.windowSeconds }), 'memory');
}

/**
 * Counters in Redis, shared fleet-wide. `client` is an ioredis or node-redis client (the library
 * detects which). Give it no offline queue (ioredis `enableOfflineQueue: false`) so that, with Redis
 * down, a check fails at once (the caller answers a retryable 503) instead of waiting for a reconnect.
 */
export function redisLimiterBackend(client: unknown): LimiterBackend {
  return cached(
    (name, b) => new RateLimiterRedis({ storeClient: client, keyPrefix: `fm:${name}:${b.windowSeconds}`, points: b.points, duration: b.windowSeconds }),
    'redis',
  );
}

/** The library rejects with a RateLimiterRes when the budget is spent and with an Error when the store fails. */
export function isBudgetSpent(err: unknown): err is RateLimiterRes {
  return err instanceof RateLimiterRes;
}

/**
 * Counter keys for ID numbers: an HMAC under a secret, never the number in clear (Redis keys are
 * visible to anyone with access to the server). Replicas must share the secret to share counters.
 */
export function createIdKeyer(secret: string | undefined): (idType: string, idNumber: string) => string {
  const key = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
  return (idType, idNumber) => createHmac('sha256', key).update(`${idType}\u0000${idNumber}`).digest('base64url').slice(0, 32);
}
