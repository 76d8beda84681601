/** POST /v1/face-comparison: verify a selfie against the registry photo for an ID number. */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { errorResponse } from '../../api/envelope.ts';
import { FaceComparisonRequestSchema, FaceComparisonResponseSchema, type FaceComparisonResponse } from '../../api/face-comparison.ts';
import { METERED_ENDPOINTS } from '../../policy/charges.ts';
import { maskIdNumber } from '../../registry/mask.ts';
import { compareFace } from '../../service/face-comparison.ts';
import { DEFAULT_THRESHOLD } from '../../policy/thresholds.ts';
import { meterFor } from '../metering.ts';
import { thresholdWithinFloor } from '../threshold-floor.ts';
import { authenticate, requireService } from '../middleware/auth.ts';
import { admitRequest } from '../middleware/admission.ts';
import { limitBody } from '../middleware/body-limit.ts';
import { limitIdentityAttempts } from '../middleware/identity-limits.ts';
import { requireJson } from '../middleware/json.ts';
import { idempotency } from '../middleware/idempotency.ts';
import type { AppEnv } from '../env.ts';
import { DEFAULT_LIMITS } from '../services.ts';
import { createMiddleware } from 'hono/factory';
import { completeVerification } from '../completion.ts';

export const ENDPOINT = METERED_ENDPOINTS.faceComparison;

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
    middleware: [markVerificationType, authenticate, requireService('face_match'), admitRequest, limitBody(maxBodyBytes), requireJson, idempotency] as const,
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
    c.set('audit', { ...c.get('audit'), id_type: body.id_type, id_number_masked: maskIdNumber(body.id_number) });
    const threshold = thresholdWithinFloor(c, { field: 'threshold', requested: body.threshold, productDefault: DEFAULT_THRESHOLD, scale: 1, code: 'INVALID_THRESHOLD_RANGE' });
    const meter = meterFor(c, { endpoint: ENDPOINT });

    const attempt = await limitIdentityAttempts(c, body.id_type, body.id_number);
    const outcome = await meter.run(() =>
      compareFace(
        { registry: services.registry, engine: services.engine, policy: services.policy, cache: services.cache, logger: log },
        { selfie: body.selfie, idType: body.id_type, idNumber: body.id_number, threshold, requestId, signal: c.req.raw.signal, callerId: c.get('principal').keyId,
          document: body.aadhaar_zip !== undefined && body.share_code !== undefined ? { zipBase64: body.aadhaar_zip, shareCode: body.share_code } : undefined },
      ),
    );

    const { decision } = outcome;
    await meter.result(decision.match_result);

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
      message: decision.message,
      verification_type: 'ID_FACE_MATCH',
      data: {
        match_result: decision.match_result,
        confidence: { score: decision.score, threshold: decision.threshold, status: decision.tier },
        identity: decision.disclose_identity
          ? (outcome.identity as FaceComparisonResponse['data']['identity'])
          : { record: 'WITHHELD', id_type: body.id_type, id_number: maskIdNumber(body.id_number) },
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
