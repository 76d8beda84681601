/** The receipt and crop-link fields as they appear in response schemas (OpenAPI). */
import { z } from '@hono/zod-openapi';

/** The header that carries the receipt on every completed verification (the only place on the strict envelopes). */
export const RECEIPT_HEADER = 'Facematch-Receipt';
/** Request header: `links` asks for temporary links to the two face crops in `meta.crops`. */
export const CROPS_HEADER = 'Facematch-Crops';
/** Response headers with the crop links, when they were asked for. */
export const CROP_LINK_HEADERS = { selfie: 'Facematch-Crop-Selfie', reference: 'Facematch-Crop-Reference' } as const;

export const ReceiptJwsSchema = z.string().regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/).openapi({
  description:
    'Signed verification receipt: a compact JWS (EdDSA, Ed25519) over the request id, time, organisation, endpoint, id_type, masked id_number, SHA-256 of the selfie and reference photo bytes, engine and calibration versions, threshold, score, verdict and registry source. ' +
    'Verify it against GET /.well-known/jwks.json (`npx facematch receipt verify <jws> --jwks <file|url>`). Also sent as the Facematch-Receipt header.',
  example: 'eyJhbGciOiJFZERTQSIsImtpZCI6IjIwMjYtMTIiLCJ0eXAiOiJmYWNlbWF0Y2gtcmVjZWlwdCtqd3QifQ.eyJpc3MiOiJmYWNlbWF0Y2gifQ.c2lnbmF0dXJl',
});

export const CropLinksSchema = z
  .object({
    selfie: z.string().url().nullable().openapi({ description: 'The selfie face crop (aligned 224×224 JPEG).' }),
    reference: z.string().url().nullable().openapi({ description: 'The reference face crop (registry photo or ID image).' }),
  })
  .openapi('CropLinks', {
    description: `Present only when the request sent \`${CROPS_HEADER}: links\`: temporary links (GET /v1/media/{token}, 60 minutes, memory only) to the two aligned face crops.`,
  });
