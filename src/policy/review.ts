/**
 * The 0–100 scale of the face-match products and the report's review band.
 *
 * similarity (0–100) = calibrated score (0–1, from the shared ScoreCalibration) × 100, rounded to
 * 2 decimals. So threshold 90 on /v1/face-match is calibrated score 0.90, stricter than the 0.85
 * "strict" point of /v1/face-comparison. Verdicts compare the rounded public number, so anyone can
 * check them from the response alone (the same rule as the face-comparison policy).
 */
import type { ScoreCalibration } from './calibration.ts';

/** /v1/face-match default threshold (0–100): "KYC-grade", calibrated score 0.90. */
export const FACE_MATCH_DEFAULT_THRESHOLD = 90;
/** /v1/face-match-report default approval threshold (0–100). */
export const REPORT_DEFAULT_APPROVAL_THRESHOLD = 90;
/** /v1/face-match-report default review threshold (0–100): scores in [75, 90) are "In Review". 75 is the balanced point of /v1/face-comparison. */
export const REPORT_DEFAULT_REVIEW_THRESHOLD = 75;

export const round2 = (x: number) => Math.round(x * 100) / 100;

/** Raw engine similarity → public 0–100 similarity (2 decimals). */
export function percentScore(calibration: ScoreCalibration, raw: number): number {
  return round2(calibration.toScore(raw) * 100);
}

export type ReportStatus = 'Approved' | 'In Review' | 'Rejected';

/**
 * score ≥ approval → Approved; review ≤ score < approval → In Review; below review → Rejected.
 * `review` must not exceed `approval` (review = approval means no review band).
 */
export function reviewStatus(score: number, approval: number, review: number): ReportStatus {
  if (score >= approval) return 'Approved';
  if (score >= review) return 'In Review';
  return 'Rejected';
}
