/** The Hono environment: per-request variables set by the middleware. */
import type { Context } from 'hono';
import type { Principal } from '../accounts/store.ts';
import type { ApiError } from '../api/errors.ts';
import type { Logger } from '../logging/logger.ts';
import type { VerificationFailure } from '../service/failures.ts';
import type { ResolvedServices } from './services.ts';

export type AppEnv = {
  Variables: {
    services: ResolvedServices;
    requestId: string;
    /** The request-scoped logger (every line carries request_id). */
    log: Logger;
    principal: Principal;
    /** Set by routes that want verification_type on their error bodies. */
    verificationType?: 'ID_FACE_MATCH';
    /**
     * Set by routes of another API profile (e.g. /v1/face-match) to render errors in that profile's
     * envelope. The error middleware calls it for every error, including the auth middleware's.
     */
    errorProfile?: ErrorProfile;
    /** Fields of the request's audit line (who, which identity, what result); never biometrics. */
    audit?: AuditFields;
  };
};

export interface AuditFields {
  key_id?: string;
  org_id?: string;
  id_type?: string;
  /** Masked: the last characters only. */
  id_number_masked?: string;
  /** The verdict or result code, else the error code. */
  result?: string;
}

/** How one API profile turns an error (HTTP layer or use case) into its HTTP status and body. */
export interface ErrorProfile {
  name: string;
  render(c: Context<AppEnv>, err: ApiError | VerificationFailure): { status: number; body: unknown };
}
