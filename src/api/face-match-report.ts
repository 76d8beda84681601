/**
 * POST /v1/face-match-report: the facial similarity report `{face_match: {status, score,
 * source_image, target_image, warnings[]}}`. Errors (bad request, key, server) use the service's
 * standard error envelope (src/api/envelope.ts): the report format defines no error body.
 */
import { z } from '@hono/zod-openapi';
import { REPORT_STATUSES } from '../policy/review.ts';
import { REPORT_DEFAULT_APPROVAL_THRESHOLD, REPORT_DEFAULT_REVIEW_THRESHOLD } from '../policy/thresholds.ts';
import { WarningSchema } from './warnings.ts';

const EXAMPLE_IMAGE = 'data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD...';
const typeError = (message: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'Required' : message);
const percent = (name: string) =>
  z
    .number({ error: `${name} must be a number between 0 and 100` })
    .min(0, `${name} must be at least 0`)
    .max(100, `${name} must be at most 100`)
    .optional();

export const FaceMatchReportRequestSchema = z
  .object({
    selfie: z.string({ error: typeError('selfie must be a Base64 string') }).min(1, 'selfie must not be empty').openapi({
      description: 'The live image (selfie): raw Base64 or a data URL; JPEG, PNG or WebP, at most 10 MB decoded.',
      example: EXAMPLE_IMAGE,
    }),
    idImage: z.string({ error: typeError('idImage must be a Base64 string') }).min(1, 'idImage must not be empty').openapi({
      description: 'The identity document (or its portrait): raw Base64 or a data URL; at most 10 MB decoded.',
      example: EXAMPLE_IMAGE,
    }),
    approval_threshold: percent('approval_threshold').openapi({
      description: 'Score (0–100) at or above which the report is Approved. Default 90.',
      example: 90,
      default: REPORT_DEFAULT_APPROVAL_THRESHOLD,
    }),
    review_threshold: percent('review_threshold').openapi({
      description: 'Score (0–100) at or above which a non-approved report is In Review rather than Rejected. Default 75; must not exceed approval_threshold (equal means no review band).',
      example: 75,
      default: REPORT_DEFAULT_REVIEW_THRESHOLD,
    }),
  })
  .superRefine((body, ctx) => {
    const approval = body.approval_threshold ?? REPORT_DEFAULT_APPROVAL_THRESHOLD;
    const review = body.review_threshold ?? REPORT_DEFAULT_REVIEW_THRESHOLD;
    if (review > approval) {
      ctx.addIssue({ code: 'custom', path: ['review_threshold'], message: `review_threshold (${review}) must not exceed approval_threshold (${approval})` });
    }
  })
  .openapi('FaceMatchReportRequest');

export const FaceMatchReportSchema = z
  .object({
    face_match: z.object({
      status: z.enum(REPORT_STATUSES).openapi({
        description: 'Approved: score ≥ approval_threshold (and no presentation-attack signal). In Review: review_threshold ≤ score < approval_threshold, or an approved score with a presentation-attack signal. Rejected: score < review_threshold, or no face in one of the images.',
        example: 'In Review',
      }),
      score: z.number().min(0).max(100).openapi({ description: 'Calibrated similarity × 100, 2 decimals (0 when a face is missing).', example: 65.43 }),
      source_image: z.string().nullable().openapi({
        description: 'Temporary link (GET /v1/media/{token}, 60 minutes) of the portrait crop from the ID image: aligned 224×224 JPEG. Absolute on the configured public base URL, else relative to this service (never built from the Host header). null when no face was found in it.',
        example: 'https://facematch.example.com/v1/media/3Q2m...',
      }),
      target_image: z.string().nullable().openapi({
        description: "Temporary link (60 minutes) of the selfie's face crop: aligned 224×224 JPEG, absolute or relative as source_image. null when no face was found in it.",
        example: 'https://facematch.example.com/v1/media/9Zt1...',
      }),
      warnings: z.array(WarningSchema),
    }),
  })
  .openapi('FaceMatchReport');

export type FaceMatchReport = z.infer<typeof FaceMatchReportSchema>;
