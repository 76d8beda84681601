/** The body must be JSON; anything else is a VALIDATION_ERROR (the contracts have no 415). */
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../../api/errors.ts';
import type { AppEnv } from '../env.ts';

export const requireJson = createMiddleware<AppEnv>(async (c, next) => {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new ApiError('VALIDATION_ERROR', 'The request body must be JSON sent with Content-Type: application/json.', { content_type: type || '(none)' });
  }
  await next();
});
