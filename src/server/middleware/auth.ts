/** Bearer API-key authentication, and per-route organisation checks (approval, subscription). */
import { createMiddleware } from 'hono/factory';
import type { ServiceName } from '../../accounts/config.ts';
import { hasService } from '../../accounts/store.ts';
import { ApiError } from '../../api/errors.ts';
import type { AppEnv } from '../env.ts';

/** Exactly `Bearer <token>`: the scheme as written, one space, a b64token (RFC 6750 §2.1), nothing after. */
const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/;

export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization');
  const match = header ? BEARER.exec(header) : null;
  if (!match) {
    c.header('WWW-Authenticate', 'Bearer');
    throw new ApiError('UNAUTHORIZED', header ? 'The Authorization header must be "Bearer <api-key>".' : undefined);
  }
  const principal = c.get('services').accounts.authenticate(match[1]!);
  c.set('audit', { ...c.get('audit'), ...(principal ? { key_id: principal.keyId, org_id: principal.organisation.id } : {}) });
  if (!principal) {
    c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
    throw new ApiError('UNAUTHORIZED', 'The API key is not valid.');
  }
  c.set('principal', principal);
  c.get('log').debug('authenticated', { org_id: principal.organisation.id, key_id: principal.keyId });
  await next();
});

/** The organisation must be approved and subscribed to `service`. */
export function requireService(service: ServiceName) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const org = c.get('principal').organisation;
    if (!org.approved) throw new ApiError('FORBIDDEN');
    if (!hasService(org, service)) {
      throw new ApiError('SUBSCRIPTION_REQUIRED', 'Your account is not subscribed to the Face Match service. Enable it in the Console under Services.', { service });
    }
    await next();
  });
}
