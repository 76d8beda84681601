/** GET /v1/usage: the calling organisation's metered usage, one endpoint at a time. */
import { z } from '@hono/zod-openapi';
import { METERED_ENDPOINTS, METERED_ENDPOINT_PATHS } from '../policy/charges.ts';
import { MetaSchema } from './envelope.ts';

export const UsageCountsSchema = z
  .object({
    requests: z.number().int().openapi({ description: 'Requests that passed authentication and validation, whatever their outcome.', example: 12 }),
    confirmed: z.number().int().openapi({ description: 'CONFIRMED (face comparison), FACE_MATCH (face match) or Approved (report).', example: 9 }),
    mismatch: z.number().int().openapi({ description: 'MISMATCH, FACE_MISMATCH or Rejected. Other completed results (NO_FACE_DETECTED, the document codes, In Review) count in requests and charged only.', example: 2 }),
    errors: z.number().int().openapi({ description: 'Requests that ended in an error (never charged).', example: 1 }),
    charged: z.number().int().openapi({ description: 'Charged calls: CONFIRMED on the face comparison; every completed result on the face match and the report.', example: 9 }),
  })
  .openapi('UsageCounts');

export const UsageQuerySchema = z.object({
  endpoint: z
    .enum(METERED_ENDPOINT_PATHS, { error: `endpoint must be one of ${METERED_ENDPOINT_PATHS.join(', ')}` })
    .default(METERED_ENDPOINTS.faceComparison)
    .openapi({ description: 'The metered endpoint to report.', example: '/v1/face-match' }),
  from: z.iso.date().optional().openapi({ description: 'First day (UTC, inclusive), YYYY-MM-DD.', example: '2026-11-01' }),
  to: z.iso.date().optional().openapi({ description: 'Last day (UTC, inclusive), YYYY-MM-DD.', example: '2026-11-30' }),
});

export const UsageResponseSchema = z
  .object({
    success: z.literal(true),
    code: z.literal('SUCCESS'),
    message: z.string().openapi({ example: 'Usage for your organisation.' }),
    data: z.object({
      organisation_id: z.string().openapi({ example: 'demo' }),
      endpoint: z.enum(METERED_ENDPOINT_PATHS),
      from: z.string().nullable(),
      to: z.string().nullable(),
      totals: UsageCountsSchema,
      daily: z.array(UsageCountsSchema.extend({ date: z.string().openapi({ example: '2026-11-23' }) })),
    }),
    meta: MetaSchema,
  })
  .openapi('UsageResponse');

export type UsageResponse = z.infer<typeof UsageResponseSchema>;
