/**
 * `Idempotency-Key` on the POST routes. The first request with a key runs and its answer is kept
 * for 24 h; a retry with the same key and the same body (byte for byte, same endpoint) gets that
 * answer again, marked `Idempotent-Replayed: true`, without running or being charged again. The
 * same key with another body is IDEMPOTENCY_KEY_REUSED (409); while the first is still running,
 * IDEMPOTENCY_KEY_IN_PROGRESS (409, retryable). Answers worth retrying (5xx, 429) are not kept.
 * Runs after authentication and the body limit; requests without the header are untouched.
 */
import { createHash } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../../api/errors.ts';
import { hashIdempotencyKey, seal, unseal } from '../../state/idempotency/seal.ts';
import type { AppEnv } from '../env.ts';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** Printable ASCII without spaces, 1–255 characters (UUIDs, ULIDs, order ids…). */
const VALID_KEY = /^[\x21-\x7e]{1,255}$/;

const isKept = (status: number) => status < 500 && status !== 429;

export const idempotency = createMiddleware<AppEnv>(async (c, next) => {
  const key = c.req.header(IDEMPOTENCY_HEADER);
  if (key === undefined) return next();
  if (!VALID_KEY.test(key)) {
    throw new ApiError('VALIDATION_ERROR', 'The Idempotency-Key header must be 1 to 255 printable ASCII characters without spaces.', { [IDEMPOTENCY_HEADER]: 'invalid' });
  }
  const { idempotency: store, clock } = c.get('services');
  const orgId = c.get('principal').organisation.id;
  const scope = { orgId, keyHash: hashIdempotencyKey(key, orgId) };
  // A hash of the request, never the body itself. The body stays readable for the route (Hono caches it).
  const body = new Uint8Array(await c.req.arrayBuffer());
  const requestHash = createHash('sha256').update(`${c.req.method} ${c.req.path}\n`).update(body).digest('hex');

  const claim = await store.begin(scope, requestHash, clock.now());
  if (claim.state === 'mismatch') throw new ApiError('IDEMPOTENCY_KEY_REUSED');
  if (claim.state === 'in_progress') throw new ApiError('IDEMPOTENCY_KEY_IN_PROGRESS', undefined, undefined, { retryable: true, retryAfterSeconds: 1 });
  if (claim.state === 'replay') {
    const plain = unseal(claim.answer.sealed, key, orgId);
    if (plain) {
      c.get('log').info('idempotent replay', { status: claim.answer.status });
      return new Response(Buffer.from(plain).toString('utf8'), {
        status: claim.answer.status,
        headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Idempotent-Replayed': 'true', 'X-Request-Id': c.get('requestId') },
      });
    }
    // Only a hash collision of the key could get here: refuse rather than run twice.
    throw new ApiError('IDEMPOTENCY_KEY_REUSED');
  }

  try {
    await next();
  } catch (err) {
    await store.release(scope, requestHash).catch(() => undefined);
    throw err;
  }
  const res = c.res;
  if (!isKept(res.status)) {
    await store.release(scope, requestHash).catch((e: unknown) => c.get('log').warn('idempotency release failed', { error: (e as Error).message }));
    return;
  }
  try {
    const answer = new Uint8Array(await res.clone().arrayBuffer());
    await store.complete(scope, requestHash, { status: res.status, sealed: seal(answer, key, orgId) }, clock.now());
  } catch (err) {
    // The answer stands (it may be charged already); only a later retry would run it again.
    c.get('log').error('idempotency record failed', { error: (err as Error).message });
  }
});
