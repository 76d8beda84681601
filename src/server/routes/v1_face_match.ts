/** POST /v1/face-match: selfie vs ID image, 0–100 similarity, optional document check; strict envelope. */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import { FaceMatchEnvelopeSchema, FaceMatchRequestSchema, faceMatchErrorCode, faceMatchErrorEnvelope, mexicoCityTimestamp, type FaceMatchEnvelope } from '../../api/face-match.ts';
import { METERED_ENDPOINTS } from '../../policy/charges.ts';
import { decideFaceMatch } from '../../policy/face-match.ts';
import { matchFaces } from '../../service/face-match.ts';
import { FACE_MATCH_DEFAULT_THRESHOLD } from '../../policy/thresholds.ts';
import { meterFor } from '../metering.ts';
import { thresholdWithinFloor } from '../threshold-floor.ts';
import { toApiError } from '../middleware/errors.ts';
import { VerificationFailure } from '../../service/failures.ts';
import { authenticate, requireService } from '../middleware/auth.ts';
import { admitRequest } from '../middleware/admission.ts';
import { limitBody } from '../middleware/body-limit.ts';
import { requireJson } from '../middleware/json.ts';
import { idempotency } from '../middleware/idempotency.ts';
import type { AppEnv, ErrorProfile } from '../env.ts';
import { DEFAULT_LIMITS } from '../services.ts';
import { completeVerification } from '../completion.ts';

export const FACE_MATCH_ENDPOINT = METERED_ENDPOINTS.faceMatch;

/** Every error on this route, from the auth middleware on, leaves in the strict envelope. */
export const faceMatchProfile: ErrorProfile = {
  name: 'face-match',
  render: (c, err) => faceMatchErrorEnvelope(err, { requestId: c.get('requestId'), now: c.get('services').clock.now() }),
};

const useFaceMatchProfile = createMiddleware<AppEnv>(async (c, next) => {
  c.set('errorProfile', faceMatchProfile);
  await next();
});

const envelopeResponse = (description: string) => ({ description, content: { 'application/json': { schema: FaceMatchEnvelopeSchema } } });

export function faceMatchRoute(maxBodyBytes: number = DEFAULT_LIMITS.maxBodyBytes) {
  return createRoute({
    method: 'post',
    path: FACE_MATCH_ENDPOINT,
    operationId: 'faceMatch',
    tags: ['Face match'],
    summary: 'Compare a selfie with the face on an ID image (0–100 similarity, optional document check)',
    description:
      'Compares the selfie with the largest face on the ID image and returns a 0–100 similarity (calibrated score × 100) and a match decision against `threshold` (default 90). ' +
      'With `documentType`, the ID image is also checked for a plausible identity-document layout. Result codes (HTTP 200, status OK, billable): FACE_MATCH, FACE_MISMATCH, NO_FACE_DETECTED, NO_DOCUMENT_DETECTED, DOCUMENT_TYPE_MISMATCH. ' +
      'Errors (status ERROR, not billable, result null): INVALID_REQUEST (400/413, per-field `errors`), UNAUTHORIZED (401), FORBIDDEN (403), RATE_LIMIT_EXCEEDED (429, with Retry-After), INTERNAL_ERROR (500), SERVICE_UNAVAILABLE (503).',
    security: [{ bearerAuth: [] }],
    middleware: [useFaceMatchProfile, authenticate, requireService('face_match'), admitRequest, limitBody(maxBodyBytes), requireJson, idempotency] as const,
    request: { body: { required: true, content: { 'application/json': { schema: FaceMatchRequestSchema } } } },
    responses: {
      200: envelopeResponse('Processed: FACE_MATCH, FACE_MISMATCH, NO_FACE_DETECTED, NO_DOCUMENT_DETECTED or DOCUMENT_TYPE_MISMATCH.'),
      400: envelopeResponse('INVALID_REQUEST: per-field `errors`.'),
      401: envelopeResponse('UNAUTHORIZED: missing, malformed or unknown API key.'),
      403: envelopeResponse('FORBIDDEN: organisation not approved or not subscribed to face_match.'),
      413: envelopeResponse('INVALID_REQUEST: body over the server limit or an image over 10 MB decoded.'),
      429: envelopeResponse('RATE_LIMIT_EXCEEDED: the API key\'s requests per minute or per day; honour Retry-After.'),
      500: envelopeResponse('INTERNAL_ERROR.'),
      503: envelopeResponse('SERVICE_UNAVAILABLE: the service is at capacity or shutting down, or the result could not be recorded; honour Retry-After.'),
    },
  });
}

export function registerFaceMatch(app: OpenAPIHono<AppEnv>, maxBodyBytes?: number): void {
  app.openapi(faceMatchRoute(maxBodyBytes), async (c) => {
    const body = c.req.valid('json');
    const services = c.get('services');
    const requestId = c.get('requestId');
    const threshold = thresholdWithinFloor(c, { field: 'threshold', requested: body.threshold, productDefault: FACE_MATCH_DEFAULT_THRESHOLD, scale: 100, code: 'INVALID_THRESHOLD_RANGE' });
    const meter = meterFor(c, {
      endpoint: FACE_MATCH_ENDPOINT,
      failureCode: (err) => faceMatchErrorCode(err instanceof VerificationFailure ? err : toApiError(err)),
    });

    const outcome = await meter.run(() =>
      matchFaces(
        { engine: services.engine, policy: services.policy, documents: services.documents, logger: c.get('log') },
        { selfie: body.selfie, idImage: body.idImage, documentType: body.documentType, withCrops: true, signal: c.req.raw.signal },
      ),
    );

    const decision = decideFaceMatch({ selfieFace: outcome.selfie !== null, idImageFace: outcome.idImage !== null, similarity: outcome.similarity, document: outcome.document }, threshold);
    const { charged } = await meter.result(decision.code);

    await completeVerification(c, {
      endpoint: FACE_MATCH_ENDPOINT,
      selfie: body.selfie,
      reference: { image: body.idImage },
      idType: null,
      idNumberMasked: null,
      threshold,
      score: outcome.similarity,
      verdict: decision.code,
      source: 'id_image',
      review: { kind: 'verdict', score: outcome.similarity, threshold, scale: 100 },
      warnings: outcome.warnings.map((w) => w.risk),
      crops: { selfie: outcome.selfie?.crop, reference: outcome.idImage?.crop },
    });
    const response: FaceMatchEnvelope = {
      status: 'OK',
      code: decision.code,
      message: decision.message,
      requestId,
      timestamp: mexicoCityTimestamp(services.clock.now()),
      billable: charged,
      result: {
        similarity: outcome.similarity,
        match: decision.match,
        threshold: decision.threshold,
        facesDetected: { selfie: outcome.selfie?.faces.length ?? 0, idImage: outcome.idImage?.faces.length ?? 0 },
        document: outcome.document,
      },
    };
    c.header('Cache-Control', 'no-store');
    return c.json(response, 200);
  });
}
