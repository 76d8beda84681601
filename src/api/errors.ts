/**
 * The error-code table and the one error class of the standard envelope. Codes are stable and part of
 * the public contract; the HTTP status of each code lives here and nowhere else. The use cases'
 * failures (src/service/failures.ts) are mapped to these codes once, by `fromFailure`.
 */
import type { FailureKind, VerificationFailure } from '../service/failures.ts';

export const ERROR_CODES = {
  VALIDATION_ERROR: {
    status: 400,
    message: 'One or more fields are missing or malformed.',
    description: 'A required field (selfie, id_number, id_type) is missing or malformed, the id_type is not served, or the id_number fails the registry\'s format or check-digit rules. `details` names each offending field.',
  },
  INVALID_THRESHOLD: {
    status: 400,
    message: 'The threshold must be a number between 0.0 and 1.0.',
    description: 'The threshold is present but is not a JSON number (for example a string or null).',
  },
  INVALID_THRESHOLD_RANGE: {
    status: 400,
    message: 'The threshold must be between 0.0 and 1.0 inclusive.',
    description: 'The threshold is a number outside [0.0, 1.0].',
  },
  INVALID_INPUT: {
    status: 400,
    message: 'The selfie is not a valid Base64-encoded JPEG, PNG or WebP image.',
    description: 'The selfie is not Base64 (or a base64 data URL), is not an image, is an unsupported format, or decodes to more pixels than allowed (decompression bomb).',
  },
  UNAUTHORIZED: {
    status: 401,
    message: 'A valid API key is required: send Authorization: Bearer <api-key>.',
    description: 'The Authorization header is missing, is not a Bearer token, or the key is unknown or revoked.',
  },
  FORBIDDEN: {
    status: 403,
    message: 'Your organisation has not been approved. Contact support to complete verification.',
    description: 'The API key belongs to an organisation that has not been approved.',
  },
  SUBSCRIPTION_REQUIRED: {
    status: 403,
    message: 'Your account is not subscribed to the Face Match service.',
    description: 'The organisation is approved but the face_match service is not enabled for it.',
  },
  ID_NOT_FOUND: {
    status: 404,
    message: 'No photo was found for the supplied id_number in the source database.',
    description: 'The registry has no record for the id_number, or the record has no usable reference photo. `details.reason` says which: NO_RECORD, NO_PHOTO, PHOTO_UNUSABLE or RECORD_RESTRICTED.',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    message: 'The request body is too large.',
    description: 'The request body exceeds the server limit, or the selfie decodes to more than 10 MB.',
  },
  LANDMARKS_NOT_FOUND: {
    status: 422,
    message: 'A face could not be detected in one of the images.',
    description: 'No face was detected in the selfie or in the registry photo. `details.image` is "selfie" or "reference".',
  },
  RATE_LIMIT_EXCEEDED: {
    status: 429,
    message: 'Too many requests; retry after the number of seconds in Retry-After.',
    description: 'A limit was reached (`details.reason`): KEY_RATE_MINUTE or KEY_RATE_DAY (the API key\'s requests per minute or per day), ID_ATTEMPTS (verification attempts for one ID number, across all keys), ID_LOCKED or KEY_ID_LOCKED (repeated failed matches against the ID number). The response has a Retry-After header (seconds).',
  },
  NOT_FOUND: {
    status: 404,
    message: 'No such endpoint.',
    description: 'The path or method does not exist.',
  },
  MEDIA_EXPIRED: {
    status: 410,
    message: 'This image link has expired.',
    description: 'GET /v1/media/{token}: the temporary image link is past its expiry (60 minutes after the report). Unknown, tampered or no-longer-held links are 404 NOT_FOUND.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    message: 'This Idempotency-Key was already used with a different request. Use a new key for a new request.',
    description: 'The Idempotency-Key was sent before (within 24 hours) with another body or endpoint. The first request\'s answer is kept; this one is not processed.',
  },
  IDEMPOTENCY_KEY_IN_PROGRESS: {
    status: 409,
    message: 'A request with this Idempotency-Key is still being processed. Retry after it completes.',
    description: 'The first request with this Idempotency-Key has not finished yet (`retryable: true`, Retry-After). Retry to receive its answer.',
  },
  REVIEW_NOT_FOUND: {
    status: 404,
    message: 'No review case with this id is held for your organisation.',
    description: 'GET/POST /v1/reviews/{id}: the case is unknown, belongs to another organisation, or expired (cases and their images are kept for 60 minutes by default).',
  },
  REVIEW_ALREADY_DECIDED: {
    status: 409,
    message: 'This review case has already been decided.',
    description: 'POST /v1/reviews/{id}: a decision is already recorded for the case; decisions are final.',
  },
  SERVICE_ERROR: {
    status: 500,
    message: 'An unexpected server error occurred. Retry with exponential backoff.',
    description: 'An unexpected server error (HTTP 500), or a registry that is unavailable, rate-limited or behind an open circuit breaker (HTTP 503 with `retryable: true` and a Retry-After header).',
  },
} as const satisfies Record<string, { status: number; message: string; description: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
export const ERROR_CODE_NAMES = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

export interface ApiErrorOptions {
  /** Overrides the code's default status (used for SERVICE_ERROR → 503 on registry outages). */
  status?: number;
  retryable?: boolean;
  /** Seconds, sent as Retry-After. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly retryable: boolean;
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CODES[code].message,
    readonly details?: Record<string, unknown>,
    options: ApiErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ApiError';
    this.status = options.status ?? ERROR_CODES[code].status;
    this.retryable = options.retryable ?? false;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

const CODE_FOR_FAILURE: Record<FailureKind, ErrorCode> = {
  INVALID_ID: 'VALIDATION_ERROR',
  INVALID_IMAGE: 'INVALID_INPUT',
  IMAGE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  NO_FACE: 'LANDMARKS_NOT_FOUND',
  ID_NOT_FOUND: 'ID_NOT_FOUND',
  REGISTRY_UNAVAILABLE: 'SERVICE_ERROR',
  INTERNAL: 'SERVICE_ERROR',
};

/** A use-case failure in the standard envelope's terms: a registry outage is a retryable 503. */
export function fromFailure(failure: VerificationFailure): ApiError {
  const code = CODE_FOR_FAILURE[failure.kind];
  if (failure.kind === 'REGISTRY_UNAVAILABLE') {
    return new ApiError(code, failure.message, failure.details, { status: 503, retryable: true, retryAfterSeconds: failure.retryAfterSeconds, cause: failure.cause ?? failure });
  }
  return new ApiError(code, failure.message, failure.details, { cause: failure.cause ?? failure });
}
