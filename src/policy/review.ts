/**
 * The 0–100 scale of the face-match products and the report's review band.
 *
 * similarity (0–100) = calibrated score (0–1, from the shared ScoreCalibration) × 100, rounded to
 * 2 decimals. So threshold 90 on /v1/face-match is calibrated score 0.90, stricter than the 0.85
 * "strict" point of /v1/face-comparison. Verdicts compare the rounded public number, so anyone can
 * check them from the response alone (the same rule as the face-comparison policy).
 */
import type { ScoreCalibration } from './calibration.ts';
import { round2 } from './policy.ts';
import { REPORT_DEFAULT_APPROVAL_THRESHOLD, REPORT_DEFAULT_REVIEW_THRESHOLD } from './thresholds.ts';
import { similarityWarning, type FaceWarning } from './warnings.ts';

/** Raw engine similarity → public 0–100 similarity (2 decimals). */
export function percentScore(calibration: ScoreCalibration, raw: number): number {
  return round2(calibration.toScore(raw) * 100);
}

export const REPORT_STATUSES = ['Approved', 'Rejected', 'In Review'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/**
 * score ≥ approval → Approved; review ≤ score < approval → In Review; below review → Rejected.
 * `review` must not exceed `approval` (review = approval means no review band).
 */
export function reviewStatus(score: number, approval: number, review: number): ReportStatus {
  if (score >= approval) return 'Approved';
  if (score >= review) return 'In Review';
  return 'Rejected';
}

export interface ReportInput {
  /** 0–100, null when a face is missing in either image. */
  similarity: number | null;
  /** Findings about both images (src/policy/warnings.ts). */
  warnings: FaceWarning[];
}

export interface ReportThresholds {
  /** 0–100; default 90. */
  approval?: number | undefined;
  /** 0–100; default 75. */
  review?: number | undefined;
}

export interface ReportDecision {
  status: ReportStatus;
  score: number;
  /** The similarity rule first (when it fires), then the image findings. */
  warnings: FaceWarning[];
  approval: number;
  review: number;
}

/**
 * The report's status, score and warnings. A missing face is Rejected with score 0; a
 * presentation-attack signal never lets a report through unreviewed.
 */
export function decideReport(input: ReportInput, thresholds: ReportThresholds = {}): ReportDecision {
  const approval = thresholds.approval ?? REPORT_DEFAULT_APPROVAL_THRESHOLD;
  const review = thresholds.review ?? REPORT_DEFAULT_REVIEW_THRESHOLD;
  if (input.similarity === null) return { status: 'Rejected', score: 0, warnings: [...input.warnings], approval, review };
  let status = reviewStatus(input.similarity, approval, review);
  if (status === 'Approved' && input.warnings.some((w) => w.risk === 'POSSIBLE_PRESENTATION_ATTACK')) status = 'In Review';
  const low = similarityWarning({ score: input.similarity, threshold: approval, reviewThreshold: review });
  return { status, score: input.similarity, warnings: low ? [low, ...input.warnings] : [...input.warnings], approval, review };
}
