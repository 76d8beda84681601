/**
 * Per-ID-number limits of /v1/face-comparison, checked once the body is validated and before any
 * image is decoded or the registry is called: verification attempts per ID number across all keys,
 * and the failed-match lockout. The verdict is settled afterwards (a MISMATCH counts towards the lockout).
 */
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { checkLimits, refuseLimit } from './admission.ts';

export interface IdentityAttempt {
  /** Count the verdict; never throws (a counter that cannot be written is logged, the answer still goes out). */
  settle(matchResult: string): Promise<void>;
}

const NOTHING_TO_SETTLE: IdentityAttempt = { settle: async () => undefined };

/** Throws 429 (or 503 when the counters are unreachable); invalid ID numbers are left to the use case's validation. */
export async function limitIdentityAttempts(c: Context<AppEnv>, idType: string, idNumber: string): Promise<IdentityAttempt> {
  const { requestLimits, registry } = c.get('services');
  if (!requestLimits || !registry.has(idType)) return NOTHING_TO_SETTLE;
  let normalised: string;
  try {
    const validation = registry.validate(idType, idNumber);
    if (!validation.ok) return NOTHING_TO_SETTLE;
    normalised = validation.normalised;
  } catch {
    return NOTHING_TO_SETTLE;
  }
  const keyId = c.get('principal').keyId;
  const attempt = await checkLimits(c, () => requestLimits.beginAttempt(keyId, idType, normalised));
  if (!attempt.allowed) throw refuseLimit(c, attempt);
  const log = c.get('log');
  return {
    settle: (matchResult) =>
      attempt.settle(matchResult).catch((err: unknown) => log.warn('failed-match counter not updated', { error: (err as Error).message })),
  };
}
