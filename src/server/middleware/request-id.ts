/**
 * Gives every request a 12-character id (meta.request_id, X-Request-Id, every log line) and one audit
 * line when it ends: method, path, status, duration, and who asked about which identity with what
 * result (key id, organisation, id_type, masked id_number, verdict or error code). No images, no
 * scores of biometric data, no full ID numbers.
 */
import { randomBytes } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import { REQUEST_ID_LENGTH } from '../../api/envelope.ts';
import { runWithLogContext } from '../../logging/logger.ts';
import type { AppEnv } from '../env.ts';
import type { ResolvedServices } from '../services.ts';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** 12 characters from a 57-symbol alphabet (~70 bits), unbiased by rejection sampling. */
export function newRequestId(): string {
  let id = '';
  while (id.length < REQUEST_ID_LENGTH) {
    for (const byte of randomBytes(16)) {
      if (byte < ALPHABET.length * 4) id += ALPHABET[byte % ALPHABET.length];
      if (id.length === REQUEST_ID_LENGTH) break;
    }
  }
  return id;
}

export function requestContext(services: ResolvedServices) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const requestId = newRequestId();
    const log = services.logger.child({ request_id: requestId });
    c.set('services', services);
    c.set('requestId', requestId);
    c.set('log', log);
    c.header('X-Request-Id', requestId);
    const started = performance.now();
    await runWithLogContext({ request_id: requestId }, () => next());
    c.header('X-Request-Id', requestId);
    log.info('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
      ...c.get('audit'),
    });
  });
}
