/**
 * Error mapping: every failure leaves as the same envelope with a contract code. Validation failures
 * from zod become VALIDATION_ERROR (per-field details), INVALID_THRESHOLD or INVALID_THRESHOLD_RANGE.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import type { ErrorEnvelope } from '../../api/envelope.ts';
import { ApiError, fromFailure } from '../../api/errors.ts';
import { VerificationFailure } from '../../service/failures.ts';
import { isStateUnavailable, STATE_RETRY_AFTER_SECONDS } from '../../state/unavailable.ts';
import type { AppEnv } from '../env.ts';

export function errorBody(c: Context<AppEnv>, err: ApiError): ErrorEnvelope {
  const body: ErrorEnvelope = {
    success: false,
    code: err.code,
    message: err.message,
    ...(c.get('verificationType') ? { verification_type: 'ID_FACE_MATCH' as const } : {}),
    data: null,
    ...(err.details ? { details: err.details } : {}),
    retryable: err.retryable,
    meta: { request_id: c.get('requestId') },
  };
  return body;
}

/** `original` is what was thrown (a use-case failure or an ApiError); `err` its standard-envelope form. */
export function sendError(c: Context<AppEnv>, err: ApiError, original: ApiError | VerificationFailure = err): Response {
  c.set('audit', { ...c.get('audit'), result: err.code });
  if (err.retryAfterSeconds !== undefined) c.header('Retry-After', String(Math.max(1, Math.ceil(err.retryAfterSeconds))));
  c.header('Cache-Control', 'no-store');
  // Routes of another API profile (000's strict envelope) map what was thrown their own way, once.
  const profile = c.get('errorProfile');
  if (profile) {
    const { status, body } = profile.render(c, original);
    return c.json(body as object, status as 400);
  }
  return c.json(errorBody(c, err), err.status as 400);
}

/** Turn a zod failure on the request body into the contract's validation codes. */
export function fromZodError(error: ZodError): ApiError {
  const details: Record<string, string> = {};
  let thresholdType = false;
  let thresholdRange = false;
  let other = false;
  for (const issue of error.issues) {
    const field = issue.path.length ? issue.path.map(String).join('.') : 'body';
    details[field] ??= issue.message;
    if (issue.path[0] === 'threshold') {
      if (issue.code === 'too_small' || issue.code === 'too_big') thresholdRange = true;
      else thresholdType = true;
    } else other = true;
  }
  // Missing or malformed required fields come first; threshold problems are reported on their own.
  if (other) return new ApiError('VALIDATION_ERROR', undefined, details);
  if (thresholdType) return new ApiError('INVALID_THRESHOLD', undefined, { threshold: details.threshold });
  if (thresholdRange) return new ApiError('INVALID_THRESHOLD_RANGE', undefined, { threshold: details.threshold });
  return new ApiError('VALIDATION_ERROR', undefined, details);
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof VerificationFailure) return fromFailure(err);
  if (isStateUnavailable(err)) {
    // PostgreSQL or Redis is down: nothing was charged or released, so a retry is safe.
    return new ApiError('SERVICE_ERROR', 'A storage backend of the service is unavailable. Retry the request.', undefined, { status: 503, retryable: true, retryAfterSeconds: STATE_RETRY_AFTER_SECONDS, cause: err });
  }
  if (err instanceof HTTPException) {
    if (err.status === 413) return new ApiError('PAYLOAD_TOO_LARGE');
    if (err.status === 400) {
      // hono's JSON validator: malformed JSON or a non-JSON Content-Type.
      return new ApiError('VALIDATION_ERROR', 'The request body must be a JSON object sent with Content-Type: application/json.', { body: err.message });
    }
    if (err.status === 401) return new ApiError('UNAUTHORIZED');
    // Any other refusal of the request by the framework (415 media type, 405, ...) is the caller's
    // error in the contract's terms, never a 500.
    if (err.status < 500) return new ApiError('VALIDATION_ERROR', 'The request is malformed.', { request: err.message });
  }
  return new ApiError('SERVICE_ERROR', undefined, undefined, { cause: err });
}

export function onError(err: Error, c: Context<AppEnv>): Response {
  const apiError = toApiError(err);
  const log = c.get('log');
  const fields = { code: apiError.code, status: apiError.status };
  const thrownByUs = err === apiError || err instanceof VerificationFailure;
  if (apiError.retryable && apiError.status >= 500) {
    // An upstream outage (503): worth watching, not a defect of this service.
    log?.warn('request failed upstream', { ...fields, error: thrownByUs ? (apiError.cause as Error | undefined)?.message : err.message });
  } else if (apiError.status >= 500) {
    const cause = thrownByUs ? apiError.cause : err;
    log?.error('request failed', { ...fields, error: cause instanceof Error ? { name: cause.name, message: cause.message } : String(cause ?? '') });
  } else {
    log?.info('request rejected', fields);
  }
  return sendError(c, apiError, err instanceof VerificationFailure ? err : apiError);
}
