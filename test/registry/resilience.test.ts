import { describe, expect, it } from 'vitest';
import { CircuitBreaker, retryDelay, withResilience, withRetry, type RetryPolicy } from '../../src/registry/resilience.ts';
import { RegistryError, type RegistryAdapter, type RegistryFailureKind } from '../../src/registry/types.ts';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterSeconds: 2 };
const noSleep = { sleep: async () => {}, random: () => 0.5 };

function failing(kinds: RegistryFailureKind[], extra: Partial<RegistryError['options']> = {}) {
  let calls = 0;
  const fn = async () => {
    const kind = kinds[Math.min(calls, kinds.length - 1)]!;
    calls++;
    if (kind === ('OK' as RegistryFailureKind)) return 'ok';
    throw new RegistryError(kind, kind, extra);
  };
  return { fn, calls: () => calls };
}

describe('withRetry', () => {
  it('retries UNAVAILABLE up to maxAttempts', async () => {
    const f = failing(['UNAVAILABLE']);
    await expect(withRetry(f.fn, policy, noSleep)).rejects.toMatchObject({ kind: 'UNAVAILABLE' });
    expect(f.calls()).toBe(4);
  });

  it('returns once a retry succeeds', async () => {
    const f = failing(['UNAVAILABLE', 'OK' as RegistryFailureKind]);
    await expect(withRetry(f.fn, policy, noSleep)).resolves.toBe('ok');
    expect(f.calls()).toBe(2);
  });

  it.each(['NOT_FOUND', 'INVALID_ID', 'UNAUTHORISED', 'PHOTO_MISSING', 'RESTRICTED', 'MALFORMED'] as const)('never retries %s', async (kind) => {
    const f = failing([kind]);
    await expect(withRetry(f.fn, policy, noSleep)).rejects.toMatchObject({ kind });
    expect(f.calls()).toBe(1);
  });

  it('does not retry UNAVAILABLE marked non-retryable (open circuit, cancelled)', async () => {
    const f = failing(['UNAVAILABLE'], { retryable: false });
    await expect(withRetry(f.fn, policy, noSleep)).rejects.toThrow();
    expect(f.calls()).toBe(1);
  });

  it('retries RATE_LIMITED only when Retry-After is short, and waits that long', async () => {
    const short = failing(['RATE_LIMITED'], { retryAfterSeconds: 1 });
    const waits: number[] = [];
    await expect(withRetry(short.fn, policy, { sleep: async (ms) => void waits.push(ms) })).rejects.toThrow();
    expect(short.calls()).toBe(4);
    expect(waits).toEqual([1000, 1000, 1000]);

    const long = failing(['RATE_LIMITED'], { retryAfterSeconds: 60 });
    await expect(withRetry(long.fn, policy, noSleep)).rejects.toThrow();
    expect(long.calls()).toBe(1);

    const unknown = failing(['RATE_LIMITED']);
    await expect(withRetry(unknown.fn, policy, noSleep)).rejects.toThrow();
    expect(unknown.calls()).toBe(1);
  });

  it('uses jittered exponential backoff bounded by maxDelayMs', () => {
    const err = new RegistryError('UNAVAILABLE', 'x');
    expect(retryDelay(err, 1, policy, () => 1)).toBe(100);
    expect(retryDelay(err, 2, policy, () => 1)).toBe(200);
    expect(retryDelay(err, 3, policy, () => 1)).toBe(400);
    expect(retryDelay(err, 10, policy, () => 1)).toBe(1000);
    expect(retryDelay(err, 3, policy, () => 0.5)).toBe(200);
    expect(retryDelay(err, 3, policy, () => 0)).toBe(10); // floor: a tenth of the base
  });

  it('stops when the caller signal is aborted', async () => {
    const ac = new AbortController();
    let calls = 0;
    const fn = async () => {
      calls++;
      ac.abort();
      throw new RegistryError('UNAVAILABLE', 'x');
    };
    await expect(withRetry(fn, policy, { ...noSleep, signal: ac.signal })).rejects.toThrow();
    expect(calls).toBe(1);
  });
});

