/**
 * POST /v1/face-match: selfie vs ID-image comparison in the strict envelope
 * `{status, code, message, requestId, timestamp, billable, result, errors?}`.
 * Request/response schemas (validation + OpenAPI), the code table, and the mapping of the service's
 * ApiErrors onto this profile's codes.
 */
import { z } from '@hono/zod-openapi';
import { DOCUMENT_TYPES } from '../document/layouts.ts';
import { FACE_MATCH_DEFAULT_THRESHOLD } from '../policy/review.ts';
import { REQUEST_ID_LENGTH } from './envelope.ts';
import type { ApiError } from './errors.ts';

export { FACE_MATCH_DEFAULT_THRESHOLD };

/**
 * Every code of this endpoint: HTTP status, envelope status, whether it is billed, default message.
 * OK codes are processed business results (HTTP 200, billable); ERROR codes are not billed.
 */
export const FACE_MATCH_CODES = {
  FACE_MATCH: { http: 200, status: 'OK', billable: true, message: 'The selfie matches the face on the ID image.' },
  FACE_MISMATCH: { http: 200, status: 'OK', billable: true, message: 'The selfie does not match the face on the ID image to the required threshold.' },
  NO_FACE_DETECTED: { http: 200, status: 'OK', billable: true, message: 'No face could be detected in one of the images.' },
  NO_DOCUMENT_DETECTED: { http: 200, status: 'OK', billable: true, message: 'The ID image does not look like an identity document carrying a portrait.' },
  DOCUMENT_TYPE_MISMATCH: { http: 200, status: 'OK', billable: true, message: "The ID image does not match the requested document type's layout." },
  INVALID_REQUEST: { http: 400, status: 'ERROR', billable: false, message: 'The request is invalid; see errors for each field.' },
  UNAUTHORIZED: { http: 401, status: 'ERROR', billable: false, message: 'A valid API key is required: send Authorization: Bearer <api-key>.' },
  FORBIDDEN: { http: 403, status: 'ERROR', billable: false, message: 'Your organisation is not approved or not subscribed to the Face Match service.' },
  /** Reserved: this service has no rate limiter; a gateway in front of it may answer with this code in the same envelope. */
  RATE_LIMIT_EXCEEDED: { http: 429, status: 'ERROR', billable: false, message: 'Too many requests; retry later.' },
  INTERNAL_ERROR: { http: 500, status: 'ERROR', billable: false, message: 'An unexpected server error occurred. Retry with exponential backoff.' },
  SERVICE_UNAVAILABLE: { http: 503, status: 'ERROR', billable: false, message: 'The service is temporarily unavailable. Retry later.' },
} as const satisfies Record<string, { http: number; status: 'OK' | 'ERROR'; billable: boolean; message: string }>;

export type FaceMatchCode = keyof typeof FACE_MATCH_CODES;
export const FACE_MATCH_CODE_NAMES = Object.keys(FACE_MATCH_CODES) as [FaceMatchCode, ...FaceMatchCode[]];

/**
 * ISO 8601 with the Mexico City offset, e.g. 2026-11-23T15:04:05.123-06:00. Mexico abolished daylight
 * saving time in October 2022 (Ley de los Husos Horarios), so Mexico City is UTC−06:00 all year and a
 * fixed offset is correct; no time-zone database is needed.
 */
export function mexicoCityTimestamp(date: Date): string {
  const shifted = new Date(date.getTime() - 6 * 60 * 60 * 1000);
  return `${shifted.toISOString().slice(0, 23)}-06:00`;
}

/** Truncated, for documentation only. */
const EXAMPLE_IMAGE = 'data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD...';
const typeError = (message: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'Required' : message);

