/**
 * The report's image links in Redis, so a link made by one replica opens on every other. The crops
 * live only in Redis memory (the server must run without persistence: see README "Running a fleet"),
 * under `fm:media:<id>` with the link's TTL. Links are signed as by the in-memory store, with the
 * secret shared by all replicas (FACEMATCH_MEDIA_SECRET).
 */
import { randomBytes } from 'node:crypto';
import { redisCall, type Redis } from '../state/redis.ts';
import { createLinkSigner, MEDIA_TTL_MS, type MediaClock, type MediaLookup, type MediaStore, type StoredMedia } from './store.ts';

export interface RedisMediaStoreOptions {
  redis: Redis;
  /** Signing secret shared by the replicas (at least 16 bytes). */
  secret: string | Uint8Array;
  clock?: MediaClock;
  ttlMs?: number;
  prefix?: string;
}

/** Value: one byte with the content type's length, the content type, then the image bytes. */
function encode(bytes: Uint8Array, contentType: string): Buffer {
  const ct = Buffer.from(contentType, 'latin1');
  return Buffer.concat([Buffer.from([ct.length]), ct, bytes]);
}

function decode(buf: Buffer): { bytes: Uint8Array; contentType: string } | undefined {
  if (buf.length < 1 || buf.length < 1 + buf[0]!) return undefined;
  return { contentType: buf.subarray(1, 1 + buf[0]!).toString('latin1'), bytes: new Uint8Array(buf.subarray(1 + buf[0]!)) };
}

export function createRedisMediaStore(options: RedisMediaStoreOptions): MediaStore {
  const clock = options.clock ?? { now: () => new Date() };
  const ttlMs = options.ttlMs ?? MEDIA_TTL_MS;
  const prefix = options.prefix ?? 'fm:media:';
  const signer = createLinkSigner(options.secret);
  return {
    ttlMs,
    async put(bytes, contentType = 'image/jpeg'): Promise<StoredMedia> {
      const id = randomBytes(16).toString('base64url');
      const nowMs = clock.now().getTime();
      const expSeconds = Math.ceil((nowMs + ttlMs) / 1000);
      await redisCall('image link write', () => options.redis.set(prefix + id, encode(bytes, contentType), 'PX', Math.max(1, expSeconds * 1000 - nowMs)));
      return { token: signer.token(id, expSeconds), expiresAt: new Date(expSeconds * 1000) };
    },
    async get(token): Promise<MediaLookup> {
      const link = signer.verify(token);
      if (!link) return { status: 'not_found' };
      if (clock.now().getTime() >= link.expSeconds * 1000) return { status: 'expired' };
      const buf = await redisCall('image link read', () => options.redis.getBuffer(prefix + link.id));
      const entry = buf ? decode(buf) : undefined;
      if (!entry) return { status: 'not_found' };
      return { status: 'ok', ...entry, expiresAt: new Date(link.expSeconds * 1000) };
    },
  };
}
