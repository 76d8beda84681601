/** Schemas of the manual-review API (GET /v1/reviews, GET/POST /v1/reviews/{id}). */
import { z } from '@hono/zod-openapi';
import { MetaSchema } from './envelope.ts';

export const ReviewIdParamSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).openapi({ param: { name: 'id', in: 'path' }, description: 'The case id: the request id of the verification.', example: 'q7Hk2Lm9Xa3B' }),
});

export const ReviewDecisionSchema = z
  .object({
    decision: z.enum(['APPROVE', 'REJECT']),
    note: z.string().max(2000),
    reviewer: z.string().min(1).max(200).openapi({ description: 'Who decided (name or e-mail); the API key id is recorded as well.' }),
    key_id: z.string(),
    decided_at: z.string().datetime(),
  })
  .openapi('ReviewDecision');

export const ReviewCaseSchema = z
  .object({
    id: z.string().openapi({ description: 'The request id of the verification held for review.', example: 'q7Hk2Lm9Xa3B' }),
    endpoint: z.string().openapi({ example: '/v1/face-comparison' }),
    reason: z.enum(['IN_REVIEW', 'NEAR_THRESHOLD']).openapi({ description: 'IN_REVIEW: a report with status In Review. NEAR_THRESHOLD: the score is within the configured margin of the threshold.' }),
    created_at: z.string().datetime(),
    expires_at: z.string().datetime().openapi({ description: 'When the case and its images are dropped (60 minutes after the verification by default).' }),
    verdict: z.string().openapi({ description: 'The automatic result: CONFIRMED/MISMATCH, the face-match code, or the report status.', example: 'CONFIRMED' }),
    score: z.number().nullable().openapi({ example: 0.77 }),
    threshold: z.number().openapi({ example: 0.75 }),
    id_type: z.string().nullable(),
    id_number_masked: z.string().nullable().openapi({ example: '****2818' }),
    warnings: z.array(z.string()).openapi({ description: 'The risk codes of the verification\'s warnings.' }),
    receipt: z.string().nullable().openapi({ description: 'The signed receipt of the verification.' }),
    status: z.enum(['PENDING', 'APPROVED', 'REJECTED']),
    decision: ReviewDecisionSchema.nullable(),
  })
  .openapi('ReviewCase');

export const ReviewCropsSchema = z
  .object({
    selfie: z.string().nullable().openapi({ description: 'The selfie face crop as a data URL (image/jpeg), or null when no face crop exists.' }),
    reference: z.string().nullable().openapi({ description: 'The reference face crop as a data URL (image/jpeg).' }),
  })
  .openapi('ReviewCrops');

export const ReviewListResponseSchema = z
  .object({ success: z.literal(true), code: z.literal('SUCCESS'), data: z.object({ cases: z.array(ReviewCaseSchema) }), meta: MetaSchema })
  .openapi('ReviewListResponse');

export const ReviewCaseResponseSchema = z
  .object({
    success: z.literal(true),
    code: z.literal('SUCCESS'),
    data: z.object({
      case: ReviewCaseSchema.nullable().openapi({ description: 'The case while it is held; null after it expired (the decision stays available).' }),
      crops: ReviewCropsSchema.nullable(),
      decision: ReviewDecisionSchema.nullable(),
    }),
    meta: MetaSchema,
  })
  .openapi('ReviewCaseResponse');

export const ReviewDecisionRequestSchema = z
  .object({
    decision: z.enum(['APPROVE', 'REJECT']).openapi({ example: 'APPROVE' }),
    note: z.string().trim().max(2000).default('').openapi({ description: 'Why; kept with the decision.', example: 'Same person; the selfie is slightly blurred.' }),
    reviewer: z.string().trim().min(1).max(200).optional().openapi({ description: 'Who decides (name or e-mail). Default: the API key id.', example: 'a.reviewer@example.com' }),
  })
  .strict()
  .openapi('ReviewDecisionRequest');

export type ReviewCaseBody = z.infer<typeof ReviewCaseSchema>;
export type ReviewListResponse = z.infer<typeof ReviewListResponseSchema>;
export type ReviewCaseResponse = z.infer<typeof ReviewCaseResponseSchema>;
