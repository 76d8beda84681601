/** Checks a receipt against a JWKS (file contents or URL) and returns its validated claims. */
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { RECEIPT_ISSUER, RECEIPT_TYPE, ReceiptClaimsSchema, type ReceiptClaims } from './claims.ts';
import { RECEIPT_ALG } from './keys.ts';

export interface VerifiedReceipt {
  kid: string;
  claims: ReceiptClaims;
}

export function keySetFrom(jwks: JSONWebKeySet | URL): JWTVerifyGetKey {
  return jwks instanceof URL ? createRemoteJWKSet(jwks) : createLocalJWKSet(jwks);
}

/** Throws when the signature, algorithm, type, issuer or claim shape is wrong. */
export async function verifyReceipt(jws: string, keys: JWTVerifyGetKey): Promise<VerifiedReceipt> {
  const { payload, protectedHeader } = await jwtVerify(jws.trim(), keys, { algorithms: [RECEIPT_ALG], issuer: RECEIPT_ISSUER, typ: RECEIPT_TYPE });
  const claims = ReceiptClaimsSchema.parse(payload);
  return { kid: protectedHeader.kid ?? '', claims };
}
