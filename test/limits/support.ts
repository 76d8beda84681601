/** Helpers for the limits suites: an app with limits, an engine whose analyses wait for a gate, Redis when TEST_REDIS_URL is set. */
import { Redis } from 'ioredis';
import type { AccountsConfig } from '../../src/accounts/config.ts';
import { createAccountStore } from '../../src/accounts/store.ts';
import type { FaceEngine } from '../../src/engine/types.ts';
import { override } from '../../src/lib/override.ts';
import { AdmissionControl, type AdmissionOptions } from '../../src/limits/admission.ts';
import { memoryLimiterBackend, redisLimiterBackend, type LimiterBackend } from '../../src/limits/limiters.ts';
import { createRequestLimits } from '../../src/limits/request-limits.ts';
import { DEFAULT_LIMIT_POLICY, type LimitPolicy } from '../../src/policy/limits.ts';
import { createHarness, testAccounts, type TestHarness } from '../support/app.ts';
import type { Services } from '../../src/server/services.ts';

/** An engine whose analyses start only when `open()` is called (or at once after it). */
export function gatedEngine(engine: FaceEngine): FaceEngine & { open(): void; started: number } {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const state = { started: 0 };
  const gated = override(engine, {
    analyze: async (image, options) => {
      state.started++;
      await gate;
      return engine.analyze(image, options);
    },
  });
  Object.defineProperty(gated, 'started', { get: () => state.started });
  return Object.assign(gated, { open: () => release() }) as FaceEngine & { open(): void; readonly started: number };
}

/** The test accounts, with a per-organisation budget for globex. */
export function accountsWithLimits(globexPerMinute: number): AccountsConfig {
  const config = testAccounts();
  return { ...config, organisations: config.organisations.map((o) => (o.id === 'globex' ? { ...o, limits: { requests_per_minute: globexPerMinute } } : o)) };
}

export interface LimitsHarnessOptions {
  policy?: Partial<LimitPolicy>;
  backend?: LimiterBackend;
  admission?: AdmissionOptions;
  services?: Partial<Services>;
  accounts?: AccountsConfig;
}

export function createLimitsHarness(options: LimitsHarnessOptions = {}): TestHarness {
  return createHarness({
    requestLimits: createRequestLimits({ policy: { ...DEFAULT_LIMIT_POLICY, ...options.policy }, backend: options.backend ?? memoryLimiterBackend(), idKeySecret: 'test-secret-0123456789' }),
    ...(options.admission ? { admission: new AdmissionControl(options.admission) } : {}),
    ...(options.accounts ? { accounts: createAccountStore(options.accounts) } : {}),
    ...options.services,
  });
}

/** Limiter backends to run the suites against: memory always, Redis when TEST_REDIS_URL is set. */
export function limiterBackends(): Array<{ name: string; make: (prefix?: string) => LimiterBackend; close: () => Promise<void> }> {
  const backends = [{ name: 'memory', make: memoryLimiterBackend, close: async () => undefined }];
  const url = process.env.TEST_REDIS_URL;
  if (url) {
    let client: Redis | undefined;
    backends.push({
      name: 'redis',
      make: (prefix = uniquePrefix()) => {
        client ??= new Redis(url, { maxRetriesPerRequest: 1 });
        return prefixed(redisLimiterBackend(client), prefix);
      },
      close: async () => void (await client?.quit()),
    });
  }
  return backends;
}

/** A fresh key prefix per harness keeps runs apart without flushing a shared server. */
export const uniquePrefix = () => `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

function prefixed(backend: LimiterBackend, prefix: string): LimiterBackend {
  return { kind: backend.kind, limiter: (name, budget) => backend.limiter(`${prefix}:${name}`, budget) };
}

export const redisSkipNote = process.env.TEST_REDIS_URL ? '' : ' (Redis suites skipped: TEST_REDIS_URL is not set)';
