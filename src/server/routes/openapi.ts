/** GET /openapi.json: the OpenAPI 3.1 document, generated from the zod schemas of the routes. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { ERROR_CODES } from '../../api/errors.ts';
import type { AppEnv } from '../env.ts';

function errorTable(): string {
  const rows = Object.entries(ERROR_CODES).map(([code, e]) => `| ${e.status} | ${code} | ${e.description} |`);
  return ['| HTTP | Code | Meaning |', '|---|---|---|', ...rows].join('\n');
}

export function openApiDocument(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <api-key>' });
  return app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'facematch API',
      version: '1.0.0',
      description:
        'Self-hosted 1:1 face verification against government identity registries.\n\n' +
        'Every response carries `meta.request_id` (12 characters, also the X-Request-Id header). Errors share one envelope: ' +
        '`{success: false, code, message, data: null, details?, retryable, meta}`.\n\n' +
        errorTable(),
      license: { name: 'MIT' },
    },
    servers: [{ url: '/' }],
  });
}

export function registerOpenApi(app: OpenAPIHono<AppEnv>): void {
  let cached: unknown;
  app.get('/openapi.json', (c) => {
    cached ??= openApiDocument(app);
    return c.json(cached as object);
  });
}
