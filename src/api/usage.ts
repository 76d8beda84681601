/** GET /v1/usage: the calling organisation's metered usage. */
import { z } from '@hono/zod-openapi';
import { MetaSchema } from './envelope.ts';

export const UsageCountsSchema = z
  .object({
    requests: z.number().int().openapi({ description: 'Face comparisons that reached the engine or failed after authentication.', example: 12 }),
    confirmed: z.number().int().openapi({ example: 9 }),
    mismatch: z.number().int().openapi({ example: 2 }),
    errors: z.number().int().openapi({ example: 1 }),
    charged: z.number().int().openapi({ description: 'Billable calls: only CONFIRMED results are charged.', example: 9 }),
  })
  .openapi('UsageCounts');

export const UsageQuerySchema = z.object({
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
      endpoint: z.literal('/v1/face-comparison'),
      from: z.string().nullable(),
      to: z.string().nullable(),
      totals: UsageCountsSchema,
      daily: z.array(UsageCountsSchema.extend({ date: z.string().openapi({ example: '2026-11-23' }) })),
    }),
    meta: MetaSchema,
  })
  .openapi('UsageResponse');

export type UsageResponse = z.infer<typeof UsageResponseSchema>;
