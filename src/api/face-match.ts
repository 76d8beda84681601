/**
 * POST /v1/face-match: selfie vs ID-image comparison in the strict envelope
 * `{status, code, message, requestId, timestamp, billable, result, errors?}`.
 * Request/response schemas (validation + OpenAPI), this format's error codes, and the one mapping of
 * HTTP-layer errors (ApiError) and use-case failures onto them. The business result codes and their
 * charge rule are the policy's (src/policy/face-match.ts).
 */
import { z } from '@hono/zod-openapi';
import { DOCUMENT_TYPES } from '../document/layouts.ts';
import { FACE_MATCH_RESULT_CODES, type FaceMatchResultCode } from '../policy/face-match.ts';
import { FACE_MATCH_DEFAULT_THRESHOLD } from '../policy/thresholds.ts';
import type { VerificationFailure } from '../service/failures.ts';
import { REQUEST_ID_LENGTH } from './envelope.ts';
import { ApiError } from './errors.ts';

/** The error codes of this format (status ERROR, never billed) with their HTTP status and default message. */
export const FACE_MATCH_ERRORS = {
  INVALID_REQUEST: { http: 400, message: 'The request is invalid; see errors for each field.' },
  UNAUTHORIZED: { http: 401, message: 'A valid API key is required: send Authorization: Bearer <api-key>.' },
  FORBIDDEN: { http: 403, message: 'Your organisation is not approved or not subscribed to the Face Match service.' },
  IDEMPOTENCY_KEY_REUSED: { http: 409, message: 'This Idempotency-Key was already used with a different request, or that request is still running.' },
  /** A per-key or per-identity limit (Retry-After says when to retry). */
  RATE_LIMIT_EXCEEDED: { http: 429, message: 'Too many requests; retry later.' },
  INTERNAL_ERROR: { http: 500, message: 'An unexpected server error occurred. Retry with exponential backoff.' },
  SERVICE_UNAVAILABLE: { http: 503, message: 'The service is temporarily unavailable. Retry later.' },
} as const satisfies Record<string, { http: number; message: string }>;

type FaceMatchErrorCode = keyof typeof FACE_MATCH_ERRORS;
const FACE_MATCH_CODE_NAMES = [...FACE_MATCH_RESULT_CODES, ...(Object.keys(FACE_MATCH_ERRORS) as FaceMatchErrorCode[])] as [
  FaceMatchResultCode | FaceMatchErrorCode,
  ...Array<FaceMatchResultCode | FaceMatchErrorCode>,
];

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
export type FieldError = z.infer<typeof FieldErrorSchema>;

interface RenderedError {
  code: FaceMatchErrorCode;
  http?: number;
  message?: string;
  errors?: FieldError[];
}

/** The field an image problem is about, with the engine's reason. */
function imageFieldError(message: string, details: Record<string, unknown> | undefined): FieldError[] {
  const d = details ?? {};
  return [{ field: typeof d.field === 'string' ? d.field : 'body', message, ...(typeof d.reason === 'string' ? { reason: d.reason } : {}) }];
}

/** HTTP-layer errors: authentication, request validation, body limits, the ledger. */
function fromApiError(err: ApiError): RenderedError {
  switch (err.code) {
    case 'VALIDATION_ERROR':
    case 'INVALID_THRESHOLD':
    case 'INVALID_THRESHOLD_RANGE': {
      const errors = Object.entries(err.details ?? {}).map(([field, m]) => ({ field, message: String(m) }));
      return { code: 'INVALID_REQUEST', errors, ...(err.code === 'VALIDATION_ERROR' ? { message: err.message } : {}) };
    }
    case 'INVALID_INPUT':
    case 'PAYLOAD_TOO_LARGE':
      // 400, or 413 for an over-size body
      return { code: 'INVALID_REQUEST', http: err.status, message: err.message, errors: imageFieldError(err.message, err.details) };
    case 'UNAUTHORIZED':
      return { code: 'UNAUTHORIZED', message: err.message };
    case 'FORBIDDEN':
    case 'SUBSCRIPTION_REQUIRED':
      return { code: 'FORBIDDEN', message: err.message };
    case 'IDEMPOTENCY_KEY_REUSED':
    case 'IDEMPOTENCY_KEY_IN_PROGRESS':
      return { code: 'IDEMPOTENCY_KEY_REUSED', message: err.message };
    case 'RATE_LIMIT_EXCEEDED':
      return { code: 'RATE_LIMIT_EXCEEDED', message: err.message };
    default:
      return { code: err.status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_ERROR' };
  }
}

/** Use-case failures: bad images are the caller's request errors; anything else is the service's. */
function fromFailure(failure: VerificationFailure): RenderedError {
  switch (failure.kind) {
    case 'INVALID_IMAGE':
      return { code: 'INVALID_REQUEST', message: failure.message, errors: imageFieldError(failure.message, failure.details) };
    case 'IMAGE_TOO_LARGE':
      return { code: 'INVALID_REQUEST', http: 413, message: failure.message, errors: imageFieldError(failure.message, failure.details) };
    case 'REGISTRY_UNAVAILABLE':
      return { code: 'SERVICE_UNAVAILABLE' };
    default:
      return { code: 'INTERNAL_ERROR' };
  }
}

/** This format's error code for a failure (also the ledger's `result` for it). */
export function faceMatchErrorCode(err: ApiError | VerificationFailure): FaceMatchErrorCode {
  return (err instanceof ApiError ? fromApiError(err) : fromFailure(err)).code;
}

/** Any error of the request, mapped once onto this profile's envelope. */
export function faceMatchErrorEnvelope(err: ApiError | VerificationFailure, ctx: { requestId: string; now: Date }): { status: number; body: FaceMatchEnvelope } {
  const rendered = err instanceof ApiError ? fromApiError(err) : fromFailure(err);
  const spec = FACE_MATCH_ERRORS[rendered.code];
  return {
    status: rendered.http ?? spec.http,
    body: {
      status: 'ERROR',
      code: rendered.code,
      message: rendered.message ?? spec.message,
      requestId: ctx.requestId,
      timestamp: mexicoCityTimestamp(ctx.now),
      billable: false,
      result: null,
      ...(rendered.errors ? { errors: rendered.errors } : {}),
    },
  };
}
