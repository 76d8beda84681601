/**
 * NIBSS BVNR message protection as wrapped by the public sandbox SDK [client]: AES-128-CBC over the
 * JSON body, hex-encoded both ways; `Authorization` = base64(code:password); `SIGNATURE` =
 * SHA-256 hex of code + yyyyMMdd + password. Shared by the adapter and its mock.
 */
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';

export interface NibssSession {
  aesKey: string;
  ivKey: string;
  password: string;
}

function keyBytes(s: string, what: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  if (b.length !== 16) throw new RangeError(`${what} must be 16 bytes for AES-128`);
  return b;
}

export function nibssEncrypt(plain: string, session: Pick<NibssSession, 'aesKey' | 'ivKey'>): string {
  const cipher = createCipheriv('aes-128-cbc', keyBytes(session.aesKey, 'aes_key'), keyBytes(session.ivKey, 'ivkey'));
  return Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]).toString('hex');
}

/** Throws on non-hex input or a bad padding/key (the caller maps that to MALFORMED). */
export function nibssDecrypt(hex: string, session: Pick<NibssSession, 'aesKey' | 'ivKey'>): string {
  const trimmed = hex.trim();
  if (!/^(?:[0-9a-fA-F]{32})+$/.test(trimmed)) throw new Error('ciphertext is not hex blocks');
  const decipher = createDecipheriv('aes-128-cbc', keyBytes(session.aesKey, 'aes_key'), keyBytes(session.ivKey, 'ivkey'));
  return Buffer.concat([decipher.update(Buffer.from(trimmed, 'hex')), decipher.final()]).toString('utf8');
}

/** yyyyMMdd in Lagos time (UTC+1, no DST) [inf: the SDK uses the host's local date]. */
export function lagosDate(now: Date): string {
  const t = new Date(now.getTime() + 3600_000);
  return `${t.getUTCFullYear()}${String(t.getUTCMonth() + 1).padStart(2, '0')}${String(t.getUTCDate()).padStart(2, '0')}`;
}

export function nibssSignature(organisationCode: string, password: string, now: Date): string {
  return createHash('sha256').update(organisationCode + lagosDate(now) + password).digest('hex');
}

export function nibssAuthorization(organisationCode: string, password: string): string {
  return Buffer.from(`${organisationCode}:${password}`).toString('base64');
}
