/**
 * GET /metrics: Prometheus text format, for a scraper holding the metrics token (Authorization: Bearer).
 * Without a configured token the endpoint does not exist (404), so nothing is exposed by default.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { ApiError } from '../../api/errors.ts';
import type { AppEnv } from '../env.ts';

export const METRICS_PATH = '/metrics';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time comparison of the presented token with the configured one. */
function tokenMatches(header: string | undefined, token: string): boolean {
  const m = header ? /^Bearer ([^\s]+)$/.exec(header) : null;
  return !!m && timingSafeEqual(digest(m[1]!), digest(token));
}

export function registerMetrics(app: OpenAPIHono<AppEnv>): void {
  app.get(METRICS_PATH, async (c) => {
    const { metrics, metricsToken } = c.get('services');
    if (!metrics || !metricsToken) throw new ApiError('NOT_FOUND', `No route for ${c.req.method} ${c.req.path}.`);
    if (!tokenMatches(c.req.header('authorization'), metricsToken)) {
      c.header('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new ApiError('UNAUTHORIZED', 'The metrics token is required: send Authorization: Bearer <token>.');
    }
    c.header('Cache-Control', 'no-store');
    return c.body(await metrics.render(), 200, { 'Content-Type': metrics.contentType });
  });
}
