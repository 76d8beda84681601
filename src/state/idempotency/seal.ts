/**
 * Stored answers are sealed with AES-256-GCM under a key derived (HKDF-SHA256) from the
 * Idempotency-Key itself and the organisation. The store keeps only a hash of the key, so what it
 * holds (identity records of CONFIRMED answers) cannot be read without the key the client sent.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

const INFO = 'facematch idempotency answer v1';

function keyFor(idempotencyKey: string, orgId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(idempotencyKey, 'utf8'), Buffer.from(orgId, 'utf8'), INFO, 32));
}

/** The record's id: SHA-256 over the organisation and the key (the key itself is never stored). */
export function hashIdempotencyKey(idempotencyKey: string, orgId: string): string {
  return createHash('sha256').update(`${orgId}\u0000${idempotencyKey}`).digest('hex');
}

/** iv (12) | tag (16) | ciphertext */
export function seal(plain: Uint8Array, idempotencyKey: string, orgId: string): Uint8Array {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(idempotencyKey, orgId), iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** The plain answer, or undefined if it was not sealed under this key (or was altered). */
export function unseal(sealed: Uint8Array, idempotencyKey: string, orgId: string): Uint8Array | undefined {
  const buf = Buffer.from(sealed);
  if (buf.length < 28) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFor(idempotencyKey, orgId), buf.subarray(0, 12));
    decipher.setAuthTag(buf.subarray(12, 28));
    return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]);
  } catch {
    return undefined;
  }
}
