/**
 * The configuration of admission control, limits, metrics and shutdown, validated by zod from
 * environment-style variables (names and defaults documented in the README, "Limits").
 */
import { z } from 'zod';
import { DEFAULT_LIMIT_POLICY, type Budget, type LimitPolicy } from '../policy/limits.ts';

const positiveInt = z.coerce.number().int().positive();
/** "points/seconds", e.g. 10/3600 for ten per hour. */
const budget = z
  .string()
  .regex(/^\d+\/\d+$/, 'expected <count>/<seconds>, e.g. 10/3600')
  .transform((s): Budget => {
    const [points, windowSeconds] = s.split('/').map(Number) as [number, number];
    return { points, windowSeconds };
  })
  .refine((b) => b.points > 0 && b.windowSeconds > 0, 'count and seconds must be positive');

export const LimitsEnvSchema = z.object({
  FACEMATCH_ADMISSION_MAX_ACTIVE: positiveInt.optional().describe('Verification requests processed at once per process. Default: 2 per engine worker.'),
  FACEMATCH_ADMISSION_MAX_QUEUED: z.coerce.number().int().min(0).optional().describe('Requests waiting for a slot before 503s start. Default: 2 per engine worker.'),
  FACEMATCH_REQUEST_DEADLINE_MS: positiveInt.default(10_000).describe('From arrival to answer, queueing included; past it 503 and the slot is freed.'),
  FACEMATCH_RETRY_AFTER_SECONDS: positiveInt.default(1).describe('Retry-After of a 503 from admission control.'),
  FACEMATCH_LIMIT_KEY_PER_MINUTE: positiveInt.default(DEFAULT_LIMIT_POLICY.keyPerMinute).describe('Requests per API key per minute, unless the organisation sets limits.requests_per_minute.'),
  FACEMATCH_LIMIT_KEY_PER_DAY: positiveInt.default(DEFAULT_LIMIT_POLICY.keyPerDay).describe('Requests per API key per day, unless the organisation sets limits.requests_per_day.'),
  FACEMATCH_LIMIT_ID_ATTEMPTS: budget.default({ ...DEFAULT_LIMIT_POLICY.idAttempts }).describe('Verification attempts per ID number across all keys, <count>/<seconds>.'),
  FACEMATCH_LOCKOUT_KEY_ID: budget.default({ ...DEFAULT_LIMIT_POLICY.keyIdFailures }).describe('Failed matches per (API key, ID number) that lock the pair, <count>/<seconds>.'),
  FACEMATCH_LOCKOUT_ID: budget.default({ ...DEFAULT_LIMIT_POLICY.idFailures }).describe('Failed matches per ID number, any key, that lock the number, <count>/<seconds>.'),
  FACEMATCH_LIMITS_SECRET: z.string().min(16).optional().describe('HMAC secret for ID-number counter keys; replicas sharing Redis must share it. Default: random per process.'),
  FACEMATCH_METRICS_TOKEN: z.string().min(16).optional().describe('Bearer token for GET /metrics; unset, /metrics answers 404.'),
  FACEMATCH_SHUTDOWN_DEADLINE_MS: positiveInt.default(15_000).describe('On SIGTERM, how long admitted requests may take to finish.'),
});

export interface LimitsSettings {
  admission: { maxActive: number; maxQueued: number; deadlineMs: number; retryAfterSeconds: number };
  policy: LimitPolicy;
  idKeySecret?: string;
  metricsToken?: string;
  shutdownDeadlineMs: number;
}

/** The variables as parsed by the environment schema (src/config/env.ts, which includes this one). */
export type LimitsEnv = z.output<typeof LimitsEnvSchema>;

/** The settings from the parsed variables; `workers` (engine threads) sizes the default admission queue. */
export function limitsSettings(e: LimitsEnv, workers: number): LimitsSettings {
  const perWorker = 2 * Math.max(1, workers);
  return {
    admission: {
      maxActive: e.FACEMATCH_ADMISSION_MAX_ACTIVE ?? perWorker,
      maxQueued: e.FACEMATCH_ADMISSION_MAX_QUEUED ?? perWorker,
      deadlineMs: e.FACEMATCH_REQUEST_DEADLINE_MS,
      retryAfterSeconds: e.FACEMATCH_RETRY_AFTER_SECONDS,
    },
    policy: {
      keyPerMinute: e.FACEMATCH_LIMIT_KEY_PER_MINUTE,
      keyPerDay: e.FACEMATCH_LIMIT_KEY_PER_DAY,
      idAttempts: e.FACEMATCH_LIMIT_ID_ATTEMPTS,
      keyIdFailures: e.FACEMATCH_LOCKOUT_KEY_ID,
      idFailures: e.FACEMATCH_LOCKOUT_ID,
    },
    ...(e.FACEMATCH_LIMITS_SECRET ? { idKeySecret: e.FACEMATCH_LIMITS_SECRET } : {}),
    ...(e.FACEMATCH_METRICS_TOKEN ? { metricsToken: e.FACEMATCH_METRICS_TOKEN } : {}),
    shutdownDeadlineMs: e.FACEMATCH_SHUTDOWN_DEADLINE_MS,
  };
}
