/** GET /v1/usage: the calling organisation's usage of one metered endpoint (totals and per-day counts). */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { errorResponse } from '../../api/envelope.ts';
import { UsageQuerySchema, UsageResponseSchema, type UsageResponse } from '../../api/usage.ts';
import { authenticate } from '../middleware/auth.ts';
import type { AppEnv } from '../env.ts';

export const usageRoute = createRoute({
  method: 'get',
  path: '/v1/usage',
  operationId: 'usage',
  tags: ['Billing'],
  summary: "The calling organisation's usage",
  description:
    'Totals and per-day (UTC) counts for the organisation that owns the API key, for one metered endpoint (`endpoint`, default /v1/face-comparison). ' +
    '`charged` follows each product\'s charge rule: CONFIRMED only on the face comparison; every completed result on /v1/face-match and /v1/face-match-report.',
  security: [{ bearerAuth: [] }],
  middleware: [authenticate] as const,
  request: { query: UsageQuerySchema },
  responses: {
    200: { description: 'Usage counts.', content: { 'application/json': { schema: UsageResponseSchema } } },
    400: errorResponse('VALIDATION_ERROR: malformed from/to or an unknown endpoint.'),
    401: errorResponse('UNAUTHORIZED'),
  },
});

export function registerUsage(app: OpenAPIHono<AppEnv>): void {
  app.openapi(usageRoute, async (c) => {
    const { endpoint, from, to } = c.req.valid('query');
    const org = c.get('principal').organisation;
    const summary = await c.get('services').ledger.usage(org.id, { endpoint, from, to });
    const body: UsageResponse = {
      success: true,
      code: 'SUCCESS',
      message: 'Usage for your organisation.',
      data: { organisation_id: org.id, endpoint, from: from ?? null, to: to ?? null, totals: summary.totals, daily: summary.daily },
      meta: { request_id: c.get('requestId') },
    };
    c.header('Cache-Control', 'no-store');
    return c.json(body, 200);
  });
}
