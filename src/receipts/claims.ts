/**
 * What a verification receipt says. The receipt is a compact JWS (EdDSA / Ed25519) whose payload is
 * these claims: enough to prove later what was decided, with which model and threshold, on which
 * inputs — by hashes only, never the images or the full ID number.
 */
import { z } from 'zod';

export const RECEIPT_ISSUER = 'facematch';
/** The JWS `typ` header: tells a receipt apart from any other token signed with the same key. */
export const RECEIPT_TYPE = 'facematch-receipt+jwt';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'lower-case hex SHA-256');

export const ReceiptClaimsSchema = z.object({
  iss: z.literal(RECEIPT_ISSUER),
  /** Issued at, Unix seconds (the JWT convention); `time` below has the millisecond ISO form. */
  iat: z.number().int(),
  /** The request id (also `jti`, the JWT id). */
  jti: z.string(),
  request_id: z.string(),
  time: z.string().datetime(),
  org: z.string(),
  endpoint: z.string(),
  /** Registry products only; null on the selfie-vs-ID-image products. */
  id_type: z.string().nullable(),
  id_number_masked: z.string().nullable(),
  /** SHA-256 of the decoded selfie bytes (the file the caller sent, not its base64). */
  selfie_sha256: sha256Hex,
  /** SHA-256 of the registry's reference photo bytes, or of the decoded ID image. */
  reference_sha256: sha256Hex.nullable(),
  engine: z.string(),
  calibration: z.string(),
  /** On the endpoint's own scale: 0–1 on /v1/face-comparison, 0–100 on the face-match products. */
  threshold: z.number(),
  score: z.number().nullable(),
  /** CONFIRMED / MISMATCH, the face-match code, or the report status. */
  verdict: z.string(),
  /** The registry that supplied the reference (its adapter id), or `id_image` when the caller sent it. */
  source: z.string(),
});

export type ReceiptClaims = z.infer<typeof ReceiptClaimsSchema>;

/** What the routes know about a completed verification; the signer adds iss/iat/jti. */
export type ReceiptFacts = Omit<ReceiptClaims, 'iss' | 'iat' | 'jti'>;
