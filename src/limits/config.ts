/** The settings of admission control, limits, metrics and shutdown, from the parsed environment (src/config/env.ts). */
import type { Env } from '../config/env.ts';
import { parseBudget, type LimitPolicy } from '../policy/limits.ts';
import type { AdmissionOptions } from './admission.ts';

export interface LimitsSettings {
  admission: AdmissionOptions;
  policy: LimitPolicy;
  idKeySecret?: string;
  metricsToken?: string;
  shutdownDeadlineMs: number;
}

type LimitsEnv = Pick<
  Env,
  | 'FACEMATCH_ADMISSION_MAX_ACTIVE'
  | 'FACEMATCH_ADMISSION_MAX_QUEUED'
  | 'FACEMATCH_REQUEST_DEADLINE_MS'
  | 'FACEMATCH_RETRY_AFTER_SECONDS'
  | 'FACEMATCH_LIMIT_KEY_PER_MINUTE'
  | 'FACEMATCH_LIMIT_KEY_PER_DAY'
  | 'FACEMATCH_LIMIT_ID_ATTEMPTS'
  | 'FACEMATCH_LOCKOUT_KEY_ID'
  | 'FACEMATCH_LOCKOUT_ID'
  | 'FACEMATCH_LIMITS_SECRET'
  | 'FACEMATCH_METRICS_TOKEN'
  | 'FACEMATCH_SHUTDOWN_DEADLINE_MS'
>;

/** `workers` (engine threads) sizes the default admission slots and queue. */
export function limitsSettings(env: LimitsEnv, workers: number): LimitsSettings {
  const w = Math.max(1, workers);
  return {
    admission: {
      maxActive: env.FACEMATCH_ADMISSION_MAX_ACTIVE ?? w,
      maxQueued: env.FACEMATCH_ADMISSION_MAX_QUEUED ?? w,
      deadlineMs: env.FACEMATCH_REQUEST_DEADLINE_MS,
      retryAfterSeconds: env.FACEMATCH_RETRY_AFTER_SECONDS,
    },
    policy: {
      keyPerMinute: env.FACEMATCH_LIMIT_KEY_PER_MINUTE,
      keyPerDay: env.FACEMATCH_LIMIT_KEY_PER_DAY,
      idAttempts: parseBudget(env.FACEMATCH_LIMIT_ID_ATTEMPTS),
      keyIdFailures: parseBudget(env.FACEMATCH_LOCKOUT_KEY_ID),
      idFailures: parseBudget(env.FACEMATCH_LOCKOUT_ID),
    },
    ...(env.FACEMATCH_LIMITS_SECRET ? { idKeySecret: env.FACEMATCH_LIMITS_SECRET } : {}),
    ...(env.FACEMATCH_METRICS_TOKEN ? { metricsToken: env.FACEMATCH_METRICS_TOKEN } : {}),
    shutdownDeadlineMs: env.FACEMATCH_SHUTDOWN_DEADLINE_MS,
  };
}