export const FaceMatchRequestSchema = z
  .object({
    selfie: z.string({ error: typeError('selfie must be a Base64 string') }).min(1, 'selfie must not be empty').openapi({
      description: 'Face image (selfie): raw Base64 or a data URL. PNG or JPG (WebP is accepted too), at most 10 MB decoded.',
      example: EXAMPLE_IMAGE,
    }),
    idImage: z.string({ error: typeError('idImage must be a Base64 string') }).min(1, 'idImage must not be empty').openapi({
      description: 'Front of the ID document: raw Base64 or a data URL. PNG or JPG, at most 10 MB decoded. The largest face on it is compared.',
      example: EXAMPLE_IMAGE,
    }),
    threshold: z
      .number({ error: 'threshold must be a number between 1 and 100' })
      .min(1, 'threshold must be at least 1')
      .max(100, 'threshold must be at most 100')
      .optional()
      .openapi({
        description: 'Acceptance threshold on the 0–100 similarity (calibrated score × 100). Default 90 (KYC-grade, calibrated score 0.90). Lower (e.g. 80) is more permissive; higher is stricter.',
        example: 90,
        default: FACE_MATCH_DEFAULT_THRESHOLD,
      }),
    documentType: z
      .enum(DOCUMENT_TYPES, { error: `documentType must be one of ${DOCUMENT_TYPES.join(', ')}` })
      .optional()
      .openapi({
        description: 'Optional document check of idImage. A specific type checks its layout (ID-1 card aspect, portrait on the left, MRZ band for passports and residence cards); ANY requires the image to look like some identity document with a portrait (NO_DOCUMENT_DETECTED otherwise); omitted skips the check. A layout plausibility check, not forgery detection.',
        example: 'INE',
      }),
  })
  .openapi('FaceMatchRequest');

export type FaceMatchRequest = z.infer<typeof FaceMatchRequestSchema>;

export const DocumentCheckSchema = z
  .object({
    requestedType: z.enum(DOCUMENT_TYPES).openapi({ example: 'INE' }),
    passed: z.boolean().openapi({ description: 'The image looks like an identity document (and fits the requested type’s layout).', example: true }),
    outcome: z.enum(['DOCUMENT_DETECTED', 'TYPE_MATCHED', 'NO_DOCUMENT_DETECTED', 'DOCUMENT_TYPE_MISMATCH']).openapi({ example: 'TYPE_MATCHED' }),
    documentDetected: z.boolean(),
    layout: z.enum(['ID1_CARD', 'TD3_PASSPORT_PAGE']).nullable().openapi({ description: 'The layout family whose aspect ratio the document fits.', example: 'ID1_CARD' }),
    measures: z.object({
      source: z.enum(['background', 'frame']).openapi({ description: 'background: the document was found against a uniform background; frame: it fills the image.' }),
      aspectRatio: z.number().openapi({ example: 1.584 }),
      orientation: z.enum(['landscape', 'portrait']),
      portraitCentre: z.object({ x: z.number(), y: z.number() }).openapi({ description: 'Centre of the face box relative to the document (0–1).' }),
      portraitArea: z.number().openapi({ description: 'Face box area / document area.' }),
      textLines: z.number().int().openapi({ description: 'Text-like lines found beside the portrait.' }),
      mrzBand: z.boolean().openapi({ description: 'A full-width text band (machine-readable zone) at the bottom.' }),
    }),
    reasons: z.array(z.string()).openapi({ description: 'Why the check failed (empty when it passed).' }),
  })
  .openapi('DocumentCheck');

export const FaceMatchResultSchema = z
  .object({
    similarity: z.number().min(0).max(100).nullable().openapi({ description: 'Calibrated similarity × 100, 2 decimals; null when a face is missing.', example: 93.41 }),
    match: z.boolean().openapi({ description: 'true only when code is FACE_MATCH: similarity ≥ threshold and, if requested, the document check passed.', example: true }),
    threshold: z.number().openapi({ description: 'The threshold applied (request or default 90).', example: 90 }),
    facesDetected: z.object({ selfie: z.number().int(), idImage: z.number().int() }).openapi({ description: 'Faces found in each image (the largest is compared).' }),
    document: DocumentCheckSchema.nullable().openapi({ description: 'The document check, or null when documentType was omitted or a face was missing.' }),
  })
  .openapi('FaceMatchResult');

export const FieldErrorSchema = z
  .object({
    field: z.string().openapi({ example: 'threshold' }),
    message: z.string().openapi({ example: 'threshold must be at most 100' }),
    reason: z.string().optional().openapi({ description: 'For image fields: INVALID_BASE64, NOT_AN_IMAGE, UNSUPPORTED_FORMAT, IMAGE_TOO_LARGE.' }),
  })
  .openapi('FaceMatchFieldError');

