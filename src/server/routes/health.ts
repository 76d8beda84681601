/** GET /health: liveness, the engine version and the id_types served. No authentication, no secrets. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env.ts';

const HealthSchema = z
  .object({
    status: z.literal('ok'),
    engine: z.string().openapi({ example: 'yunet+arcface@1' }),
    calibration: z.string().openapi({ example: 'raw-cosine' }),
    precision: z
      .object({
        recognizer: z.enum(['int8', 'float32']),
        reason: z.string().openapi({ example: 'int8 and float descriptors of the fixed check crops agree to cosine 0.99907 (≥ 0.997)' }),
      })
      .optional()
      .openapi({ description: 'Precision the recognition net runs in on this CPU, and why (configuration or the start-up check against the float net).' }),
    id_types: z.array(z.string()).openapi({ example: ['NG_NIN', 'PE_DNI'] }),
    request_id: z.string(),
  })
  .openapi('Health');

export const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'health',
  tags: ['Operations'],
  summary: 'Service health and the id_types served',
  responses: { 200: { description: 'The service is up.', content: { 'application/json': { schema: HealthSchema } } } },
});

export function registerHealth(app: OpenAPIHono<AppEnv>): void {
  app.openapi(healthRoute, (c) => {
    const s = c.get('services');
    return c.json({ status: 'ok' as const, engine: s.engine.version, calibration: s.policy.calibration.version, precision: s.engine.precision, id_types: s.registry.idTypes(), request_id: c.get('requestId') }, 200);
  });
}
