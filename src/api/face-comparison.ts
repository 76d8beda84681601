/**
 * POST /v1/face-comparison: request and response schemas. These zod schemas are the single source of
 * truth for validation and for the OpenAPI document.
 */
import { z } from '@hono/zod-openapi';
import { MATCH_RESULTS, REASON_CODES, STRENGTH_TIERS } from '../policy/policy.ts';
import { DEFAULT_THRESHOLD } from '../policy/thresholds.ts';
import { MetaSchema } from './envelope.ts';
import { CropLinksSchema, ReceiptJwsSchema } from '../receipts/openapi.ts';
import { WarningSchema } from './warnings.ts';

/** Truncated, for documentation only. */
const EXAMPLE_SELFIE = 'data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD...';

/** "Required" for an absent field, `message` for a present one of the wrong type. */
const typeError = (message: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'Required' : message);

export const FaceComparisonRequestSchema = z
  .object({
    selfie: z.string({ error: typeError('selfie must be a Base64 string') }).min(1, 'selfie must not be empty').openapi({
      description: 'A clear, frontal selfie: raw Base64 or a data URL (data:image/jpeg;base64,...). JPEG, PNG or WebP, at most 10 MB decoded.',
      example: EXAMPLE_SELFIE,
    }),
    id_number: z.string({ error: typeError('id_number must be a string') }).trim().min(1, 'id_number must not be empty').max(64, 'id_number is too long').openapi({
      description: 'The government-issued identity number; validated by the registry adapter for the id_type (format and check digit).',
      example: '70123456789',
    }),
    id_type: z.string({ error: typeError('id_type must be a string') }).trim().min(1, 'id_type must not be empty').max(32, 'id_type is too long').openapi({
      description: 'The identity document type; selects the registry. The served values are listed by GET /health (e.g. NG_NIN, NG_BVN, KE_NATIONAL_ID, GH_GHANA_CARD, PE_DNI, ZA_ID).',
      example: 'NG_NIN',
    }),
    aadhaar_zip: z
      .string({ error: typeError('aadhaar_zip must be a Base64 string') })
      .min(1, 'aadhaar_zip must not be empty')
      .max(3_000_000, 'aadhaar_zip is too large (the ZIP may be at most 2 MB)')
      .optional()
      .openapi({ description: "IN_AADHAAR only: the holder's offline e-KYC ZIP from UIDAI, Base64. It is verified (share code, UIDAI signature) and used as the reference; id_number is then the last 4 digits of the Aadhaar number (or all 12)." }),
    share_code: z
      .string({ error: typeError('share_code must be a string') })
      .min(1, 'share_code must not be empty')
      .max(32, 'share_code is too long')
      .optional()
      .openapi({ description: 'IN_AADHAAR only: the share code that opens aadhaar_zip.', example: '1234' }),
    threshold: z
      .number({ error: 'threshold must be a number' })
      .min(0, 'threshold must be at least 0.0')
      .max(1, 'threshold must be at most 1.0')
      .optional()
      .openapi({
        description: 'Minimum score for a CONFIRMED match, between 0.0 and 1.0. Default 0.75. Suggested: 0.85 strict (regulated KYC), 0.75 balanced, 0.60 permissive.',
        example: 0.75,
        default: DEFAULT_THRESHOLD,
      }),
  })
  .openapi('FaceComparisonRequest');

export const IdentitySchema = z
  .object({ full_name: z.string().optional() })
  .catchall(z.unknown())
  .openapi('Identity', {
    description: 'The identity record from the source registry (name, date of birth, address and other registered attributes). Registry-specific fields are snake_case. Registries that match at source may confirm no name.',
    example: { full_name: 'Adaeze Okonkwo', first_name: 'Adaeze', last_name: 'Okonkwo', date_of_birth: '1990-04-12', gender: 'F', nationality: 'NG' },
  });

