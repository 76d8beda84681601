/**
 * The body must be JSON, announced by a well-formed Content-Type (`application/json`, optionally with
 * `; name=value` parameters). Anything else is a VALIDATION_ERROR (400): the contracts have no 415.
 * The header is checked with the same grammar the request validator applies, so a header this
 * middleware lets through is never refused further down (which used to surface as a 500).
 */
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../../api/errors.ts';
import type { AppEnv } from '../env.ts';

/** media-type *( OWS ";" OWS token "=" value ), RFC 9110 §8.3.1, for application/json. */
const JSON_CONTENT_TYPE = /^application\/json(?:[ \t]*;[ \t]*[A-Za-z0-9!#$%&'*+.^_`|~-]+=(?:[A-Za-z0-9!#$%&'*+.^_`|~-]+|"[^"\\]*"))*$/i;
/** What the OpenAPI validator accepts (@hono/zod-openapi): parameters with `;\s*name=value`. */
const VALIDATOR_JSON_CONTENT_TYPE = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;

export const requireJson = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('content-type') ?? '';
  const type = header.split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new ApiError('VALIDATION_ERROR', 'The request body must be JSON sent with Content-Type: application/json.', { content_type: type || '(none)' });
  }
  if (!JSON_CONTENT_TYPE.test(header) || !VALIDATOR_JSON_CONTENT_TYPE.test(header)) {
    throw new ApiError('VALIDATION_ERROR', 'The Content-Type header is malformed; send Content-Type: application/json.', { content_type: 'malformed' });
  }
  await next();
});
