/** POST /v1/face-comparison: verify a selfie against the registry photo for an ID number. */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { errorResponse } from '../../api/envelope.ts';
import { ApiError } from '../../api/errors.ts';
import { FaceComparisonRequestSchema, FaceComparisonResponseSchema, type FaceComparisonResponse } from '../../api/face-comparison.ts';
import { compareFace } from '../../service/face-comparison.ts';
import { authenticate, requireService } from '../middleware/auth.ts';
import { admitRequest } from '../middleware/admission.ts';
import { limitBody } from '../middleware/body-limit.ts';
import { limitIdentityAttempts } from '../middleware/identity-limits.ts';
import { requireJson } from '../middleware/json.ts';
import type { AppEnv } from '../env.ts';
import { DEFAULT_LIMITS } from '../services.ts';
import { createMiddleware } from 'hono/factory';
import { completeVerification } from '../completion.ts';

export const ENDPOINT = '/v1/face-comparison';

const markVerificationType = createMiddleware<AppEnv>(async (c, next) => {
  c.set('verificationType', 'ID_FACE_MATCH');
  await next();
});

export function faceComparisonRoute(maxBodyBytes: number = DEFAULT_LIMITS.maxBodyBytes) {
  return createRoute({
    method: 'post',
    path: ENDPOINT,
    operationId: 'faceComparison',
    tags: ['Face comparison'],
    summary: 'Compare a selfie with the registry photo for an ID number',
    description:
      'Fetches the reference photo and identity record for `id_number` from the registry selected by `id_type`, compares the faces 1:1 and returns a verdict. ' +
      'Strength tiers (`data.confidence.status`): STRONG_MATCH when score ≥ threshold and ≥ 0.85; MATCH when score ≥ threshold and < 0.85; NO_MATCH when score < threshold. ' +
      'Only CONFIRMED results are charged. A registry outage is reported as HTTP 503 SERVICE_ERROR with `retryable: true` and a Retry-After header, never as a MISMATCH.',
    security: [{ bearerAuth: [] }],
    middleware: [markVerificationType, authenticate, requireService('face_match'), admitRequest, limitBody(maxBodyBytes), requireJson] as const,
    request: {
      body: { required: true, content: { 'application/json': { schema: FaceComparisonRequestSchema } } },
    },
    responses: {
      200: { description: 'The comparison completed: CONFIRMED or MISMATCH.', content: { 'application/json': { schema: FaceComparisonResponseSchema } } },
      400: errorResponse('VALIDATION_ERROR, INVALID_THRESHOLD, INVALID_THRESHOLD_RANGE or INVALID_INPUT.'),
      401: errorResponse('UNAUTHORIZED: missing, malformed or unknown API key.'),
      403: errorResponse('FORBIDDEN (organisation not approved) or SUBSCRIPTION_REQUIRED (face_match not enabled).'),
      404: errorResponse('ID_NOT_FOUND: no record, or no usable reference photo (`details.reason`).'),
      413: errorResponse('PAYLOAD_TOO_LARGE: body over the limit or selfie over 10 MB decoded.'),
      429: errorResponse('RATE_LIMIT_EXCEEDED: a limit of the API key or of the ID number was reached (`details.reason`); honour Retry-After.'),
      422: errorResponse('LANDMARKS_NOT_FOUND: no face in the selfie or in the registry photo (`details.image`).'),
      500: errorResponse('SERVICE_ERROR: unexpected server error.'),
      503: errorResponse('SERVICE_ERROR with retryable: true: the registry is unavailable or rate-limited; honour Retry-After.'),
    },
  });
}

export function registerFaceComparison(app: OpenAPIHono<AppEnv>, maxBodyBytes?: number): void {
  app.openapi(faceComparisonRoute(maxBodyBytes), async (c) => {
    const body = c.req.valid('json');
    const services = c.get('services');
    const requestId = c.get('requestId');
    const log = c.get('log');
    const org = c.get('principal').organisation;
    const record = (result: string) =>
      services.ledger.record({ ts: services.clock.now().toISOString(), request_id: requestId, org_id: org.id, endpoint: ENDPOINT, result });

    const attempt = await limitIdentityAttempts(c, body.id_type, body.id_number);
    let outcome;
    try {
      outcome = await compareFace(
        { registry: services.registry, engine: services.engine, policy: services.policy, cache: services.cache, logger: log },
        { selfie: body.selfie, idType: body.id_type, idNumber: body.id_number, threshold: body.threshold, requestId, signal: c.req.raw.signal, callerId: c.get('principal').keyId },
      );
    } catch (err) {
      const code = err instanceof ApiError ? err.code : 'SERVICE_ERROR';
      await record(code).catch((e: unknown) => log.error('usage ledger write failed', { error: e as Error }));
      throw err;
    }

    const { decision } = outcome;
    try {
      // A charge must be durable before the result is released.
      await record(decision.match_result);
    } catch (err) {
      throw new ApiError('SERVICE_ERROR', 'The result could not be recorded. Retry the request.', undefined, { status: 503, retryable: true, retryAfterSeconds: 1, cause: err });
    }

    await attempt.settle(decision.match_result);

    const completion = await completeVerification(c, {
      endpoint: ENDPOINT,
      selfie: body.selfie,
      reference: { sha256: outcome.referenceSha256 },
      idType: body.id_type,
      idNumberMasked: outcome.idNumberMasked,
      threshold: decision.threshold,
      score: decision.score,
      verdict: decision.match_result,
      source: outcome.source,
      review: { kind: 'verdict', score: decision.score, threshold: decision.threshold, scale: 1 },
      warnings: outcome.warnings.map((w) => w.risk),
      crops: outcome.crops,
    });
    const response: FaceComparisonResponse = {
      success: true,
      code: 'SUCCESS',
      message: decision.match_result === 'CONFIRMED' ? 'Face comparison completed: the selfie matches the ID photo.' : 'Face comparison completed: the selfie does not match the ID photo.',
      verification_type: 'ID_FACE_MATCH',
      data: {
        match_result: decision.match_result,
        confidence: { score: decision.score, threshold: decision.threshold, status: decision.tier },
        identity: outcome.identity as FaceComparisonResponse['data']['identity'],
        details: {
          reason_code: decision.reason_code,
          remarks: decision.remarks,
          faces_in_selfie: outcome.facesInSelfie,
          source: outcome.source,
          ...(outcome.atSource ? { match_at_source: true, registry_band: outcome.atSource.registryBand } : {}),
          warnings: outcome.warnings,
        },
      },
      meta: { request_id: requestId, cache: outcome.cache, timings_ms: outcome.timings, ...completion },
    };
    c.header('Cache-Control', 'no-store');
    return c.json(response, 200);
  });
}
