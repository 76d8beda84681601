/**
 * The manual-review queue: GET /v1/reviews (the organisation's held cases), GET /v1/reviews/{id}
 * (one case with its two face crops, or only its decision once the case expired) and
 * POST /v1/reviews/{id} (approve or reject with a note; recorded durably before it is acknowledged).
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { errorResponse } from '../../api/envelope.ts';
import { ApiError } from '../../api/errors.ts';
import {
  ReviewCaseResponseSchema,
  ReviewDecisionRequestSchema,
  ReviewIdParamSchema,
  ReviewListResponseSchema,
  type ReviewCaseBody,
} from '../../api/reviews.ts';
import type { ReviewCase, ReviewDecision, ReviewDecisionRecord } from '../../review/types.ts';
import { authenticate, requireService } from '../middleware/auth.ts';
import { limitBody } from '../middleware/body-limit.ts';
import { requireJson } from '../middleware/json.ts';
import type { AppEnv } from '../env.ts';


/** A decision is a few hundred bytes; refuse anything much larger before reading it. */
const DECISION_MAX_BYTES = 16 * 1024;

const statusOf = (d: ReviewDecision | null): ReviewCaseBody['status'] => (!d ? 'PENDING' : d.decision === 'APPROVE' ? 'APPROVED' : 'REJECTED');
const caseBody = ({ org_id: _org, ...c }: ReviewCase): ReviewCaseBody => ({ ...c, status: statusOf(c.decision) });
const decisionOf = ({ decision, note, reviewer, key_id, decided_at }: ReviewDecision): ReviewDecision => ({ decision, note, reviewer, key_id, decided_at });
const dataUrl = (bytes: Uint8Array | null) => (bytes ? `data:image/jpeg;base64,${Buffer.from(bytes).toString('base64')}` : null);

export const listReviewsRoute = createRoute({
  method: 'get',
  path: '/v1/reviews',
  operationId: 'listReviews',
  tags: ['Review'],
  summary: 'Verifications held for manual review',
  description:
    "The calling organisation's cases still held (newest first): reports In Review, and verdicts whose score is within the review margin of the threshold. Cases and their face crops are kept in memory for 60 minutes by default, then vanish.",
  security: [{ bearerAuth: [] }],
  middleware: [authenticate, requireService('face_match')] as const,
  responses: {
    200: { description: 'The held cases (without images).', content: { 'application/json': { schema: ReviewListResponseSchema } } },
    401: errorResponse('UNAUTHORIZED'),
    403: errorResponse('FORBIDDEN or SUBSCRIPTION_REQUIRED'),
  },
});

export const getReviewRoute = createRoute({
  method: 'get',
  path: '/v1/reviews/{id}',
  operationId: 'getReview',
  tags: ['Review'],
  summary: 'One review case with its two face crops, or its decision',
  description: 'While the case is held: the case and both face crops (data URLs). After it expired: `case` and `crops` are null and `decision` is the recorded decision, if there was one; otherwise 404.',
  security: [{ bearerAuth: [] }],
  middleware: [authenticate, requireService('face_match')] as const,
  request: { params: ReviewIdParamSchema },
  responses: {
    200: { description: 'The case (and crops) or its recorded decision.', content: { 'application/json': { schema: ReviewCaseResponseSchema } } },
    400: errorResponse('VALIDATION_ERROR: malformed id.'),
    401: errorResponse('UNAUTHORIZED'),
    403: errorResponse('FORBIDDEN or SUBSCRIPTION_REQUIRED'),
    404: errorResponse('REVIEW_NOT_FOUND'),
  },
});

