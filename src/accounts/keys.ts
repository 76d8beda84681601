/**
 * API keys: `fm_` + 32 random bytes in base64url (256 bits). Only a SHA-256 hash is stored; a fast hash
 * is sound here because the key is high-entropy (no dictionary to attack), unlike a password.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const KEY_PREFIX = 'fm_';
const HASH_PREFIX = 'sha256:';

export function generateApiKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

/** The stored form of a key: "sha256:<hex>". */
export function hashApiKey(key: string): string {
  return HASH_PREFIX + createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A short, non-secret handle for logs and listings: the first characters after the prefix. */
export function keyHint(key: string): string {
  return key.slice(0, KEY_PREFIX.length + 6);
}

/** Constant-time comparison of two stored hashes. */
export function hashesEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  if (ab.length !== bb.length) return false;
  return timingSafeEqual(ab, bb);
}

export const API_KEY_HASH_PATTERN = /^sha256:[0-9a-f]{64}$/;
