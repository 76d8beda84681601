/**
 * Every threshold of the three products, on their public scales. The 0–100 routes use the same
 * calibrated score × 100 (src/policy/review.ts).
 */

/** /v1/face-comparison: default minimum score for CONFIRMED (0–1), the "balanced" point. */
export const DEFAULT_THRESHOLD = 0.75;
/** /v1/face-comparison: scores at or above this (and at or above the threshold) are STRONG_MATCH. */
export const STRONG_MATCH_SCORE = 0.85;

/** /v1/face-match default threshold (0–100): "KYC-grade", calibrated score 0.90. */
export const FACE_MATCH_DEFAULT_THRESHOLD = 90;
/** /v1/face-match-report default approval threshold (0–100). */
export const REPORT_DEFAULT_APPROVAL_THRESHOLD = 90;
/** /v1/face-match-report default review threshold (0–100): scores in [75, 90) are "In Review". 75 is the balanced point of /v1/face-comparison. */
export const REPORT_DEFAULT_REVIEW_THRESHOLD = 75;
