/**
 * In front of every verification route, before its body is read: the API key's rate limits, then an
 * admission slot, held until the answer or the request deadline. Refusals leave in the route's own
 * envelope: 429 RATE_LIMIT_EXCEEDED, or 503 (retryable, Retry-After) when the process is full, shutting
 * down, or the deadline passed.
 */
import { createMiddleware } from 'hono/factory';
import type { Context } from 'hono';
import { ApiError } from '../../api/errors.ts';
import { AdmissionRefused, type RefusalCause } from '../../limits/admission.ts';
import { ChargeGuard } from '../../limits/charge-guard.ts';
import { LimitStoreError, type Refusal } from '../../limits/request-limits.ts';
import { LIMIT_REASONS } from '../../policy/limits.ts';
import type { AppEnv } from '../env.ts';
import { discardBody } from './discard-body.ts';
import { sendError } from './errors.ts';

const UNAVAILABLE_MESSAGES: Record<RefusalCause, string> = {
  full: 'The service is at capacity. Retry after the number of seconds in Retry-After.',
  draining: 'The service is shutting down. Retry after the number of seconds in Retry-After.',
  timeout: 'The request did not complete within the server deadline. Retry after the number of seconds in Retry-After.',
  aborted: 'The request was cancelled.',
};

/** A refused upload is read and dropped up to the largest body a route accepts, for at most 30 s. */
const DISCARD_LIMITS = { maxBytes: 16 * 1024 * 1024, maxMs: 30_000 };

export function unavailable(cause: RefusalCause | 'limits_unavailable', retryAfterSeconds: number): ApiError {
  const message = cause === 'limits_unavailable' ? 'The rate-limit store is unavailable. Retry after the number of seconds in Retry-After.' : UNAVAILABLE_MESSAGES[cause];
  return new ApiError('SERVICE_ERROR', message, { reason: cause.toUpperCase() }, { status: 503, retryable: true, retryAfterSeconds });
}

/** 429 for a refusal of the limit policy, counted and with its headers set. */
export function refuseLimit(c: Context<AppEnv>, refusal: Refusal): ApiError {
  for (const [name, value] of Object.entries(refusal.headers)) c.header(name, value);
  c.get('services').metrics?.limitRefusals.inc({ reason: refusal.reason });
  return new ApiError('RATE_LIMIT_EXCEEDED', LIMIT_REASONS[refusal.reason], { reason: refusal.reason }, { retryable: true, retryAfterSeconds: refusal.retryAfterSeconds });
}

/** Run a limit check; a store failure (Redis down) is a retryable 503, never a silent pass. */
export async function checkLimits<T>(c: Context<AppEnv>, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (err) {
    if (!(err instanceof LimitStoreError)) throw err;
    c.get('log').warn('limit store unavailable', { error: (err.cause as Error | undefined)?.message ?? String(err.cause) });
    throw unavailable('limits_unavailable', 1);
  }
}

export const admitRequest = createMiddleware<AppEnv>(async (c, next) => {
  const services = c.get('services');
  const { requestLimits, admission, metrics } = services;

  if (requestLimits) {
    const principal = c.get('principal');
    const check = await checkLimits(c, () => requestLimits.checkKey(principal.keyId, principal.organisation));
    for (const [name, value] of Object.entries(check.headers)) c.header(name, value);
    // Refusals are answered here, not thrown: a flood of them costs one access-log line each, no warnings.
    if (!check.allowed) {
      const response = sendError(c, refuseLimit(c, check));
      discardBody(c.req.raw, DISCARD_LIMITS);
      return response;
    }
  }
  if (!admission) return next();

  const { deadlineMs, retryAfterSeconds } = admission.options;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new AdmissionRefused('timeout')), deadlineMs);
  let ticket;
  try {
    ticket = await admission.enter(AbortSignal.any([deadline.signal, c.req.raw.signal]));
  } catch (err) {
    clearTimeout(timer);
    if (!(err instanceof AdmissionRefused)) throw err;
    metrics?.admissionRefusals.inc({ cause: err.cause });
    const response = sendError(c, unavailable(err.cause, retryAfterSeconds));
    discardBody(c.req.raw, DISCARD_LIMITS);
    return response;
  }

  try {
    // The handler sees a ledger that refuses a charge after the deadline (src/limits/charge-guard.ts).
    const guard = new ChargeGuard();
    c.set('services', { ...services, ledger: guard.wrap(services.ledger) });
    const work = next();
    const expired = new Promise<'expired'>((resolve) => {
      if (deadline.signal.aborted) resolve('expired');
      deadline.signal.addEventListener('abort', () => resolve('expired'), { once: true });
    });
    const first = await Promise.race([work.then(() => 'done' as const), expired]);
    if (first === 'expired' && guard.expire()) {
      // The slot is freed now; the abandoned work can no longer charge, and its answer is dropped.
      // Shutdown still waits for it, so the engine is not torn down under a running analysis.
      admission.linger(work);
      metrics?.admissionRefusals.inc({ cause: 'timeout' });
      c.get('log').warn('request deadline expired', { deadline_ms: deadlineMs });
      return sendError(c, unavailable('timeout', retryAfterSeconds));
    }
    await work;
  } finally {
    clearTimeout(timer);
    ticket.release();
  }
});
