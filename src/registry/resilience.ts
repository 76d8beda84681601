/**
 * Retries with jittered exponential backoff (retryable failures only) and a per-adapter circuit
 * breaker. Clocks, randomness and sleeping are injected so tests run on fake time.
 */
import { RegistryError, type RegistryAdapter, type LookupContext, type LookupResult } from './types.ts';

export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** RATE_LIMITED is retried only when the registry's Retry-After is at most this many seconds. */
  maxRetryAfterSeconds: number;
}

/** The one set of retry defaults (the registry configuration's defaults come from here). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 2_000,
  maxRetryAfterSeconds: 2,
};

export interface RetryDeps {
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Called before each retry (logging/metrics); never receives ID numbers. */
  onRetry?: (info: { attempt: number; delayMs: number; error: RegistryError }) => void;
}

/** Decide whether a failure may be retried and after how long (ms), or undefined when not. */
export function retryDelay(err: unknown, attempt: number, policy: RetryPolicy, random: () => number): number | undefined {
  if (!(err instanceof RegistryError)) return undefined;
  if (err.kind === 'UNAVAILABLE' && err.options.retryable !== false) {
    // "Full jitter": uniform in [0, min(cap, base·2^(attempt-1))], never below a tenth of the base.
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    return Math.max(policy.baseDelayMs / 10, Math.round(random() * ceiling));
  }
  if (err.kind === 'RATE_LIMITED' && err.options.retryable !== false) {
    const after = err.options.retryAfterSeconds;
    if (after !== undefined && after <= policy.maxRetryAfterSeconds) return after * 1000;
  }
  return undefined;
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Run `fn`, retrying per `policy`. The last error is rethrown unchanged. */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  deps: RetryDeps & { signal?: AbortSignal } = {},
): Promise<T> {
  const random = deps.random ?? Math.random;
  const sleep = deps.sleep ?? abortableSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= policy.maxAttempts || deps.signal?.aborted) throw err;
      const delayMs = retryDelay(err, attempt, policy, random);
      if (delayMs === undefined) throw err;
      deps.onRetry?.({ attempt, delayMs, error: err as RegistryError });
      try {
        await sleep(delayMs, deps.signal);
      } catch {
        throw err;
      }
    }
  }
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive counted failures that open the circuit. */
  failureThreshold: number;
  /**
   * Distinct callers that must be among those failures (default 1). With 2 or more, one API key
   * alone cannot open a registry's circuit for every tenant, whatever it sends.
   */
  minDistinctCallers?: number;
  /** How long the circuit stays open before one trial call is let through. */
  resetTimeoutMs: number;
  /** Concurrent trial calls allowed while half-open. */
  halfOpenMaxCalls: number;
}

/** The one set of breaker defaults (the registry configuration's defaults come from here). */
export const DEFAULT_BREAKER_OPTIONS: Required<CircuitBreakerOptions> = {
  failureThreshold: 8,
  minDistinctCallers: 2,
  resetTimeoutMs: 30_000,
  halfOpenMaxCalls: 1,
};

/**
 * Failures that say the registry itself is unhealthy: timeouts, 5xx and transport errors
 * (retryable UNAVAILABLE). Everything about one record or one input — not found, invalid, restricted,
 * a photo that is not an image, an unparseable reply, a 4xx — never counts: any caller can ask for
 * such a record as often as it likes.
 */
export function countsAsBreakerFailure(err: unknown): boolean {
  return err instanceof RegistryError && err.kind === 'UNAVAILABLE' && err.options.retryable !== false;
}

/** The caller key used when a lookup names none (CLI, tests). */
const ANONYMOUS_CALLER = 'anonymous';

export class CircuitBreaker {
  private state: BreakerState = 'closed';
  private failures = 0;
  /** Distinct callers among the current run of failures (bounded by minDistinctCallers). */
  private failingCallers = new Set<string>();
  private openedAt = 0;
  private trials = 0;
  private readonly now: () => number;

