/**
 * Which completed verifications go to the manual-review queue:
 *   - a report whose status is In Review (the report's own band, src/policy/review.ts);
 *   - a verdict (CONFIRMED / MISMATCH, or the face-match codes) whose score lies within `margin` of
 *     the threshold, on either side: the borderline results the 001 contract says need manual review.
 * `margin` is on the 0–1 scale; for the 0–100 products it is scaled by 100.
 */
import type { ReportStatus } from './review.ts';

/** Default margin around the threshold: ±0.05 (0.70–0.80 around the default 0.75). */
export const DEFAULT_REVIEW_MARGIN = 0.05;

export type ReviewReason = 'IN_REVIEW' | 'NEAR_THRESHOLD';

export type ReviewCandidate =
  | { kind: 'report'; status: ReportStatus }
  | { kind: 'verdict'; score: number | null; threshold: number; scale: 1 | 100 };

export function reviewReason(candidate: ReviewCandidate, margin: number = DEFAULT_REVIEW_MARGIN): ReviewReason | null {
  if (candidate.kind === 'report') return candidate.status === 'In Review' ? 'IN_REVIEW' : null;
  if (candidate.score === null || margin <= 0) return null;
  // Compare in integer units of 0.0001 (0–1 scale): public scores are rounded, so no float fuzz at the edges.
  const distance = Math.round((Math.abs(candidate.score - candidate.threshold) / candidate.scale) * 10_000);
  return distance <= Math.round(margin * 10_000) ? 'NEAR_THRESHOLD' : null;
}
