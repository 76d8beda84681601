/** Counts every answered request and its latency by route pattern (never the raw path: media tokens stay out of labels). */
import { createMiddleware } from 'hono/factory';
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';

/** The pattern of the route that answered (e.g. /v1/media/:token), or "unmatched". */
function routeOf(c: Context<AppEnv>): string {
  const routes = c.req.matchedRoutes.filter((r) => r.method !== 'ALL');
  return routes.at(-1)?.path ?? 'unmatched';
}

export const recordHttpMetrics = createMiddleware<AppEnv>(async (c, next) => {
  const metrics = c.get('services').metrics;
  if (!metrics) return next();
  const started = performance.now();
  try {
    await next();
  } finally {
    const route = routeOf(c);
    const status = String(c.res.status);
    metrics.httpRequests.inc({ route, method: c.req.method, status });
    metrics.httpDuration.observe({ route, status }, (performance.now() - started) / 1000);
  }
});
