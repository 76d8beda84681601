/** The Hono environment: per-request variables set by the middleware. */
import type { Principal } from '../accounts/store.ts';
import type { Logger } from '../logging/logger.ts';
import type { Services } from './services.ts';

export type AppEnv = {
  Variables: {
    services: Services;
    requestId: string;
    /** The request-scoped logger (every line carries request_id). */
    log: Logger;
    principal: Principal;
    /** Set by routes that want verification_type on their error bodies. */
    verificationType?: 'ID_FACE_MATCH';
  };
};
