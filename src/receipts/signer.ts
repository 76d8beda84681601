/** Signs receipts with the active key and publishes every public key (the JWKS). */
import { randomUUID } from 'node:crypto';
import { SignJWT, type JWK } from 'jose';
import { RECEIPT_ISSUER, RECEIPT_TYPE, type ReceiptFacts } from './claims.ts';
import { generateReceiptKey, importSigningKey, publicJwk, RECEIPT_ALG, type ReceiptKeyFile } from './keys.ts';

export interface ReceiptSigner {
  /** True when the key was generated in memory (not from configuration). */
  readonly ephemeral: boolean;
  sign(facts: ReceiptFacts): Promise<string>;
  /** Public keys only: every configured key (active and retired). */
  jwks(): Promise<{ keys: JWK[] }>;
  /** The kid that signs now. */
  activeKid(): Promise<string>;
}

interface Ready {
  kid: string;
  key: CryptoKey | Uint8Array;
  published: { keys: JWK[] };
}

function prepare(keyFile: ReceiptKeyFile): Promise<Ready> {
  const active = keyFile.keys.filter((k) => k.d).at(-1);
  if (!active) return Promise.reject(new Error('the receipt key file has no key with a private part (d) to sign with'));
  return importSigningKey(active).then((key) => ({ kid: active.kid, key, published: { keys: keyFile.keys.map(publicJwk) } }));
}

function signerOver(ready: Promise<Ready>, ephemeral: boolean): ReceiptSigner {
  ready.catch(() => undefined); // surfaced on first use
  return {
    ephemeral,
    async sign(facts) {
      const { kid, key } = await ready;
      return new SignJWT({ ...facts })
        .setProtectedHeader({ alg: RECEIPT_ALG, kid, typ: RECEIPT_TYPE })
        .setIssuer(RECEIPT_ISSUER)
        .setIssuedAt(Math.floor(Date.parse(facts.time) / 1000))
        .setJti(facts.request_id)
        .sign(key);
    },
    jwks: async () => structuredClone((await ready).published),
    activeKid: async () => (await ready).kid,
  };
}

/** Signs with the last key of the file that has a private part; publishes all of them. */
export function createReceiptSigner(keyFile: ReceiptKeyFile): ReceiptSigner {
  return signerOver(prepare(keyFile), false);
}

/** A signer with a key generated in memory: its receipts verify only against this process's JWKS. */
export function createEphemeralReceiptSigner(): ReceiptSigner {
  return signerOver(generateReceiptKey(`ephemeral-${randomUUID().slice(0, 8)}`).then((k) => prepare({ keys: [k] })), true);
}
