/** The receipt and crop-link fields as they appear in response schemas (OpenAPI). */
import { z } from '@hono/zod-openapi';
import { IdempotencyHeadersSchema } from '../api/idempotency.ts';

/** The header that carries the receipt on every completed verification (the only place on the strict envelopes). */
export const RECEIPT_HEADER = 'Facematch-Receipt';
/** Request header: `links` asks for temporary links to the two face crops in `meta.crops`. */
export const CROPS_HEADER = 'Facematch-Crops';
/** Response headers with the crop links, when they were asked for. */
export const CROP_LINK_HEADERS = { selfie: 'Facematch-Crop-Selfie', reference: 'Facematch-Crop-Reference' } as const;

/**
 * The request headers of the routes that complete a verification. Facematch-Crops is declared as a
 * free string (not an enum) because any other value is ignored rather than refused.
 */
export const VerificationHeadersSchema = IdempotencyHeadersSchema.extend({
  'facematch-crops': z
    .string()
    .optional()
    .openapi({
      description: `Optional. \`links\` (any case) asks for temporary links to the two aligned face crops: in the ${CROP_LINK_HEADERS.selfie} and ${CROP_LINK_HEADERS.reference} response headers, and in \`meta.crops\` where the envelope has a meta. Any other value is ignored.`,
      example: 'links',
    }),
});

export const ReceiptJwsSchema = z.string().regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/).openapi({
  description:
    'Signed verification receipt: a compact JWS (EdDSA, Ed25519) over the request id, time, organisation, endpoint, id_type, masked id_number, SHA-256 of the selfie and reference photo bytes, engine and calibration versions, threshold, score, verdict and registry source. ' +
    'Verify it against GET /.well-known/jwks.json (`npx facematch receipt verify <jws> --jwks <file|url>`). Also sent as the Facematch-Receipt header.',
  example: 'eyJhbGciOiJFZERTQSIsImtpZCI6IjIwMjYtMTIiLCJ0eXAiOiJmYWNlbWF0Y2gtcmVjZWlwdCtqd3QifQ.eyJpc3MiOiJmYWNlbWF0Y2gifQ.c2lnbmF0dXJl',
});

export const CropLinksSchema = z
  .object({
    selfie: z.string().nullable().openapi({ description: 'The selfie face crop (aligned 224×224 JPEG): an absolute URL under FACEMATCH_PUBLIC_BASE_URL when it is set, else a path on this service.' }),
    reference: z.string().nullable().openapi({ description: 'The reference face crop (registry photo or ID image), as `selfie`.' }),
  })
  .openapi('CropLinks', {
    description: `Present only when the request sent \`${CROPS_HEADER}: links\`: temporary links (GET /v1/media/{token}, 60 minutes, memory only) to the two aligned face crops.`,
  });
