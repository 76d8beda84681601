/** The Idempotency-Key request header of the POST routes (checked by src/server/middleware/idempotency.ts). */
import { z } from '@hono/zod-openapi';

export const IdempotencyHeadersSchema = z.object({
  'idempotency-key': z
    .string()
    .optional()
    .openapi({
      description:
        'Optional. 1–255 printable ASCII characters without spaces. A retry with the same key and the same body within 24 h returns the first answer (header `Idempotent-Replayed: true`) and is not charged again; the same key with another body is a 409.',
      example: '5f8a7c1e-2b1d-4e5a-9a43-0d8c2f7b9e61',
    }),
});
