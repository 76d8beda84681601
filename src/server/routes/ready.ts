/**
 * GET /ready: whether this replica should receive traffic (for a load balancer or an orchestrator),
 * distinct from GET /health (is the process alive). Ready means: models loaded, every configured
 * backend (database, Redis) answering, and not shutting down. 503 otherwise, with the failing checks.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env.ts';

/** A backend to reach before traffic is accepted; `check` throws (or rejects) when it is not reachable. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

/** How long one check may take before it counts as failed, ms. */
const CHECK_TIMEOUT_MS = 2_000;

const ReadySchema = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    checks: z.record(z.string(), z.enum(['ok', 'failed'])).openapi({ example: { models: 'ok', accepting: 'ok', database: 'ok', redis: 'ok' } }),
    request_id: z.string(),
  })
  .openapi('Ready');

export const readyRoute = createRoute({
  method: 'get',
  path: '/ready',
  operationId: 'ready',
  tags: ['Operations'],
  summary: 'Readiness: models loaded, backends reachable, not shutting down',
  responses: {
    200: { description: 'Ready for traffic.', content: { 'application/json': { schema: ReadySchema } } },
    503: { description: 'Not ready: `checks` names what failed.', content: { 'application/json': { schema: ReadySchema } } },
  },
});

async function passes(check: () => Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([check(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS)))]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export function registerReady(app: OpenAPIHono<AppEnv>): void {
  app.openapi(readyRoute, async (c) => {
    const s = c.get('services');
    const checks: Record<string, 'ok' | 'failed'> = {
      models: s.engine.version ? 'ok' : 'failed',
      accepting: s.admission?.isDraining ? 'failed' : 'ok',
    };
    const results = await Promise.all((s.readiness ?? []).map(async (r) => [r.name, await passes(() => r.check())] as const));
    for (const [name, ok] of results) checks[name] = ok ? 'ok' : 'failed';
    const ready = Object.values(checks).every((v) => v === 'ok');
    c.header('Cache-Control', 'no-store');
    return c.json({ status: ready ? ('ready' as const) : ('not_ready' as const), checks, request_id: c.get('requestId') }, ready ? 200 : 503);
  });
}
