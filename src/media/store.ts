/**
 * Temporary image links for the face-match report (`source_image`, `target_image`).
 *
 * Images (the engine's aligned 224×224 face crops, JPEG) are held in memory only, in an LRU cache
 * whose TTL follows the injected clock, and vanish after expiry or a restart. A link is
 * `<id>.<expiry>.<signature>`: a random 128-bit id, the expiry in Unix seconds, and an HMAC-SHA256
 * over (id, expiry) under a per-process random key (or a configured secret). The signature lets an
 * expired link be told apart from a forged one without keeping anything after expiry:
 *   valid signature, before expiry, held   → the image
 *   valid signature, after expiry          → expired (HTTP 410)
 *   valid signature, not held (restart, eviction), bad signature, malformed → not found (HTTP 404)
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';

export interface MediaClock {
  now(): Date;
}

/** 60 minutes, as documented for the report's image links. */
export const MEDIA_TTL_MS = 60 * 60 * 1000;

export interface MediaStoreOptions {
  clock?: MediaClock;
  ttlMs?: number;
  /** Signing secret. Default: 32 random bytes per process (links die with the process anyway). */
  secret?: string | Uint8Array;
  /** Most images held at once (oldest evicted first). */
  maxEntries?: number;
  /** Most bytes held at once. */
  maxBytes?: number;
}

export interface StoredMedia {
  token: string;
  expiresAt: Date;
}

export type MediaLookup =
  | { status: 'ok'; bytes: Uint8Array; contentType: string; expiresAt: Date }
  | { status: 'expired' }
  | { status: 'not_found' };

/** In memory (this file) or in Redis for a fleet (redis-store.ts); callers await either. */
export interface MediaStore {
  put(bytes: Uint8Array, contentType?: string): StoredMedia | Promise<StoredMedia>;
  get(token: string): MediaLookup | Promise<MediaLookup>;
  readonly ttlMs: number;
}

export interface LinkSigner {
  token(id: string, expSeconds: number): string;
  /** The id and expiry of a well-formed token with a valid signature, else undefined. */
  verify(token: string): { id: string; expSeconds: number } | undefined;
}

/** Sign and check `<id>.<expiry>.<signature>` tokens (HMAC-SHA256 over id and expiry). */
export function createLinkSigner(secret: string | Uint8Array | undefined): LinkSigner {
  const key = secret === undefined ? randomBytes(32) : typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (key.length < 16) throw new Error('the media signing secret must be at least 16 bytes');
  const sign = (id: string, exp: string) => createHmac('sha256', key).update(`${id}.${exp}`).digest('base64url');
  return {
    token: (id, expSeconds) => `${id}.${expSeconds}.${sign(id, String(expSeconds))}`,
    verify(token) {
      const m = TOKEN.exec(token);
      if (!m) return undefined;
      const [, id, exp, signature] = m as unknown as [string, string, string, string];
      const expected = Buffer.from(sign(id, exp));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
      return { id, expSeconds: Number(exp) };
    },
  };
}

interface Entry {
  bytes: Uint8Array;
  contentType: string;
  expiresAtMs: number;
}

const TOKEN = /^([A-Za-z0-9_-]{22})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

/** The in-memory store answers synchronously. */
export interface MemoryMediaStore extends MediaStore {
  put(bytes: Uint8Array, contentType?: string): StoredMedia;
  get(token: string): MediaLookup;
}

export function createMediaStore(options: MediaStoreOptions = {}): MemoryMediaStore {
  const clock = options.clock ?? { now: () => new Date() };
  const ttlMs = options.ttlMs ?? MEDIA_TTL_MS;
  const signer = createLinkSigner(options.secret);
  const cache = new LRUCache<string, Entry>({
    max: options.maxEntries ?? 10_000,
    maxSize: options.maxBytes ?? 256 * 1024 * 1024,
    sizeCalculation: (e) => Math.max(1, e.bytes.byteLength),
    ttl: ttlMs,
    // Expiry follows the injected clock (tests move it); no cached "now".
    perf: { now: () => clock.now().getTime() },
    ttlResolution: 0,
  });
  let lastPurge = 0;

  return {
    ttlMs,
    put(bytes, contentType = 'image/jpeg') {
      const id = randomBytes(16).toString('base64url');
      const nowMs = clock.now().getTime();
      const expSeconds = Math.ceil((nowMs + ttlMs) / 1000);
      // Drop expired images now and then (no timers: expiry follows the injected clock).
      if (nowMs - lastPurge > 60_000) {
        cache.purgeStale();
        lastPurge = nowMs;
      }
      cache.set(id, { bytes, contentType, expiresAtMs: expSeconds * 1000 }, { ttl: expSeconds * 1000 - nowMs });
      return { token: signer.token(id, expSeconds), expiresAt: new Date(expSeconds * 1000) };
    },
    get(token) {
      const link = signer.verify(token);
      if (!link) return { status: 'not_found' };
      const { id, expSeconds } = link;
      if (clock.now().getTime() >= expSeconds * 1000) {
        cache.delete(id);
        return { status: 'expired' };
      }
      const entry = cache.get(id);
      if (!entry) return { status: 'not_found' };
      return { status: 'ok', bytes: entry.bytes, contentType: entry.contentType, expiresAt: new Date(entry.expiresAtMs) };
    },
  };
}
