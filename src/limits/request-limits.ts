/**
 * Enforces the limit policy (src/policy/limits.ts) on its counters: per API key requests per minute
 * and per day, per ID number verification attempts, and the failed-match lockout per (key, ID number)
 * and per ID number. Nothing here reads a request body or an image.
 */
import type { RateLimiterRes } from 'rate-limiter-flexible';
import { failedMatchEffect, keyBudgets, type Budget, type LimitPolicy, type LimitReason, type OrganisationLimits } from '../policy/limits.ts';
import { createIdKeyer, isBudgetSpent, type LimiterBackend } from './limiters.ts';

export interface Refusal {
  allowed: false;
  reason: LimitReason;
  /** Seconds until the refused budget has room again (Retry-After). */
  retryAfterSeconds: number;
  headers: Record<string, string>;
}

export type KeyCheck = { allowed: true; headers: Record<string, string> } | Refusal;

export interface Attempt {
  allowed: true;
  /** Count the verdict towards (or clear) the failed-match counters. */
  settle(matchResult: string): Promise<void>;
}

/** The counter store could not be reached (Redis down): a retryable condition, never a silent pass. */
export class LimitStoreError extends Error {
  constructor(cause: unknown) {
    super('the limit counters are unavailable', { cause });
    this.name = 'LimitStoreError';
  }
}

export interface RequestLimits {
  readonly backend: LimiterBackend['kind'];
  checkKey(keyId: string, org: { limits?: OrganisationLimits }): Promise<KeyCheck>;
  beginAttempt(keyId: string, idType: string, idNumber: string): Promise<Attempt | Refusal>;
}

export interface RequestLimitsOptions {
  policy: LimitPolicy;
  backend: LimiterBackend;
  /** Secret for the HMAC that keys ID-number counters (shared by the replicas of a fleet). */
  idKeySecret?: string;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

function rateHeaders(budget: Budget, res: RateLimiterRes): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(budget.points),
    'X-RateLimit-Remaining': String(Math.max(0, res.remainingPoints)),
    'X-RateLimit-Reset': String(seconds(res.msBeforeNext)),
  };
}

async function store<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw new LimitStoreError(err);
  }
}

/** Consume one point; the library's result either way, or LimitStoreError. */
async function consume(backend: LimiterBackend, name: string, budget: Budget, key: string): Promise<{ spent: boolean; res: RateLimiterRes }> {
  try {
    return { spent: false, res: await backend.limiter(name, budget).consume(key) };
  } catch (err) {
    if (isBudgetSpent(err)) return { spent: true, res: err };
    throw new LimitStoreError(err);
  }
}

export function createRequestLimits(options: RequestLimitsOptions): RequestLimits {
  const { policy, backend } = options;
  const idKey = createIdKeyer(options.idKeySecret);

  /** Seconds left on a full failed-match counter, or undefined when it has room. */
  const lockedFor = async (name: string, budget: Budget, key: string): Promise<number | undefined> => {
    const res = await store(() => backend.limiter(name, budget).get(key));
    return res && res.consumedPoints >= budget.points ? seconds(res.msBeforeNext) : undefined;
  };

  return {
    backend: backend.kind,

    async checkKey(keyId, org) {
      const budgets = keyBudgets(policy, org);
      const minute = await consume(backend, 'key-minute', budgets.minute, keyId);
      const headers = rateHeaders(budgets.minute, minute.res);
      if (minute.spent) return { allowed: false, reason: 'KEY_RATE_MINUTE', retryAfterSeconds: seconds(minute.res.msBeforeNext), headers };
      const day = await consume(backend, 'key-day', budgets.day, keyId);
      if (day.spent) return { allowed: false, reason: 'KEY_RATE_DAY', retryAfterSeconds: seconds(day.res.msBeforeNext), headers: rateHeaders(budgets.day, day.res) };
      return { allowed: true, headers };
    },

    async beginAttempt(keyId, idType, idNumber) {
      const id = idKey(idType, idNumber);
      const pair = `${keyId}:${id}`;
      const [pairLocked, idLocked] = await Promise.all([lockedFor('fail-key-id', policy.keyIdFailures, pair), lockedFor('fail-id', policy.idFailures, id)]);
      if (idLocked !== undefined) return { allowed: false, reason: 'ID_LOCKED', retryAfterSeconds: idLocked, headers: {} };
      if (pairLocked !== undefined) return { allowed: false, reason: 'KEY_ID_LOCKED', retryAfterSeconds: pairLocked, headers: {} };
      const attempt = await consume(backend, 'id-attempts', policy.idAttempts, id);
      if (attempt.spent) return { allowed: false, reason: 'ID_ATTEMPTS', retryAfterSeconds: seconds(attempt.res.msBeforeNext), headers: {} };
      return {
        allowed: true,
        async settle(matchResult) {
          const effect = failedMatchEffect(matchResult);
          if (effect === 'count') {
            await Promise.all([consume(backend, 'fail-key-id', policy.keyIdFailures, pair), consume(backend, 'fail-id', policy.idFailures, id)]);
          } else if (effect === 'clear') {
            await store(() => backend.limiter('fail-key-id', policy.keyIdFailures).delete(pair));
          }
        },
      };
    },
  };
}