export const decideReviewRoute = createRoute({
  method: 'post',
  path: '/v1/reviews/{id}',
  operationId: 'decideReview',
  tags: ['Review'],
  summary: 'Approve or reject a held case',
  description:
    'Records who decided, when, what and why (the reviewer name, else the API key id) in the durable decision log before answering. Decisions are final (409 on a second one). The case stays listed, with its decision, until it expires.',
  security: [{ bearerAuth: [] }],
  middleware: [authenticate, requireService('face_match'), limitBody(DECISION_MAX_BYTES), requireJson] as const,
  request: { params: ReviewIdParamSchema, body: { required: true, content: { 'application/json': { schema: ReviewDecisionRequestSchema } } } },
  responses: {
    200: { description: 'The decided case.', content: { 'application/json': { schema: ReviewCaseResponseSchema } } },
    400: errorResponse('VALIDATION_ERROR'),
    401: errorResponse('UNAUTHORIZED'),
    403: errorResponse('FORBIDDEN or SUBSCRIPTION_REQUIRED'),
    404: errorResponse('REVIEW_NOT_FOUND: unknown or expired case.'),
    413: errorResponse('PAYLOAD_TOO_LARGE: a body over 16 KiB.'),
    409: errorResponse('REVIEW_ALREADY_DECIDED'),
    503: errorResponse('SERVICE_ERROR with retryable: true: the decision could not be recorded; retry.'),
  },
});

export function registerReviews(app: OpenAPIHono<AppEnv>): void {
  app.openapi(listReviewsRoute, async (c) => {
    const cases = await c.get('services').review.queue.list(c.get('principal').organisation.id);
    c.header('Cache-Control', 'no-store');
    return c.json({ success: true as const, code: 'SUCCESS' as const, data: { cases: cases.map(caseBody) }, meta: { request_id: c.get('requestId') } }, 200);
  });

  app.openapi(getReviewRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { review } = c.get('services');
    const orgId = c.get('principal').organisation.id;
    const held = await review.queue.get(orgId, id);
    const recorded = await review.decisions.find(orgId, id);
    if (!held && !recorded) throw new ApiError('REVIEW_NOT_FOUND');
    const decision = held?.case.decision ?? (recorded ? decisionOf(recorded) : null);
    c.header('Cache-Control', 'no-store');
    return c.json(
      {
        success: true as const,
        code: 'SUCCESS' as const,
        data: {
          case: held ? caseBody(held.case) : null,
          crops: held ? { selfie: dataUrl(held.crops.selfie), reference: dataUrl(held.crops.reference) } : null,
          decision,
        },
        meta: { request_id: c.get('requestId') },
      },
      200,
    );
  });

  app.openapi(decideReviewRoute, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const services = c.get('services');
    const principal = c.get('principal');
    const orgId = principal.organisation.id;
    const decision: ReviewDecision = {
      decision: body.decision,
      note: body.note,
      reviewer: body.reviewer ?? principal.keyId,
      key_id: principal.keyId,
      decided_at: services.clock.now().toISOString(),
    };
    // Claim first (one decision per case, even across replicas), then make it durable.
    const claim = await services.review.queue.decide(orgId, id, decision);
    if (claim.status === 'not_found') throw new ApiError('REVIEW_NOT_FOUND');
    if (claim.status === 'already_decided') throw new ApiError('REVIEW_ALREADY_DECIDED');
    const decided = claim.case;
    const record: ReviewDecisionRecord = { v: 1, request_id: id, org_id: orgId, endpoint: decided.endpoint, verdict: decided.verdict, ...decision };
    let written: 'recorded' | 'duplicate';
    try {
      // Durable before acknowledged: a decision the caller saw is never lost.
      written = await services.review.decisions.append(record);
    } catch (err) {
      await services.review.queue.undecide(orgId, id).catch(() => undefined);
      throw new ApiError('SERVICE_ERROR', 'The decision could not be recorded. Retry.', undefined, { status: 503, retryable: true, retryAfterSeconds: 1, cause: err });
    }
    if (written === 'duplicate') {
      // The durable log already holds a decision (made before this queue knew of it): that one stands.
      await services.review.queue.undecide(orgId, id).catch(() => undefined);
      throw new ApiError('REVIEW_ALREADY_DECIDED');
    }
    c.get('log').info('review decided', { case: id, decision: decision.decision, key_id: principal.keyId });
    c.header('Cache-Control', 'no-store');
    return c.json(
      {
        success: true as const,
        code: 'SUCCESS' as const,
        data: { case: caseBody(decided), crops: null, decision },
        meta: { request_id: c.get('requestId') },
      },
      200,
    );
  });
}