describe('CircuitBreaker', () => {
  const unavailable = () => Promise.reject(new RegistryError('UNAVAILABLE', 'down'));
  const ok = () => Promise.resolve('ok');

  it('opens after the threshold, fails fast with retryAfterSeconds, half-opens after the timeout, closes on success', async () => {
    let now = 0;
    const b = new CircuitBreaker('x', { failureThreshold: 3, resetTimeoutMs: 10_000, halfOpenMaxCalls: 1 }, { now: () => now });
    for (let i = 0; i < 3; i++) await expect(b.execute(unavailable)).rejects.toMatchObject({ message: 'down' });
    expect(b.currentState).toBe('open');

    let called = false;
    now = 4_000;
    const err = await b.execute(async () => ((called = true), 'x')).catch((e) => e);
    expect(called).toBe(false);
    expect(err).toBeInstanceOf(RegistryError);
    expect(err.kind).toBe('UNAVAILABLE');
    expect(err.retryable).toBe(false);
    expect(err.options.retryAfterSeconds).toBe(6);

    now = 10_000;
    expect(b.currentState).toBe('half-open');
    await expect(b.execute(ok)).resolves.toBe('ok');
    expect(b.currentState).toBe('closed');
  });

  it('a failed trial call re-opens the circuit', async () => {
    let now = 0;
    const b = new CircuitBreaker('x', { failureThreshold: 1, resetTimeoutMs: 1_000, halfOpenMaxCalls: 1 }, { now: () => now });
    await b.execute(unavailable).catch(() => {});
    now = 1_000;
    await b.execute(unavailable).catch(() => {});
    expect(b.currentState).toBe('open');
    now = 1_500;
    await expect(b.execute(ok)).rejects.toMatchObject({ kind: 'UNAVAILABLE', message: 'circuit open for x' });
  });

  it('admits only halfOpenMaxCalls concurrent trials', async () => {
    let now = 0;
    const b = new CircuitBreaker('x', { failureThreshold: 1, resetTimeoutMs: 1_000, halfOpenMaxCalls: 1 }, { now: () => now });
    await b.execute(unavailable).catch(() => {});
    now = 2_000;
    let release!: () => void;
    const trial = b.execute(() => new Promise<string>((r) => (release = () => r('ok'))));
    await expect(b.execute(ok)).rejects.toMatchObject({ message: 'circuit open for x' });
    release();
    await expect(trial).resolves.toBe('ok');
    expect(b.currentState).toBe('closed');
  });

  it.each(['NOT_FOUND', 'INVALID_ID', 'PHOTO_MISSING', 'PHOTO_UNUSABLE', 'RESTRICTED', 'MALFORMED', 'UNAUTHORISED', 'RATE_LIMITED'] as const)(
    'record and input failures (%s) never count toward opening',
    async (kind) => {
      const b = new CircuitBreaker('x', { failureThreshold: 2, resetTimeoutMs: 1_000, halfOpenMaxCalls: 1 }, { now: () => 0 });
      for (let i = 0; i < 5; i++) await b.execute(() => Promise.reject(new RegistryError(kind, kind)), `key-${i}`).catch(() => {});
      expect(b.currentState).toBe('closed');
    },
  );

  it('a non-registry error (a bug on one record) does not count either', async () => {
    const b = new CircuitBreaker('x', { failureThreshold: 1, resetTimeoutMs: 1_000, halfOpenMaxCalls: 1 }, { now: () => 0 });
    await b.execute(() => Promise.reject(new TypeError('boom'))).catch(() => {});
    expect(b.currentState).toBe('closed');
  });

  it('with minDistinctCallers 2, one caller alone cannot open the circuit, however many faults it sees', async () => {
    const b = new CircuitBreaker('x', { failureThreshold: 3, minDistinctCallers: 2, resetTimeoutMs: 1_000, halfOpenMaxCalls: 1 }, { now: () => 0 });
    for (let i = 0; i < 20; i++) await b.execute(unavailable, 'key-a').catch(() => {});
    expect(b.currentState).toBe('closed');
    // A second caller seeing the same outage confirms it: now the circuit opens.
    await b.execute(unavailable, 'key-b').catch(() => {});
    expect(b.currentState).toBe('open');
  });

  it('a success between faults resets both the count and the callers seen', async () => {
    const b = new CircuitBreaker('x', { failureThreshold: 2, minDistinctCallers: 2, resetTimeoutMs: 1_000, halfOpenMaxCalls: 1 }, { now: () => 0 });
    await b.execute(unavailable, 'key-a').catch(() => {});
    await b.execute(ok, 'key-c');
    await b.execute(unavailable, 'key-b').catch(() => {});
    expect(b.currentState).toBe('closed');
    await b.execute(unavailable, 'key-a').catch(() => {});
    expect(b.currentState).toBe('open');
  });
});

describe('withResilience', () => {
  it('stops retrying once the breaker opens', async () => {
    let calls = 0;
    const adapter: RegistryAdapter = {
      id: 'fake',
      displayName: 'fake',
      idTypes: ['FAKE'],
      validateIdNumber: (_t, n) => ({ ok: true, normalised: n }),
      lookup: async () => {
        calls++;
        throw new RegistryError('UNAVAILABLE', 'down');
      },
    };
    const breaker = new CircuitBreaker('fake', { failureThreshold: 2, resetTimeoutMs: 60_000, halfOpenMaxCalls: 1 }, { now: () => 0 });
    const wrapped = withResilience(adapter, { retry: { ...policy, maxAttempts: 5 }, breaker, retryDeps: noSleep });
    const err = await wrapped.lookup('FAKE', '1', { requestId: 'r' }).catch((e) => e);
    expect(calls).toBe(2);
    expect(err.message).toBe('circuit open for fake');
    expect(err.options.retryAfterSeconds).toBe(60);
  });
});
