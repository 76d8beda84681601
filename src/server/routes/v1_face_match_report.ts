/** POST /v1/face-match-report: facial similarity report with review band, warnings and temporary image links. */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { errorResponse } from '../../api/envelope.ts';
import { FaceMatchReportRequestSchema, FaceMatchReportSchema, type FaceMatchReport } from '../../api/face-match-report.ts';
import { METERED_ENDPOINTS } from '../../policy/charges.ts';
import { decideReport } from '../../policy/review.ts';
import { matchFaces } from '../../service/face-match.ts';
import { REPORT_DEFAULT_APPROVAL_THRESHOLD } from '../../policy/thresholds.ts';
import { meterFor } from '../metering.ts';
import { thresholdWithinFloor } from '../threshold-floor.ts';
import { authenticate, requireService } from '../middleware/auth.ts';
import { admitRequest } from '../middleware/admission.ts';
import { limitBody } from '../middleware/body-limit.ts';
import { requireJson } from '../middleware/json.ts';
import { idempotency } from '../middleware/idempotency.ts';
import type { AppEnv } from '../env.ts';
import { DEFAULT_LIMITS } from '../services.ts';
import { MEDIA_PATH_PREFIX } from './v1_media.ts';
import { completeVerification } from '../completion.ts';

export const FACE_MATCH_REPORT_ENDPOINT = METERED_ENDPOINTS.faceMatchReport;

export function faceMatchReportRoute(maxBodyBytes: number = DEFAULT_LIMITS.maxBodyBytes) {
  return createRoute({
    method: 'post',
    path: FACE_MATCH_REPORT_ENDPOINT,
    operationId: 'faceMatchReport',
    tags: ['Face match'],
    summary: 'Facial similarity report: status with a review band, score 0–100, warnings, temporary image links',
    description:
      'Compares the selfie with the portrait on the ID image. `face_match.status` is Approved (score ≥ approval_threshold, default 90), In Review (review_threshold ≤ score < approval_threshold, default 75–90; also an approved score with a presentation-attack signal) or Rejected (below review_threshold, or no face in an image: score 0 with a NO_FACE_DETECTED warning). ' +
      '`source_image` (ID portrait crop) and `target_image` (selfie face crop) are temporary links served by GET /v1/media/{token}, valid 60 minutes, held in memory only: absolute on the configured public base URL, else relative to this service. Every completed report (HTTP 200) is billed; errors are not. Errors use the standard error envelope.',
    security: [{ bearerAuth: [] }],
    middleware: [authenticate, requireService('face_match'), admitRequest, limitBody(maxBodyBytes), requireJson, idempotency] as const,
    request: { body: { required: true, content: { 'application/json': { schema: FaceMatchReportRequestSchema } } } },
    responses: {
      200: { description: 'The report (Approved, In Review or Rejected).', content: { 'application/json': { schema: FaceMatchReportSchema } } },
      400: errorResponse('VALIDATION_ERROR (missing or malformed field, review_threshold above approval_threshold) or INVALID_INPUT (an image is not Base64 or not a supported image).'),
      401: errorResponse('UNAUTHORIZED'),
      403: errorResponse('FORBIDDEN or SUBSCRIPTION_REQUIRED'),
      413: errorResponse('PAYLOAD_TOO_LARGE: body over the limit or an image over 10 MB decoded.'),
      429: errorResponse('RATE_LIMIT_EXCEEDED: the API key\'s requests per minute or per day (`details.reason`); honour Retry-After.'),
      500: errorResponse('SERVICE_ERROR'),
      503: errorResponse('SERVICE_ERROR with retryable: true: the report could not be recorded; retry.'),
    },
  });
}

/**
 * Base of the image links: the configured public URL, else nothing (relative links). Never the
 * request's Host header, which the caller controls (a link to a host of their choosing).
 */
export function linkBase(c: Context<AppEnv>): string {
  return c.get('services').publicBaseUrl?.replace(/\/+$/, '') ?? '';
}

export function registerFaceMatchReport(app: OpenAPIHono<AppEnv>, maxBodyBytes?: number): void {
  app.openapi(faceMatchReportRoute(maxBodyBytes), async (c) => {
    const body = c.req.valid('json');
    const services = c.get('services');
    const log = c.get('log');
    const approvalThreshold = thresholdWithinFloor(c, {
      field: 'approval_threshold',
      requested: body.approval_threshold,
      productDefault: REPORT_DEFAULT_APPROVAL_THRESHOLD,
      scale: 100,
      code: 'VALIDATION_ERROR',
    });
    const meter = meterFor(c, { endpoint: FACE_MATCH_REPORT_ENDPOINT });

    const outcome = await meter.run(() =>
      matchFaces({ engine: services.engine, policy: services.policy, logger: log }, { selfie: body.selfie, idImage: body.idImage, withCrops: true, signal: c.req.raw.signal }),
    );

    const { status, score, warnings, approval, review } = decideReport(outcome, { approval: approvalThreshold, review: body.review_threshold });

    // Image links first: if their store is down the request fails (503) before anything is charged.
    const base = linkBase(c);
    const link = async (bytes: Uint8Array | undefined) => (bytes ? `${base}${MEDIA_PATH_PREFIX}${(await services.media.put(bytes, 'image/jpeg')).token}` : null);
    const [sourceImage, targetImage] = await Promise.all([link(outcome.idImage?.crop), link(outcome.selfie?.crop)]);
    await meter.result(status);

    await completeVerification(c, {
      endpoint: FACE_MATCH_REPORT_ENDPOINT,
      selfie: body.selfie,
      reference: { image: body.idImage },
      idType: null,
      idNumberMasked: null,
      threshold: approval,
      score,
      verdict: status,
      source: 'id_image',
      review: { kind: 'report', status },
      warnings: warnings.map((w) => w.risk),
      crops: { selfie: outcome.selfie?.crop, reference: outcome.idImage?.crop },
    });
    const report: FaceMatchReport = {
      face_match: {
        status,
        score,
        source_image: sourceImage,
        target_image: targetImage,
        warnings,
      },
    };
    log.info('face match report', { status, score, approval_threshold: approval, review_threshold: review, warnings: warnings.map((w) => w.risk) });
    c.header('Cache-Control', 'no-store');
    return c.json(report, 200);
  });
}
