/**
 * Cache of reference data per identity (e.g. identity record + reference embedding + engine
 * version). Keys are HMAC-SHA-256 of (id_type, id_number) under a secret, so ID numbers are never
 * held in clear as keys; nothing is written to disk. Do not store photo bytes.
 *
 * Two implementations of one port: ReferenceCache (in memory, lru-cache; per-process random secret
 * by default) and RedisReferenceCache (shared by replicas: the secret must be the same on all of them;
 * values are binary, with a TTL, in Redis memory).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { redisCall, type Redis } from '../state/redis.ts';

/** The opaque cache key for an identity: hex HMAC-SHA-256(secret, id_type NUL id_number). */
export function referenceKey(secret: Uint8Array, idType: string, idNumber: string): string {
  return createHmac('sha256', secret).update(`${idType}\u0000${idNumber}`).digest('hex');
}

export interface ReferenceCacheOptions {
  /** Time to live per entry, ms. */
  ttlMs: number;
  maxEntries: number;
  /** Injectable clock (ms) for tests. */
  now?: () => number;
  /** Secret for the key HMAC; random per process when omitted. */
  salt?: Uint8Array;
}

export const DEFAULT_REFERENCE_CACHE_OPTIONS = { ttlMs: 10 * 60_000, maxEntries: 10_000 } as const;

export class ReferenceCache<V extends {}> {
  private readonly lru: LRUCache<string, V>;
  private readonly salt: Uint8Array;

  constructor(options: Partial<ReferenceCacheOptions> = {}) {
    const ttl = options.ttlMs ?? DEFAULT_REFERENCE_CACHE_OPTIONS.ttlMs;
    const max = options.maxEntries ?? DEFAULT_REFERENCE_CACHE_OPTIONS.maxEntries;
    if (!(ttl > 0) || !(max > 0)) throw new RangeError('ReferenceCache needs a positive ttlMs and maxEntries');
    this.salt = options.salt ?? randomBytes(32);
    const now = options.now;
    this.lru = new LRUCache<string, V>({
      max,
      ttl,
      ttlResolution: 0,
      updateAgeOnGet: false,
      allowStale: false,
      ...(now ? { perf: { now } } : {}),
    });
  }

  /** The opaque key for an identity: hex HMAC-SHA-256(salt, id_type NUL id_number). */
  keyFor(idType: string, idNumber: string): string {
    return referenceKey(this.salt, idType, idNumber);
  }

  get(idType: string, idNumber: string): V | undefined {
    return this.lru.get(this.keyFor(idType, idNumber));
  }

  set(idType: string, idNumber: string, value: V, ttlMs?: number): void {
    this.lru.set(this.keyFor(idType, idNumber), value, ttlMs ? { ttl: ttlMs } : undefined);
  }

  has(idType: string, idNumber: string): boolean {
    return this.lru.has(this.keyFor(idType, idNumber));
  }

  delete(idType: string, idNumber: string): boolean {
    return this.lru.delete(this.keyFor(idType, idNumber));
  }

  clear(): void {
    this.lru.clear();
  }

  /** Entries currently held (expired ones may still count until touched). */
  get size(): number {
    return this.lru.size;
  }

  /** The stored keys (hashes only), for tests and diagnostics. */
  keys(): string[] {
    return [...this.lru.keys()];
  }
}

export function createReferenceCache<V extends {}>(options: Partial<ReferenceCacheOptions> = {}): ReferenceCache<V> {
  return new ReferenceCache<V>(options);
}

/** What the Redis cache stores: an embedding plus JSON-serialisable metadata. */
export interface EmbeddingEntry {
  embedding: Float32Array;
}

export interface RedisReferenceCacheOptions {
  redis: Redis;
  /** Shared by every replica (at least 16 bytes), so all of them compute the same keys. */
  secret: Uint8Array;
  ttlMs: number;
  /** Key namespace. Default "fm:ref:". */
  prefix?: string;
}

/**
 * The reference cache in Redis: value = uint32 length of the metadata JSON, the JSON, then the
 * embedding's float32 bytes (little-endian); SET with PX so Redis drops it after the TTL.
 * A Redis that cannot be reached raises StateUnavailableError.
 */
export class RedisReferenceCache<V extends EmbeddingEntry> {
  private readonly prefix: string;

  constructor(private readonly options: RedisReferenceCacheOptions) {
    if (options.secret.byteLength < 16) throw new Error('the reference cache secret must be at least 16 bytes');
    if (!(options.ttlMs > 0)) throw new RangeError('RedisReferenceCache needs a positive ttlMs');
    this.prefix = options.prefix ?? 'fm:ref:';
  }

  keyFor(idType: string, idNumber: string): string {
    return this.prefix + referenceKey(this.options.secret, idType, idNumber);
  }

  async get(idType: string, idNumber: string): Promise<V | undefined> {
    const buf = await redisCall('reference cache read', () => this.options.redis.getBuffer(this.keyFor(idType, idNumber)));
    return buf ? decodeEntry<V>(buf) : undefined;
  }

  async set(idType: string, idNumber: string, value: V): Promise<void> {
    await redisCall('reference cache write', () => this.options.redis.set(this.keyFor(idType, idNumber), encodeEntry(value), 'PX', this.options.ttlMs));
  }

  async delete(idType: string, idNumber: string): Promise<boolean> {
    return (await redisCall('reference cache delete', () => this.options.redis.del(this.keyFor(idType, idNumber)))) > 0;
  }
}

export function encodeEntry(value: EmbeddingEntry): Buffer {
  const { embedding, ...meta } = value;
  const json = Buffer.from(JSON.stringify(meta), 'utf8');
  const out = Buffer.alloc(4 + json.length + embedding.byteLength);
  out.writeUInt32LE(json.length, 0);
  json.copy(out, 4);
  for (let i = 0; i < embedding.length; i++) out.writeFloatLE(embedding[i]!, 4 + json.length + i * 4);
  return out;
}

export function decodeEntry<V extends EmbeddingEntry>(buf: Buffer): V | undefined {
  if (buf.length < 4) return undefined;
  const jsonLength = buf.readUInt32LE(0);
  const start = 4 + jsonLength;
  if (start > buf.length || (buf.length - start) % 4 !== 0) return undefined;
  try {
    const meta = JSON.parse(buf.subarray(4, start).toString('utf8')) as Omit<V, 'embedding'>;
    const embedding = new Float32Array((buf.length - start) / 4);
    for (let i = 0; i < embedding.length; i++) embedding[i] = buf.readFloatLE(start + i * 4);
    return { ...meta, embedding } as V;
  } catch {
    return undefined;
  }
}