  constructor(
    readonly name: string,
    private readonly options: CircuitBreakerOptions = DEFAULT_BREAKER_OPTIONS,
    deps: { now?: () => number } = {},
  ) {
    this.now = deps.now ?? Date.now;
  }

  get currentState(): BreakerState {
    if (this.state === 'open' && this.now() - this.openedAt >= this.options.resetTimeoutMs) return 'half-open';
    return this.state;
  }

  async execute<T>(fn: () => Promise<T>, callerId: string = ANONYMOUS_CALLER): Promise<T> {
    this.admit();
    const wasTrial = this.state === 'half-open';
    try {
      const result = await fn();
      this.onSuccess();
      return result;
    } catch (err) {
      if (countsAsBreakerFailure(err)) this.onFailure(callerId);
      else this.onSuccess(); // the registry answered; the failure was about the input
      throw err;
    } finally {
      if (wasTrial) this.trials = Math.max(0, this.trials - 1);
    }
  }

  private admit(): void {
    const state = this.currentState;
    if (state === 'open') throw this.openError();
    if (state === 'half-open') {
      if (this.state === 'open') {
        this.state = 'half-open';
        this.trials = 0;
      }
      if (this.trials >= this.options.halfOpenMaxCalls) throw this.openError();
      this.trials++;
    }
  }

  private openError(): RegistryError {
    const remaining = Math.max(0, this.options.resetTimeoutMs - (this.now() - this.openedAt));
    return new RegistryError('UNAVAILABLE', `circuit open for ${this.name}`, {
      adapterId: this.name,
      retryable: false,
      retryAfterSeconds: Math.max(1, Math.ceil(remaining / 1000)),
    });
  }

  private onSuccess(): void {
    this.failures = 0;
    this.failingCallers.clear();
    this.state = 'closed';
  }

  private onFailure(callerId: string): void {
    this.failures++;
    const minCallers = this.options.minDistinctCallers ?? 1;
    if (this.failingCallers.size < minCallers) this.failingCallers.add(callerId);
    const enoughCallers = this.failingCallers.size >= minCallers;
    if (this.state === 'half-open' || (this.failures >= this.options.failureThreshold && enoughCallers)) {
      this.state = 'open';
      this.openedAt = this.now();
    }
  }
}

export interface ResilienceOptions {
  retry: RetryPolicy;
  breaker: CircuitBreaker;
  /** Overall budget for one lookup including retries, ms. */
  lookupBudgetMs?: number;
  retryDeps?: RetryDeps;
}

/**
 * Wrap an adapter so each registry call (lookup or match at source) goes through the retry loop,
 * and each attempt through the adapter's circuit breaker (an open circuit fails fast and is not
 * retried), within the overall lookup budget.
 */
export function withResilience(adapter: RegistryAdapter, options: ResilienceOptions): RegistryAdapter {
  function guarded<T>(ctx: LookupContext, call: (ctx: LookupContext) => Promise<T>): Promise<T> {
    const signals = [ctx.signal, options.lookupBudgetMs ? AbortSignal.timeout(options.lookupBudgetMs) : undefined].filter(
      (s): s is AbortSignal => !!s,
    );
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    return withRetry(() => options.breaker.execute(() => call({ ...ctx, signal }), ctx.callerId), options.retry, { ...options.retryDeps, signal });
  }
  const verifyFace = adapter.verifyFace?.bind(adapter);
  return {
    id: adapter.id,
    displayName: adapter.displayName,
    idTypes: adapter.idTypes,
    matchAtSourceIdTypes: adapter.matchAtSourceIdTypes,
    validateIdNumber: (idType, idNumber) => adapter.validateIdNumber(idType, idNumber),
    lookup: (idType, idNumber, ctx): Promise<LookupResult> => guarded(ctx, (c) => adapter.lookup(idType, idNumber, c)),
    ...(verifyFace ? { verifyFace: (idType: string, idNumber: string, selfie: Uint8Array, ctx: LookupContext) => guarded(ctx, (c) => verifyFace(idType, idNumber, selfie, c)) } : {}),
  };
}
