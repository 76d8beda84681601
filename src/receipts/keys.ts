/**
 * Receipt signing keys. A key file is a JWK Set of Ed25519 keys (`kty: OKP`, `crv: Ed25519`), each
 * with a `kid`:
 *   - keys with the private part `d` can sign; the LAST of them is the active key (rotation = append);
 *   - keys without `d` are retired: still published so old receipts verify, never used to sign.
 * Without a key file the service generates a key in memory (receipts then verify only against
 * that process's JWKS; a fleet must configure a shared file).
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { z } from 'zod';

export const RECEIPT_ALG = 'EdDSA';

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/);

export const ReceiptJwkSchema = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  kid: z.string().min(1).max(100),
  x: base64url,
  d: base64url.optional(),
  alg: z.literal(RECEIPT_ALG).optional(),
  use: z.literal('sig').optional(),
});

export const ReceiptKeyFileSchema = z.object({ keys: z.array(ReceiptJwkSchema).min(1) }).superRefine((file, ctx) => {
  const kids = file.keys.map((k) => k.kid);
  if (new Set(kids).size !== kids.length) ctx.addIssue({ code: 'custom', message: 'every key needs a distinct kid' });
});

export type ReceiptJwk = z.infer<typeof ReceiptJwkSchema>;
export type ReceiptKeyFile = z.infer<typeof ReceiptKeyFileSchema>;

/** The public part of a key, as published in the JWKS. */
export function publicJwk(key: ReceiptJwk): JWK {
  return { kty: key.kty, crv: key.crv, x: key.x, kid: key.kid, alg: RECEIPT_ALG, use: 'sig' };
}

export function parseKeyFile(json: unknown, origin = 'receipt key file'): ReceiptKeyFile {
  const parsed = ReceiptKeyFileSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${origin}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export function readKeyFile(file: string): ReceiptKeyFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`receipt key file ${file}: ${(err as Error).message}`);
  }
  return parseKeyFile(json, `receipt key file ${file}`);
}

/** A fresh Ed25519 key as a private JWK with the given kid. */
export async function generateReceiptKey(kid: string): Promise<ReceiptJwk> {
  const { privateKey } = await generateKeyPair(RECEIPT_ALG, { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  return ReceiptJwkSchema.parse({ ...jwk, kid, alg: RECEIPT_ALG, use: 'sig' });
}

/** Rotation: append a new key (it becomes the active one); the previous keys stay published. */
export async function addKeyToFile(file: string, kid: string): Promise<ReceiptJwk> {
  const current = existsSync(file) ? readKeyFile(file) : { keys: [] };
  if (current.keys.some((k) => k.kid === kid)) throw new Error(`kid ${kid} is already in ${file}`);
  const key = await generateReceiptKey(kid);
  writeFileSync(file, JSON.stringify({ keys: [...current.keys, key] }, null, 2) + '\n', { mode: 0o600 });
  return key;
}

export async function importSigningKey(key: ReceiptJwk) {
  if (!key.d) throw new Error(`receipt key ${key.kid} has no private part`);
  return importJWK({ ...key }, RECEIPT_ALG);
}
