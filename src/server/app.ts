/** The Hono app factory. Routes read as a table of contents; each lives in its own file. */
import { OpenAPIHono } from '@hono/zod-openapi';
import { ApiError } from '../api/errors.ts';
import type { AppEnv } from './env.ts';
import { fromZodError, onError, sendError } from './middleware/errors.ts';
import { requestContext } from './middleware/request-id.ts';
import { registerHealth } from './routes/health.ts';
import { registerOpenApi } from './routes/openapi.ts';
import { registerFaceComparison } from './routes/v1_face_comparison.ts';
import { registerUsage } from './routes/v1_usage.ts';
import { DEFAULT_LIMITS, type Services } from './services.ts';

export function createApp(services: Services): OpenAPIHono<AppEnv> {
  const limits = { ...DEFAULT_LIMITS, ...services.limits };
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return sendError(c, fromZodError(result.error));
    },
  });

  app.use('*', requestContext(services));
  app.onError(onError);
  app.notFound((c) => sendError(c, new ApiError('NOT_FOUND', `No route for ${c.req.method} ${c.req.path}.`)));

  registerFaceComparison(app, limits.maxBodyBytes);
  registerUsage(app);
  registerHealth(app);
  registerOpenApi(app);
  return app;
}

export type App = ReturnType<typeof createApp>;
