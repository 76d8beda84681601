/**
 * The use cases' failure vocabulary, free of HTTP: each response format (src/api/errors.ts for the
 * standard envelope, src/api/face-match.ts for the strict one) maps a failure to its code once.
 */

export type FailureKind =
  /** The id_type is not served, or the id_number fails its format or check-digit rules. */
  | 'INVALID_ID'
  /** A caller's image is not Base64, not an image, an unsupported format, or over the pixel limit. */
  | 'INVALID_IMAGE'
  /** A caller's image is over the decoded byte limit. */
  | 'IMAGE_TOO_LARGE'
  /** No face in the selfie or the registry photo (`details.image`). */
  | 'NO_FACE'
  /** No usable registry record (`details.reason`: NO_RECORD, NO_PHOTO, PHOTO_UNUSABLE, RECORD_RESTRICTED). */
  | 'ID_NOT_FOUND'
  /** The registry is down, timing out, rate-limiting or behind an open breaker: retry later. */
  | 'REGISTRY_UNAVAILABLE'
  /** Anything else: a defect or a misconfiguration. */
  | 'INTERNAL';

export interface FailureOptions {
  /** Seconds the caller should wait (REGISTRY_UNAVAILABLE). */
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class VerificationFailure extends Error {
  readonly retryAfterSeconds?: number;

  constructor(
    readonly kind: FailureKind,
    message: string,
    /** Structured, caller-safe detail: the field, the reason, which image. */
    readonly details?: Record<string, unknown>,
    options: FailureOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'VerificationFailure';
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** An unexpected failure, keeping its cause for the log. */
export const internalFailure = (cause: unknown, message = 'An unexpected server error occurred. Retry with exponential backoff.'): VerificationFailure =>
  new VerificationFailure('INTERNAL', message, undefined, { cause });
