/** Thresholds and strength-tier boundaries of the public contract. */
export { DEFAULT_THRESHOLD, STRONG_MATCH_SCORE } from '../api/face-comparison.ts';

/** Suggested thresholds by risk appetite (documented in the API). */
export const SUGGESTED_THRESHOLDS = { strict: 0.85, balanced: 0.75, permissive: 0.6 } as const;
