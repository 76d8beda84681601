/**
 * Admission control: at most `maxActive` requests work at once and at most `maxQueued` wait for a
 * slot; anything beyond is refused at once, before its body is read, so a flood costs neither memory
 * (no 9 MB bodies held) nor latency for the admitted. Waiting requests hold no body either.
 */

export interface AdmissionOptions {
  /** Requests processed at once (body read, images decoded, engine, registry). */
  maxActive: number;
  /** Requests waiting for a slot before refusals start. */
  maxQueued: number;
  /** From arrival to answer, queueing included; past it the request gets 503 and its slot is freed. */
  deadlineMs: number;
  /** Retry-After sent with a 503 from admission control, seconds. */
  retryAfterSeconds: number;
}

export interface AdmissionStats {
  active: number;
  queued: number;
}

export interface AdmissionEvents {
  /** Called whenever active or queued changes. */
  onChange?(stats: AdmissionStats): void;
}

/** A held slot; release it exactly once (later calls are no-ops). */
export interface Ticket {
  release(): void;
}

export type RefusalCause = 'full' | 'draining' | 'timeout' | 'aborted';

export class AdmissionRefused extends Error {
  constructor(readonly cause: RefusalCause) {
    super(`request not admitted: ${cause}`);
    this.name = 'AdmissionRefused';
  }
}

interface Waiter {
  grant(ticket: Ticket): void;
  refuse(cause: RefusalCause): void;
}

export class AdmissionControl {
  private active = 0;
  private readonly waiting: Waiter[] = [];
  private draining = false;
  private idleWaiters: Array<() => void> = [];
  /** Work still running after its request was answered (deadline passed): shutdown waits for it too. */
  private readonly lingering = new Set<Promise<unknown>>();

  constructor(
    readonly options: AdmissionOptions,
    private readonly events: AdmissionEvents = {},
  ) {
    if (!(options.maxActive >= 1)) throw new Error('maxActive must be at least 1');
    if (!(options.maxQueued >= 0)) throw new Error('maxQueued must be at least 0');
  }

  get stats(): AdmissionStats {
    return { active: this.active, queued: this.waiting.length };
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /**
   * A slot now, a place in the queue until `signal` aborts, or AdmissionRefused at once when both
   * are full (or the process is shutting down).
   */
  enter(signal?: AbortSignal): Promise<Ticket> {
    if (this.draining) return Promise.reject(new AdmissionRefused('draining'));
    if (this.active < this.options.maxActive) return Promise.resolve(this.grantSlot());
    if (this.waiting.length >= this.options.maxQueued) return Promise.reject(new AdmissionRefused('full'));
    if (signal?.aborted) return Promise.reject(new AdmissionRefused('aborted'));
    return new Promise<Ticket>((resolve, reject) => {
      const onAbort = () => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        this.changed();
        const reason: unknown = signal?.reason;
        reject(new AdmissionRefused(reason instanceof AdmissionRefused ? reason.cause : 'aborted'));
      };
      const waiter: Waiter = {
        grant: (ticket) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(ticket);
        },
        refuse: (cause) => {
          signal?.removeEventListener('abort', onAbort);
          reject(new AdmissionRefused(cause));
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
      this.changed();
    });
  }

  /** Refuse new and queued requests from now on; admitted ones finish. */
  drain(): void {
    this.draining = true;
    for (const w of this.waiting.splice(0)) w.refuse('draining');
    this.changed();
  }

  /** Resolves when no request is active or queued and no abandoned work is still running. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Keep track of work that outlives its slot (a request answered at its deadline), so `idle()` waits for it. */
  linger(work: Promise<unknown>): void {
    const tracked = work.then(
      () => undefined,
      () => undefined,
    );
    this.lingering.add(tracked);
    void tracked.then(() => {
      this.lingering.delete(tracked);
      this.changed();
    });
  }

  private isIdle(): boolean {
    return this.active === 0 && this.waiting.length === 0 && this.lingering.size === 0;
  }

  private grantSlot(): Ticket {
    this.active++;
    this.changed();
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.active--;
        const next = this.waiting.shift();
        if (next) next.grant(this.grantSlot());
        else this.changed();
      },
    };
  }

  private changed(): void {
    this.events.onChange?.(this.stats);
    if (this.isIdle() && this.idleWaiters.length) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }
}
