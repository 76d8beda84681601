/**
 * The Idempotency-Key store port. A record is scoped to an organisation and identified by a hash
 * of the key; it holds a hash of the request (never the body) and, once the first request has
 * finished, its answer (sealed: see seal.ts). Records live 24 hours.
 *
 * Implementations: memory (tests), a JSON-lines file beside the usage ledger (the embedded default,
 * survives a restart), PostgreSQL (a fleet).
 */

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a claim by a request that never finishes (crash) blocks its key. */
export const IDEMPOTENCY_LEASE_MS = 2 * 60 * 1000;

export interface IdempotencyScope {
  orgId: string;
  /** Hex SHA-256 of the Idempotency-Key (with the organisation). */
  keyHash: string;
}

export interface StoredAnswer {
  status: number;
  /** The sealed response body. */
  sealed: Uint8Array;
}

export type Claim =
  | { state: 'new' }
  | { state: 'replay'; answer: StoredAnswer }
  | { state: 'in_progress' }
  | { state: 'mismatch' };

export interface IdempotencyStore {
  /** Claim the key for this request, or report what the earlier request with it left. */
  begin(scope: IdempotencyScope, requestHash: string, now: Date): Promise<Claim>;
  /** Keep the first answer for 24 h from the claim. */
  complete(scope: IdempotencyScope, requestHash: string, answer: StoredAnswer, now: Date): Promise<void>;
  /** Drop an unfinished claim (the request failed in a way worth retrying). */
  release(scope: IdempotencyScope, requestHash: string): Promise<void>;
  close(): Promise<void>;
}

export interface MemoryRecord {
  requestHash: string;
  /** Epoch ms. */
  expiresAt: number;
  lockedUntil: number;
  answer?: StoredAnswer;
}

const scopeKey = (s: IdempotencyScope) => `${s.orgId}\u0000${s.keyHash}`;

/** Claim logic shared by the memory and file stores (PostgreSQL does the same in SQL). */
export class IdempotencyTable {
  readonly records = new Map<string, MemoryRecord>();
  private lastPurge = 0;

  begin(scope: IdempotencyScope, requestHash: string, now: Date): Claim {
    const key = scopeKey(scope);
    const t = now.getTime();
    // Drop expired records now and then (no timers: time follows the caller's clock).
    if (t - this.lastPurge > 60_000) {
      this.purge(t);
      this.lastPurge = t;
    }
    const rec = this.records.get(key);
    if (rec && rec.expiresAt > t) {
      if (rec.requestHash !== requestHash) return { state: 'mismatch' };
      if (rec.answer) return { state: 'replay', answer: rec.answer };
      if (rec.lockedUntil > t) return { state: 'in_progress' };
    }
    this.records.set(key, { requestHash, expiresAt: t + IDEMPOTENCY_TTL_MS, lockedUntil: t + IDEMPOTENCY_LEASE_MS });
    return { state: 'new' };
  }

  complete(scope: IdempotencyScope, requestHash: string, answer: StoredAnswer): MemoryRecord | undefined {
    const rec = this.records.get(scopeKey(scope));
    if (!rec || rec.requestHash !== requestHash) return undefined;
    rec.answer = answer;
    return rec;
  }

  release(scope: IdempotencyScope, requestHash: string): void {
    const key = scopeKey(scope);
    const rec = this.records.get(key);
    if (rec && !rec.answer && rec.requestHash === requestHash) this.records.delete(key);
  }

  /** Drop expired records (bounded memory over time). */
  purge(now: number): void {
    for (const [k, r] of this.records) if (r.expiresAt <= now) this.records.delete(k);
  }
}

export function createMemoryIdempotencyStore(): IdempotencyStore {
  const table = new IdempotencyTable();
  return {
    async begin(scope, requestHash, now) {
      return table.begin(scope, requestHash, now);
    },
    async complete(scope, requestHash, answer) {
      table.complete(scope, requestHash, answer);
    },
    async release(scope, requestHash) {
      table.release(scope, requestHash);
    },
    async close() {},
  };
}
