/**
 * The review queue port and its in-memory implementation. Cases and their two face crops live in
 * memory only, for at most the configured time (60 minutes by default); after that they vanish with
 * their images (TTL on the injected clock). Crops are never written anywhere. The fleet
 * implementation (Redis memory, same contract) is src/review/redis-queue.ts.
 */
import { LRUCache } from 'lru-cache';
import type { ReviewCase, ReviewCrops, ReviewDecision } from './types.ts';

/** 60 minutes, like the report's image links. */
export const REVIEW_TTL_MS = 60 * 60 * 1000;

export type NewReviewCase = Omit<ReviewCase, 'expires_at' | 'decision'>;

export type DecideResult = { status: 'decided'; case: ReviewCase } | { status: 'not_found' } | { status: 'already_decided' };

export interface ReviewQueue {
  readonly ttlMs: number;
  add(entry: NewReviewCase, crops: ReviewCrops): Promise<ReviewCase>;
  /** The organisation's cases still held, newest first. */
  list(orgId: string): Promise<ReviewCase[]>;
  get(orgId: string, id: string): Promise<{ case: ReviewCase; crops: ReviewCrops } | undefined>;
  /** Atomically records the decision on a held case that has none yet (one decision even across replicas). */
  decide(orgId: string, id: string, decision: ReviewDecision): Promise<DecideResult>;
  /** Takes a decision back (its durable record could not be written). */
  undecide(orgId: string, id: string): Promise<void>;
}

export const expiryOf = (createdAt: string, ttlMs: number) => new Date(Date.parse(createdAt) + ttlMs).toISOString();

export interface MemoryReviewQueueOptions {
  clock?: { now(): Date };
  ttlMs?: number;
  /** Most cases held at once (the oldest is dropped first). */
  maxCases?: number;
}

interface Held {
  case: ReviewCase;
  crops: ReviewCrops;
}

export function createMemoryReviewQueue(options: MemoryReviewQueueOptions = {}): ReviewQueue {
  const clock = options.clock ?? { now: () => new Date() };
  const ttlMs = options.ttlMs ?? REVIEW_TTL_MS;
  // TTL on the service clock, so expiry is testable and follows the same time as the receipts.
  const held = new LRUCache<string, Held>({ max: options.maxCases ?? 5_000, ttl: ttlMs, ttlResolution: 0, ttlAutopurge: true, perf: { now: () => clock.now().getTime() } });
  const key = (orgId: string, id: string) => `${orgId}\u0000${id}`;

  return {
    ttlMs,
    async add(entry, crops) {
      const c: ReviewCase = { ...entry, expires_at: expiryOf(entry.created_at, ttlMs), decision: null };
      held.set(key(entry.org_id, entry.id), { case: c, crops });
      return structuredClone(c);
    },
    async list(orgId) {
      const prefix = `${orgId}\u0000`;
      const out: ReviewCase[] = [];
      for (const [k, v] of held.entries()) if (k.startsWith(prefix)) out.push(structuredClone(v.case));
      return out.sort((a, b) => b.created_at.localeCompare(a.created_at));
    },
    async get(orgId, id) {
      const h = held.get(key(orgId, id));
      return h && { case: structuredClone(h.case), crops: h.crops };
    },
    async decide(orgId, id, decision) {
      const h = held.get(key(orgId, id));
      if (!h) return { status: 'not_found' };
      if (h.case.decision) return { status: 'already_decided' };
      h.case.decision = decision;
      return { status: 'decided', case: structuredClone(h.case) };
    },
    async undecide(orgId, id) {
      const h = held.get(key(orgId, id));
      if (h) h.case.decision = null;
    },
  };
}
