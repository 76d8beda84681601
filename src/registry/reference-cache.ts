/**
 * In-memory cache of reference data per identity (e.g. identity record + reference embedding +
 * engine version). Keys are HMAC-SHA-256 of (id_type, id_number) under a per-process random salt,
 * so ID numbers are never held in clear as keys; nothing is written to disk. Do not store photo bytes.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';

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
    return createHmac('sha256', this.salt).update(`${idType}\u0000${idNumber}`).digest('hex');
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
