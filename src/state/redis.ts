/**
 * The Redis client factory shared by every Redis-backed port (reference cache, image links, limit
 * counters). ioredis: maintained, typed, with reconnection, pipelining and Lua scripting, and the
 * client rate-limiter-flexible supports natively.
 *
 * Clients fail fast instead of queueing while disconnected (enableOfflineQueue: false, one retry
 * per command, a command timeout), so a Redis outage turns into a prompt retryable 503 rather than
 * requests piling up behind a dead socket. They keep reconnecting in the background.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { StateUnavailableError } from './unavailable.ts';
import { redactUrl } from './url.ts';

export { redactUrl };

export type { Redis } from 'ioredis';

export interface RedisClientOptions {
  /** redis://[user:password@]host:port[/db] or rediss:// for TLS. */
  url: string;
  /** Shown in CLIENT LIST, e.g. "facematch:cache". */
  name?: string;
  /** Fail a command that has no answer after this many ms. Default 2000. */
  commandTimeoutMs?: number;
  /** Give up on the first connection after this many ms. Default 5000. */
  connectTimeoutMs?: number;
  /** Extra ioredis options (override the defaults above). */
  extra?: RedisOptions;
}

export function createRedisClient(options: RedisClientOptions): Redis {
  return new Redis(options.url, {
    connectionName: options.name ?? 'facematch',
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 2_000,
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    // Back off up to 2 s between reconnection attempts, forever: the service must heal by itself.
    retryStrategy: (times) => Math.min(times * 100, 2_000),
    ...options.extra,
  });
}

/**
 * Create a client and wait until it is connected (start-up: a configured Redis that is not there
 * is a start-up error, not something discovered by the first request).
 */
export async function connectRedis(options: RedisClientOptions): Promise<Redis> {
  const client = createRedisClient(options);
  // Without a listener ioredis prints every connection error; callers watch `status` instead.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    client.disconnect();
    throw new StateUnavailableError('redis', `cannot connect to Redis at ${redactUrl(options.url)}: ${(err as Error).message}`, { cause: err });
  }
  return client;
}

/** Run a Redis command, turning connection failures and timeouts into StateUnavailableError. */
export async function redisCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new StateUnavailableError('redis', `Redis ${what} failed: ${(err as Error).message}`, { cause: err });
  }
}

export async function closeRedis(client: Redis): Promise<void> {
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
