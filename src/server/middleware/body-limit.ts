/**
 * Rejects bodies over the limit with 413 PAYLOAD_TOO_LARGE, by Content-Length or while streaming. A
 * body that breaks off before its end (the client dropped the connection) is the caller's
 * VALIDATION_ERROR, logged as a rejected request, not a server failure.
 */
import { createMiddleware } from 'hono/factory';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from '../../api/errors.ts';
import type { AppEnv } from '../env.ts';

export function limitBody(maxBytes: number) {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError('PAYLOAD_TOO_LARGE', `The request body is larger than ${Math.floor(maxBytes / 1024 / 1024)} MiB.`, { max_bytes: maxBytes });
    },
  });
  return createMiddleware<AppEnv>(async (c, next) => {
    let readBody = false;
    try {
      await limit(c, async () => {
        readBody = true;
        await next();
      });
    } catch (err) {
      // Errors from the route itself pass through; a failed read of the body stream is the client's.
      if (readBody || err instanceof ApiError) throw err;
      throw new ApiError('VALIDATION_ERROR', 'The request body ended before it was complete.', { body: 'incomplete' }, { cause: err });
    }
  });
}
