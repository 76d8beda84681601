/**
 * Limit policy: how many requests an API key may send, how many verification attempts one ID number
 * may receive, and when repeated failed matches lock an ID number. The values are decisions of the
 * service (like thresholds), so they live here; src/limits only enforces them.
 */
import { z } from 'zod';
import { envSchema } from '../config/env.ts';

/** Per-organisation overrides in the accounts file (`organisations[].limits`). */
export const OrganisationLimitsSchema = z
  .object({
    requests_per_minute: z.number().int().positive().optional(),
    requests_per_day: z.number().int().positive().optional(),
  })
  .strict();
export type OrganisationLimits = z.infer<typeof OrganisationLimitsSchema>;

/** A budget of `points` per window of `windowSeconds`. */
export interface Budget {
  points: number;
  windowSeconds: number;
}

export interface LimitPolicy {
  /** Requests per API key per minute, unless the organisation sets its own. */
  keyPerMinute: number;
  /** Requests per API key per day, unless the organisation sets its own. */
  keyPerDay: number;
  /** Verification attempts per ID number across all keys (cached or not). */
  idAttempts: Budget;
  /** Failed matches (MISMATCH) per (API key, ID number) before that key is locked out of that number. */
  keyIdFailures: Budget;
  /** Failed matches per ID number across all keys before the number is locked for everyone. */
  idFailures: Budget;
}

/** `<count>/<seconds>` (the form of the environment variables) as a budget. */
export function parseBudget(text: string): Budget {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m || Number(m[1]) <= 0 || Number(m[2]) <= 0) throw new Error(`invalid budget "${text}": expected <count>/<seconds>`);
  return { points: Number(m[1]), windowSeconds: Number(m[2]) };
}

/**
 * Defaults, from the configuration schema's defaults (src/config/env.ts). The per-ID budget follows
 * common KYC velocity rules (a person retries a selfie a few times; an enumeration script walks
 * through many numbers or many faces): 10 attempts an hour. Five wrong faces from one key against one
 * number lock that pair for an hour; ten from any keys lock the number for a day (a real customer
 * locked out calls support; an attacker trying faces stops).
 */
const defaults = envSchema.parse({});
export const DEFAULT_LIMIT_POLICY: LimitPolicy = {
  keyPerMinute: defaults.FACEMATCH_LIMIT_KEY_PER_MINUTE,
  keyPerDay: defaults.FACEMATCH_LIMIT_KEY_PER_DAY,
  idAttempts: parseBudget(defaults.FACEMATCH_LIMIT_ID_ATTEMPTS),
  keyIdFailures: parseBudget(defaults.FACEMATCH_LOCKOUT_KEY_ID),
  idFailures: parseBudget(defaults.FACEMATCH_LOCKOUT_ID),
};

/** Why a request is refused with 429 (`details.reason`); each tells the caller what to wait for. */
export const LIMIT_REASONS = {
  KEY_RATE_MINUTE: 'The API key sent more requests this minute than its organisation allows.',
  KEY_RATE_DAY: 'The API key sent more requests today than its organisation allows.',
  ID_ATTEMPTS: 'Too many verification attempts for this ID number; try again later.',
  ID_LOCKED: 'This ID number is locked after repeated failed matches; try again later.',
  KEY_ID_LOCKED: 'This API key is locked out of this ID number after repeated failed matches; try again later.',
} as const;
export type LimitReason = keyof typeof LIMIT_REASONS;

/** The per-key budgets in force for an organisation. */
export function keyBudgets(policy: LimitPolicy, org: { limits?: OrganisationLimits }): { minute: Budget; day: Budget } {
  return {
    minute: { points: org.limits?.requests_per_minute ?? policy.keyPerMinute, windowSeconds: 60 },
    day: { points: org.limits?.requests_per_day ?? policy.keyPerDay, windowSeconds: 86_400 },
  };
}

/** Which verdicts count as a failed match towards the lockout, and which clear the key's own counter. */
export function failedMatchEffect(matchResult: string): 'count' | 'clear' | 'none' {
  if (matchResult === 'MISMATCH') return 'count';
  if (matchResult === 'CONFIRMED') return 'clear';
  return 'none';
}
