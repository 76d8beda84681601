/**
 * The verdict: raw similarity → calibrated score → CONFIRMED/MISMATCH, strength tier, reason code and
 * remarks. Knows nothing of registries or HTTP.
 */
import { DEFAULT_THRESHOLD, STRONG_MATCH_SCORE } from './thresholds.ts';
import { rawCosineCalibration, type ScoreCalibration } from './calibration.ts';

export const MATCH_RESULTS = ['CONFIRMED', 'MISMATCH'] as const;
export const STRENGTH_TIERS = ['STRONG_MATCH', 'MATCH', 'NO_MATCH'] as const;
export const REASON_CODES = ['MATCH_SUCCESS', 'SCORE_BELOW_THRESHOLD'] as const;
export type MatchResult = (typeof MATCH_RESULTS)[number];
export type StrengthTier = (typeof STRENGTH_TIERS)[number];
export type ReasonCode = (typeof REASON_CODES)[number];

export interface PolicyInput {
  /** Raw similarity from the engine (cosine, [-1, 1]). */
  raw: number;
  /** Threshold in [0, 1]; the default applies when omitted. */
  threshold?: number;
  /** Faces detected in the selfie (the largest is compared). */
  facesInSelfie?: number;
}

export interface Decision {
  match_result: MatchResult;
  score: number;
  threshold: number;
  tier: StrengthTier;
  reason_code: ReasonCode;
  remarks: string;
  /** The response's one-line summary. */
  message: string;
  /**
   * Whether the registry's identity record may be returned. Only on CONFIRMED: a MISMATCH says the
   * selfie is not this person, so the record would be someone else's personal data (data minimisation).
   */
  disclose_identity: boolean;
}

export interface Policy {
  readonly calibration: ScoreCalibration;
  decide(input: PolicyInput): Decision;
  /** The verdict for a score already on the 0–1 scale (match at source: mapped from the registry's similarity). */
  decideScore(input: Omit<PolicyInput, 'raw'> & { score: number }): Decision;
}

export const round2 = (x: number) => Math.round(x * 100) / 100;

export function tierFor(score: number, threshold: number): StrengthTier {
  if (score < threshold) return 'NO_MATCH';
  return score >= STRONG_MATCH_SCORE ? 'STRONG_MATCH' : 'MATCH';
}

function remarksFor(tier: StrengthTier, score: number, threshold: number, faces: number): string {
  const figures = `score ${score.toFixed(2)}, threshold ${threshold.toFixed(2)}`;
  const extra = faces > 1 ? ` ${faces} faces were detected in the selfie; the largest was compared.` : '';
  switch (tier) {
    case 'STRONG_MATCH':
      return `The selfie matches the registry photo with high confidence (${figures}).${extra}`;
    case 'MATCH':
      return `The selfie matches the registry photo within the configured threshold (${figures}); consider a secondary check for high-value transactions.${extra}`;
    case 'NO_MATCH':
      return `The selfie does not match the registry photo to the required confidence (${figures}); reject and flag for review.${extra}`;
  }
}

export function createPolicy(calibration: ScoreCalibration = rawCosineCalibration): Policy {
  const policy: Policy = {
    calibration,
    decide: ({ raw, ...rest }) => policy.decideScore({ ...rest, score: calibration.toScore(raw) }),
    decideScore({ score: unrounded, threshold = DEFAULT_THRESHOLD, facesInSelfie = 1 }) {
      const score = round2(unrounded);
      // Compare the public (rounded) score, so the verdict is reproducible from the response alone.
      const confirmed = score >= threshold;
      const tier = tierFor(score, threshold);
      return {
        match_result: confirmed ? 'CONFIRMED' : 'MISMATCH',
        score,
        threshold,
        tier,
        reason_code: confirmed ? 'MATCH_SUCCESS' : 'SCORE_BELOW_THRESHOLD',
        remarks: remarksFor(tier, score, threshold, facesInSelfie),
        disclose_identity: confirmed,
        message: confirmed ? 'Face comparison completed: the selfie matches the ID photo.' : 'Face comparison completed: the selfie does not match the ID photo.',
      };
    },
  };
  return policy;
}
