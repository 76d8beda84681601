/** POST /v1/face-match-report: facial similarity report with review band, warnings and temporary image links. */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { errorResponse } from '../../api/envelope.ts';
import { ApiError } from '../../api/errors.ts';
import {
  FaceMatchReportRequestSchema,
  FaceMatchReportSchema,
  REPORT_DEFAULT_APPROVAL_THRESHOLD,
  REPORT_DEFAULT_REVIEW_THRESHOLD,
  type FaceMatchReport,
} from '../../api/face-match-report.ts';
import { reviewStatus, type ReportStatus } from '../../policy/review.ts';
import { similarityWarning } from '../../policy/warnings.ts';
import { matchFaces, type FaceMatchOutcome } from '../../service/face-match.ts';
import { authenticate, requireService } from '../middleware/auth.ts';
import { admitRequest } from '../middleware/admission.ts';
import { limitBody } from '../middleware/body-limit.ts';
import { requireJson } from '../middleware/json.ts';
import type { AppEnv } from '../env.ts';
import { DEFAULT_LIMITS } from '../services.ts';
import { MEDIA_PATH_PREFIX } from './v1_media.ts';
import { completeVerification } from '../completion.ts';

export const FACE_MATCH_REPORT_ENDPOINT = '/v1/face-match-report';

export function faceMatchReportRoute(maxBodyBytes: number = DEFAULT_LIMITS.maxBodyBytes) {
  return createRoute({
    method: 'post',
    path: FACE_MATCH_REPORT_ENDPOINT,
    operationId: 'faceMatchReport',
    tags: ['Face match'],
    summary: 'Facial similarity report: status with a review band, score 0–100, warnings, temporary image links',
    description:
      'Compares the selfie with the portrait on the ID image. `face_match.status` is Approved (score ≥ approval_threshold, default 90), In Review (review_threshold ≤ score < approval_threshold, default 75–90; also an approved score with a presentation-attack signal) or Rejected (below review_threshold, or no face in an image: score 0 with a NO_FACE_DETECTED warning). ' +
      '`source_image` (ID portrait crop) and `target_image` (selfie face crop) are temporary links served by GET /v1/media/{token}, valid 60 minutes, held in memory only. Every completed report (HTTP 200) is billed; errors are not. Errors use the standard error envelope.',
    security: [{ bearerAuth: [] }],
    middleware: [authenticate, requireService('face_match'), admitRequest, limitBody(maxBodyBytes), requireJson] as const,
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

/** Absolute base for links: the configured public URL, else the request's origin (from its Host). */
export function publicBase(c: Context<AppEnv>): string {
  const configured = c.get('services').publicBaseUrl;
  if (configured) return configured.replace(/\/+$/, '');
  const url = new URL(c.req.url);
  const host = c.req.header('host');
  // Only a well-formed host[:port] is echoed into links; behind a proxy, configure the base URL instead.
  const safeHost = host && /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(host) ? host : url.host;
  return `${url.protocol}//${safeHost}`;
}

export function reportStatusFor(outcome: FaceMatchOutcome, approval: number, review: number): { status: ReportStatus; score: number } {
  if (outcome.similarity === null) return { status: 'Rejected', score: 0 };
  let status = reviewStatus(outcome.similarity, approval, review);
  // A presentation-attack signal never lets a report through unreviewed.
  if (status === 'Approved' && outcome.warnings.some((w) => w.risk === 'POSSIBLE_PRESENTATION_ATTACK')) status = 'In Review';
  return { status, score: outcome.similarity };
}

export function registerFaceMatchReport(app: OpenAPIHono<AppEnv>, maxBodyBytes?: number): void {
  app.openapi(faceMatchReportRoute(maxBodyBytes), async (c) => {
    const body = c.req.valid('json');
    const services = c.get('services');
    const requestId = c.get('requestId');
    const log = c.get('log');
    const org = c.get('principal').organisation;
    const approval = body.approval_threshold ?? REPORT_DEFAULT_APPROVAL_THRESHOLD;
    const review = body.review_threshold ?? REPORT_DEFAULT_REVIEW_THRESHOLD;
    const record = (result: string, charged: boolean) =>
      services.ledger.record({ ts: services.clock.now().toISOString(), request_id: requestId, org_id: org.id, endpoint: FACE_MATCH_REPORT_ENDPOINT, result, charged });

    let outcome: FaceMatchOutcome;
    try {
      outcome = await matchFaces(
        { engine: services.engine, policy: services.policy, logger: log },
        { selfie: body.selfie, idImage: body.idImage, withCrops: true, signal: c.req.raw.signal },
      );
    } catch (err) {
      const code = err instanceof ApiError ? err.code : 'SERVICE_ERROR';
      await record(code, false).catch((e: unknown) => log.error('usage ledger write failed', { error: e as Error }));
      throw err;
    }

    const { status, score } = reportStatusFor(outcome, approval, review);
    const warnings = [...outcome.warnings];
    if (outcome.similarity !== null) {
      const low = similarityWarning({ score: outcome.similarity, threshold: approval, reviewThreshold: review });
      if (low) warnings.unshift(low);
    }

    // Image links first: if their store is down the request fails (503) before anything is charged.
    const base = publicBase(c);
    const link = async (bytes: Uint8Array | undefined) => (bytes ? `${base}${MEDIA_PATH_PREFIX}${(await services.media.put(bytes, 'image/jpeg')).token}` : null);
    const [sourceImage, targetImage] = await Promise.all([link(outcome.idImage?.crop), link(outcome.selfie?.crop)]);

    try {
      // Every completed report is billed; the charge is durable before the report is released.
      await record(status, true);
    } catch (err) {
      throw new ApiError('SERVICE_ERROR', 'The report could not be recorded. Retry the request.', undefined, { status: 503, retryable: true, retryAfterSeconds: 1, cause: err });
    }

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
