/**
 * Response headers every answer carries: the secure-headers set (nosniff, HSTS for when the service
 * is served over HTTPS, no framing, no referrer) and CORS, which is off unless origins are configured.
 */
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from '../env.ts';

export function securityHeaders() {
  return secureHeaders({
    // The report's image links are meant for <img> tags on the caller's own pages (another origin).
    crossOriginResourcePolicy: 'cross-origin',
  });
}

/**
 * CORS for the configured origins only (exact match). With none configured no CORS header is sent, so
 * browsers on other origins cannot read answers; a preflight gets 204 without any Allow-Origin, a
 * clear refusal instead of a 404.
 */
export function corsFor(origins: readonly string[]) {
  if (origins.length === 0) {
    return createMiddleware<AppEnv>(async (c, next) => {
      if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) return c.body(null, 204);
      await next();
    });
  }
  return cors({
    origin: [...origins],
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
    exposeHeaders: ['X-Request-Id', 'Retry-After'],
    maxAge: 600,
  });
}
