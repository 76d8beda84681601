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

/**
 * The default minimum threshold a request may ask for (0–1 scale): the permissive calibrated point.
 * Below it a "match" confirms different people too often to bill as a verification. Organisations
 * may set their own floor in the accounts file.
 */
export const DEFAULT_THRESHOLD_FLOOR = 0.6;

export type ThresholdCheck = { ok: true; threshold: number } | { ok: false; floor: number };

/**
 * The threshold to apply on a product's scale (`scale` 1 for 0–1, 100 for 0–100): the request's when
 * it is at or above the floor (otherwise refused, never clamped), else the product default raised to
 * the floor.
 */
export function checkThreshold(requested: number | undefined, productDefault: number, floor: number = DEFAULT_THRESHOLD_FLOOR, scale = 1): ThresholdCheck {
  const scaledFloor = Math.round(floor * scale * 100) / 100;
  if (requested === undefined) return { ok: true, threshold: Math.max(productDefault, scaledFloor) };
  return requested >= scaledFloor ? { ok: true, threshold: requested } : { ok: false, floor: scaledFloor };
}