export const WithheldIdentitySchema = z
  .object({
    record: z.literal('WITHHELD').openapi({ description: 'The registry record is not returned: the selfie did not match it.' }),
    id_type: z.string().openapi({ example: 'PE_DNI' }),
    id_number: z.string().openapi({ description: 'The id_number sent, masked to its last characters.', example: '******18' }),
  })
  .openapi('WithheldIdentity', { description: 'On MISMATCH: no registry data, only what the caller sent (the number masked).' });

export const ConfidenceSchema = z
  .object({
    score: z.number().min(0).max(1).openapi({ description: 'Calibrated similarity of the selfie and the registry photo in [0, 1], rounded to 2 decimals.', example: 0.91 }),
    threshold: z.number().min(0).max(1).openapi({ description: 'The threshold applied (from the request or the default 0.75).', example: 0.75 }),
    status: z.enum(STRENGTH_TIERS).openapi({
      description: 'Strength tier. STRONG_MATCH: score ≥ threshold and ≥ 0.85. MATCH: score ≥ threshold but < 0.85. NO_MATCH: score < threshold.',
      example: 'STRONG_MATCH',
    }),
  })
  .openapi('Confidence');

export const FaceComparisonDataSchema = z
  .object({
    match_result: z.enum(MATCH_RESULTS).openapi({ description: 'CONFIRMED when score ≥ threshold, otherwise MISMATCH.', example: 'CONFIRMED' }),
    confidence: ConfidenceSchema,
    identity: z.union([IdentitySchema, WithheldIdentitySchema]).openapi({
      description: 'CONFIRMED: the identity record from the registry. MISMATCH: withheld; only the id_type and the masked id_number sent.',
    }),
    details: z.object({
      reason_code: z.enum(REASON_CODES).openapi({ example: 'MATCH_SUCCESS' }),
      remarks: z.string().openapi({ description: 'Plain-language description of the result, for audit logs.', example: 'The selfie matches the registry photo with high confidence (score 0.91, threshold 0.75).' }),
      faces_in_selfie: z.number().int().min(1).openapi({ description: 'Faces detected in the selfie; the largest one is compared.', example: 1 }),
      source: z.string().openapi({ description: 'The registry adapter that supplied the reference.', example: 'ng-nin' }),
      match_at_source: z.literal(true).optional().openapi({ description: 'Present when the registry compared the faces itself (no photo left the registry); the score is its similarity mapped by the documented per-registry table.' }),
      registry_band: z.string().optional().openapi({ description: "Match at source: the registry's own band label, e.g. 'Alta probabilidade'.", example: 'Alta probabilidade' }),
      warnings: z.array(WarningSchema).optional().openapi({
        description: 'Findings about the selfie (face count, size, blur/exposure, pose, liveness signal) and a low similarity. Informative: they do not change the verdict. See the warnings table in the README.',
      }),
    }),
  })
  .openapi('FaceComparisonData');

export const FaceComparisonMetaSchema = MetaSchema.extend({
  cache: z.enum(['hit', 'miss']).openapi({ description: 'Whether the reference (identity + face embedding) came from the in-memory cache or a fresh registry lookup.', example: 'miss' }),
  timings_ms: z.record(z.string(), z.number()).optional().openapi({ description: 'Stage timings in milliseconds (selfie_analysis, registry, reference_analysis, total; absent stages were skipped, e.g. on a cache hit).', example: { selfie_analysis: 88.7, registry: 182.4, reference_analysis: 95.1, total: 281.3 } }),
  receipt: ReceiptJwsSchema,
  crops: CropLinksSchema.optional(),
}).openapi('FaceComparisonMeta');

export const FaceComparisonResponseSchema = z
  .object({
    success: z.literal(true).openapi({ description: 'true when the comparison completed; check data.match_result for the outcome.' }),
    code: z.literal('SUCCESS'),
    message: z.string().openapi({ example: 'Face comparison completed.' }),
    verification_type: z.literal('ID_FACE_MATCH'),
    data: FaceComparisonDataSchema,
    meta: FaceComparisonMetaSchema,
  })
  .openapi('FaceComparisonResponse');

export type FaceComparisonResponse = z.infer<typeof FaceComparisonResponseSchema>;
