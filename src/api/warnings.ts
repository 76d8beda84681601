/** The warning item shared by the face-match report (warnings[]) and face comparison (data.details.warnings). */
import { z } from '@hono/zod-openapi';
import { LOG_TYPES, RISKS } from '../policy/warnings.ts';

export const WarningSchema = z
  .object({
    risk: z.enum(RISKS).openapi({ description: 'The risk identified.', example: 'LOW_FACE_MATCH_SIMILARITY' }),
    additional_data: z.string().nullable().openapi({ description: 'Supplementary data as text (JSON of the measured values), or null.', example: '{"score":65.43,"threshold":90,"review_threshold":75}' }),
    log_type: z.enum(LOG_TYPES).openapi({ description: 'information, warning or error.', example: 'warning' }),
    short_description: z.string().openapi({ example: 'Low face match similarity' }),
    long_description: z.string().openapi({ example: "The facial features of the provided image don't closely match the reference image, suggesting a potential identity mismatch." }),
  })
  .openapi('FaceWarning');
