/** The Hono app factory. Routes read as a table of contents; each lives in its own file. */
import { OpenAPIHono } from '@hono/zod-openapi';
import { ApiError } from '../api/errors.ts';
import type { AppEnv } from './env.ts';
import { fromZodError, onError, sendError } from './middleware/errors.ts';
import { requestContext } from './middleware/request-id.ts';
import { corsFor, securityHeaders } from './middleware/http-headers.ts';
import { registerHealth } from './routes/health.ts';
import { registerOpenApi } from './routes/openapi.ts';
import { createDocumentChecker } from '../document/check.ts';
import { createMediaStore } from '../media/store.ts';
import { createMemoryIdempotencyStore } from '../state/idempotency/store.ts';
import { registerFaceComparison } from './routes/v1_face_comparison.ts';
import { registerFaceMatch } from './routes/v1_face_match.ts';
import { registerFaceMatchReport } from './routes/v1_face_match_report.ts';
import { registerMedia } from './routes/v1_media.ts';
import { registerUsage } from './routes/v1_usage.ts';
import { registerMetrics } from './routes/metrics.ts';
import { registerReady } from './routes/ready.ts';
import { recordHttpMetrics } from './middleware/metrics.ts';
import { instrumentServices } from '../observability/instrument.ts';
import { createEphemeralReceiptSigner } from '../receipts/signer.ts';
import { createMemoryReviewServices } from '../review/index.ts';
import { registerOperatorRoutes } from './routes/operator.ts';
import { DEFAULT_LIMITS, type ResolvedServices, type Services } from './services.ts';

export function createApp(services: Services): OpenAPIHono<AppEnv> {
  const limits = { ...DEFAULT_LIMITS, ...services.limits };
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return sendError(c, fromZodError(result.error));
    },
  });

  // Collaborators not given are created here, per app: a new app is a "restart" (media links gone).
  const resolved: ResolvedServices = {
    ...(services.metrics ? instrumentServices(services, services.metrics) : services),
    media: services.media ?? createMediaStore({ clock: services.clock }),
    documents: services.documents ?? createDocumentChecker(),
    idempotency: services.idempotency ?? createMemoryIdempotencyStore(),
    receipts: services.receipts ?? createEphemeralReceiptSigner(),
    review: services.review ?? createMemoryReviewServices({ clock: services.clock }),
  };
  app.use('*', requestContext(resolved));
  app.use('*', securityHeaders());
  app.use('*', corsFor(services.corsOrigins ?? []));
  app.use('*', recordHttpMetrics);
  app.onError(onError);
  app.notFound((c) => sendError(c, new ApiError('NOT_FOUND', `No route for ${c.req.method} ${c.req.path}.`)));

  registerFaceComparison(app, limits.maxBodyBytes);
  registerFaceMatch(app, limits.maxBodyBytes);
  registerFaceMatchReport(app, limits.maxBodyBytes);
  registerMedia(app);
  registerUsage(app);
  registerHealth(app);
  registerReady(app);
  registerMetrics(app);
  registerOpenApi(app);
  registerOperatorRoutes(app);
  return app;
}
