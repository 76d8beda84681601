/** The limits settings from the environment schema: defaults, per-worker sizing, budgets, bad values refused at start-up. */
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../../src/config/env.ts';
import { limitsSettings } from '../../src/limits/config.ts';
import { DEFAULT_LIMIT_POLICY, keyBudgets, parseBudget } from '../../src/policy/limits.ts';

describe('limits settings', () => {
  it('defaults: one slot and one queue place per engine worker, 10 s deadline, the policy defaults', () => {
    const s = limitsSettings(parseEnv({}), 2);
    expect(s.admission).toEqual({ maxActive: 2, maxQueued: 2, deadlineMs: 10_000, retryAfterSeconds: 1 });
    expect(s.policy).toEqual(DEFAULT_LIMIT_POLICY);
    expect(DEFAULT_LIMIT_POLICY.idAttempts).toEqual({ points: 10, windowSeconds: 3600 });
    expect(s.metricsToken).toBeUndefined();
  });

  it('reads every variable', () => {
    const s = limitsSettings(
      parseEnv({
        FACEMATCH_ADMISSION_MAX_ACTIVE: '3',
        FACEMATCH_ADMISSION_MAX_QUEUED: '0',
        FACEMATCH_REQUEST_DEADLINE_MS: '2500',
        FACEMATCH_LIMIT_KEY_PER_MINUTE: '60',
        FACEMATCH_LIMIT_ID_ATTEMPTS: '3/60',
        FACEMATCH_LOCKOUT_KEY_ID: '2/600',
        FACEMATCH_LOCKOUT_ID: '4/7200',
        FACEMATCH_METRICS_TOKEN: 'a-metrics-token-of-some-length',
        FACEMATCH_LIMITS_SECRET: 'a-shared-secret-for-the-fleet',
      }),
      8,
    );
    expect(s.admission).toMatchObject({ maxActive: 3, maxQueued: 0, deadlineMs: 2500 });
    expect(s.policy).toMatchObject({ keyPerMinute: 60, idAttempts: { points: 3, windowSeconds: 60 }, keyIdFailures: { points: 2, windowSeconds: 600 }, idFailures: { points: 4, windowSeconds: 7200 } });
    expect(s.metricsToken).toBe('a-metrics-token-of-some-length');
    expect(s.idKeySecret).toBe('a-shared-secret-for-the-fleet');
  });

  it('refuses malformed budgets and short tokens at start-up', () => {
    expect(() => parseEnv({ FACEMATCH_LIMIT_ID_ATTEMPTS: '10 per hour' })).toThrow(EnvError);
    expect(() => parseEnv({ FACEMATCH_LOCKOUT_ID: '0/60' })).toThrow(EnvError);
    expect(() => parseEnv({ FACEMATCH_METRICS_TOKEN: 'short' })).toThrow(EnvError);
    expect(() => parseBudget('5/0')).toThrow();
  });

  it('an organisation\'s own budgets replace the defaults', () => {
    expect(keyBudgets(DEFAULT_LIMIT_POLICY, { limits: { requests_per_minute: 5 } })).toEqual({ minute: { points: 5, windowSeconds: 60 }, day: { points: 100_000, windowSeconds: 86_400 } });
  });
});