export const FaceMatchEnvelopeSchema = z
  .object({
    status: z.enum(['OK', 'ERROR']).openapi({ description: 'OK: processed (whatever the business result). ERROR: rejected or not processed.' }),
    code: z.enum(FACE_MATCH_CODE_NAMES).openapi({ description: 'Stable result code; see the code table.', example: 'FACE_MATCH' }),
    message: z.string().openapi({ description: 'English summary.', example: 'The selfie matches the face on the ID image.' }),
    requestId: z.string().length(REQUEST_ID_LENGTH).openapi({ description: 'The request id (also the X-Request-Id header).', example: 'q7Hk2Lm9Xa3B' }),
    timestamp: z.string().openapi({ description: 'ISO 8601 with the Mexico City offset (−06:00, no DST since 2022).', example: '2026-11-23T15:04:05.123-06:00' }),
    billable: z.boolean().openapi({ description: 'true for processed business results (OK), false for validation and system errors.', example: true }),
    result: FaceMatchResultSchema.nullable().openapi({ description: 'null on every ERROR response (INVALID_REQUEST, UNAUTHORIZED, INTERNAL_ERROR, ...).' }),
    errors: z.array(FieldErrorSchema).optional().openapi({ description: 'Per-field errors; present only on INVALID_REQUEST.' }),
  })
  .openapi('FaceMatchEnvelope');

export type FaceMatchEnvelope = z.infer<typeof FaceMatchEnvelopeSchema>;
export type FaceMatchResult = z.infer<typeof FaceMatchResultSchema>;
export type FieldError = z.infer<typeof FieldErrorSchema>;

/** The service's ApiError (from auth, validation, the engine or a failure) in this profile's terms. */
export function faceMatchErrorEnvelope(err: ApiError, ctx: { requestId: string; now: Date }): { status: number; body: FaceMatchEnvelope } {
  let code: FaceMatchCode;
  let http: number | undefined;
  let errors: FieldError[] | undefined;
  let message = err.message;
  switch (err.code) {
    case 'VALIDATION_ERROR':
    case 'INVALID_THRESHOLD':
    case 'INVALID_THRESHOLD_RANGE':
      code = 'INVALID_REQUEST';
      errors = Object.entries(err.details ?? {}).map(([field, m]) => ({ field, message: String(m) }));
      if (err.code !== 'VALIDATION_ERROR') message = FACE_MATCH_CODES.INVALID_REQUEST.message;
      break;
    case 'INVALID_INPUT':
    case 'PAYLOAD_TOO_LARGE': {
      code = 'INVALID_REQUEST';
      http = err.status; // 400, or 413 for an over-size body or image
      const d = err.details ?? {};
      errors = [{ field: typeof d.field === 'string' ? d.field : 'body', message: err.message, ...(typeof d.reason === 'string' ? { reason: d.reason } : {}) }];
      break;
    }
    case 'UNAUTHORIZED':
      code = 'UNAUTHORIZED';
      break;
    case 'FORBIDDEN':
    case 'SUBSCRIPTION_REQUIRED':
      code = 'FORBIDDEN';
      break;
    case 'RATE_LIMIT_EXCEEDED':
      code = 'RATE_LIMIT_EXCEEDED';
      break;
    case 'SERVICE_ERROR':
      code = err.status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_ERROR';
      message = err.status === 503 ? FACE_MATCH_CODES.SERVICE_UNAVAILABLE.message : FACE_MATCH_CODES.INTERNAL_ERROR.message;
      break;
    default:
      code = 'INTERNAL_ERROR';
      message = FACE_MATCH_CODES.INTERNAL_ERROR.message;
  }
  const spec = FACE_MATCH_CODES[code];
  return {
    status: http ?? spec.http,
    body: {
      status: 'ERROR',
      code,
      message,
      requestId: ctx.requestId,
      timestamp: mexicoCityTimestamp(ctx.now),
      billable: false,
      result: null,
      ...(errors ? { errors } : {}),
    },
  };
}
