/** The routes for people and auditors: API reference, operator console, review queue, receipt keys. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env.ts';
import { registerConsole } from './console.ts';
import { registerDocs } from './docs.ts';
import { registerReviews } from './v1_reviews.ts';
import { registerJwks } from './well_known_jwks.ts';

export function registerOperatorRoutes(app: OpenAPIHono<AppEnv>): void {
  registerReviews(app);
  registerJwks(app);
  registerDocs(app);
  registerConsole(app);
}
