/** The response envelope shared by every endpoint: success flag, code, message, data, meta. */
import { z } from '@hono/zod-openapi';
import { ERROR_CODE_NAMES } from './errors.ts';

export const REQUEST_ID_LENGTH = 12;

export const MetaSchema = z
  .object({
    request_id: z.string().length(REQUEST_ID_LENGTH).openapi({ description: 'Unique 12-character identifier of this request; also sent as the X-Request-Id header. Include it in support queries.', example: 'q7Hk2Lm9Xa3B' }),
  })
  .openapi('Meta');

export const ErrorEnvelopeSchema = z
  .object({
    success: z.literal(false),
    code: z.enum(ERROR_CODE_NAMES).openapi({ description: 'Stable, machine-readable error code. See the error table.', example: 'VALIDATION_ERROR' }),
    message: z.string().openapi({ description: 'English, human-readable explanation.', example: 'One or more fields are missing or malformed.' }),
    verification_type: z.literal('ID_FACE_MATCH').optional().openapi({ description: 'Present on face-comparison responses.' }),
    data: z.null(),
    details: z.record(z.string(), z.unknown()).optional().openapi({
      description: 'Structured detail: per-field messages for VALIDATION_ERROR, `image` for LANDMARKS_NOT_FOUND, `reason` for ID_NOT_FOUND and INVALID_INPUT.',
      example: { id_number: 'Required' },
    }),
    retryable: z.boolean().openapi({ description: 'true when the same request may succeed later (registry outage, HTTP 503 with Retry-After).', example: false }),
    meta: MetaSchema,
  })
  .openapi('ErrorEnvelope');

export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;

export function errorResponse(description: string) {
  return { description, content: { 'application/json': { schema: ErrorEnvelopeSchema } } };
}
