/** POST /v1/face-match: selfie vs ID image, 0–100 similarity, optional document check; strict envelope. */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../../api/errors.ts';
import {
  FACE_MATCH_CODES,
  FACE_MATCH_DEFAULT_THRESHOLD,
  FaceMatchEnvelopeSchema,
  FaceMatchRequestSchema,
  faceMatchErrorEnvelope,
  mexicoCityTimestamp,
  type FaceMatchCode,
  type FaceMatchEnvelope,
} from '../../api/face-match.ts';
import { matchFaces, type FaceMatchOutcome } from '../../service/face-match.ts';
import { authenticate, requireService } from '../middleware/auth.ts';
import { admitRequest } from '../middleware/admission.ts';
import { limitBody } from '../middleware/body-limit.ts';
import { requireJson } from '../middleware/json.ts';
import type { AppEnv, ErrorProfile } from '../env.ts';
import { DEFAULT_LIMITS } from '../services.ts';
import { completeVerification } from '../completion.ts';

export const FACE_MATCH_ENDPOINT = '/v1/face-match';

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
    middleware: [useFaceMatchProfile, authenticate, requireService('face_match'), admitRequest, limitBody(maxBodyBytes), requireJson] as const,
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

/** The business result code, in order of precedence: missing face, document, similarity. */
export function faceMatchCode(outcome: FaceMatchOutcome, threshold: number): FaceMatchCode {
  if (!outcome.selfie || !outcome.idImage || outcome.similarity === null) return 'NO_FACE_DETECTED';
  if (outcome.document && !outcome.document.passed) return outcome.document.outcome === 'NO_DOCUMENT_DETECTED' ? 'NO_DOCUMENT_DETECTED' : 'DOCUMENT_TYPE_MISMATCH';
  return outcome.similarity >= threshold ? 'FACE_MATCH' : 'FACE_MISMATCH';
}

function messageFor(code: FaceMatchCode, outcome: FaceMatchOutcome): string {
  if (code === 'NO_FACE_DETECTED') {
    const where = !outcome.selfie && !outcome.idImage ? 'either image' : !outcome.selfie ? 'the selfie' : 'the ID image';
    return `No face could be detected in ${where}. Send well-lit, frontal, unobstructed images.`;
  }
  if ((code === 'NO_DOCUMENT_DETECTED' || code === 'DOCUMENT_TYPE_MISMATCH') && outcome.document?.reasons.length) {
    const reasons = outcome.document.reasons.join('; ');
    return `${FACE_MATCH_CODES[code].message} ${reasons.charAt(0).toUpperCase()}${reasons.slice(1)}.`;
  }
  return FACE_MATCH_CODES[code].message;
}

export function registerFaceMatch(app: OpenAPIHono<AppEnv>, maxBodyBytes?: number): void {
  app.openapi(faceMatchRoute(maxBodyBytes), async (c) => {
    const body = c.req.valid('json');
    const services = c.get('services');
    const requestId = c.get('requestId');
    const log = c.get('log');
    const org = c.get('principal').organisation;
    const threshold = body.threshold ?? FACE_MATCH_DEFAULT_THRESHOLD;
    const record = (result: string, charged: boolean) =>
      services.ledger.record({ ts: services.clock.now().toISOString(), request_id: requestId, org_id: org.id, endpoint: FACE_MATCH_ENDPOINT, result, charged });

    let outcome: FaceMatchOutcome;
    try {
      outcome = await matchFaces(
        { engine: services.engine, policy: services.policy, documents: services.documents, logger: log },
        { selfie: body.selfie, idImage: body.idImage, documentType: body.documentType, withCrops: true, signal: c.req.raw.signal },
      );
    } catch (err) {
      const rendered = faceMatchErrorEnvelope(err instanceof ApiError ? err : new ApiError('SERVICE_ERROR'), { requestId, now: services.clock.now() });
      await record(rendered.body.code, false).catch((e: unknown) => log.error('usage ledger write failed', { error: e as Error }));
      throw err;
    }

    const code = faceMatchCode(outcome, threshold);
    const spec = FACE_MATCH_CODES[code];
    try {
      // A billable result must be durable in the ledger before it is released.
      await record(code, spec.billable);
    } catch (err) {
      throw new ApiError('SERVICE_ERROR', 'The result could not be recorded. Retry the request.', undefined, { status: 503, retryable: true, retryAfterSeconds: 1, cause: err });
    }

    await completeVerification(c, {
      endpoint: FACE_MATCH_ENDPOINT,
      selfie: body.selfie,
      reference: { image: body.idImage },
      idType: null,
      idNumberMasked: null,
      threshold,
      score: outcome.similarity,
      verdict: code,
      source: 'id_image',
      review: { kind: 'verdict', score: outcome.similarity, threshold, scale: 100 },
      warnings: outcome.warnings.map((w) => w.risk),
      crops: { selfie: outcome.selfie?.crop, reference: outcome.idImage?.crop },
    });
    const response: FaceMatchEnvelope = {
      status: 'OK',
      code,
      message: messageFor(code, outcome),
      requestId,
      timestamp: mexicoCityTimestamp(services.clock.now()),
      billable: spec.billable,
      result: {
        similarity: outcome.similarity,
        match: code === 'FACE_MATCH',
        threshold,
        facesDetected: { selfie: outcome.selfie?.faces.length ?? 0, idImage: outcome.idImage?.faces.length ?? 0 },
        document: outcome.document,
      },
    };
    c.header('Cache-Control', 'no-store');
    return c.json(response, 200);
  });
}
