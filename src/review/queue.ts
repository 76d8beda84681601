/**
 * The review queue port and its in-memory implementation. Cases and their two face crops live in
 * memory only, for at most the configured time (60 minutes by default); after that they vanish with
 * their images (TTL on the injected clock). Crops are never written anywhere.
 */
import { LRUCache } from 'lru-cache';
import type { ReviewCase, ReviewCrops, ReviewDecision } from './types.ts';

/** 60 minutes, like the report's image links. */
export const REVIEW_TTL_MS = 60 * 60 * 1000;

export interface ReviewQueue {
  readonly ttlMs: number;
  add(entry: Omit<ReviewCase, 'expires_at' | 'decision'>, crops: ReviewCrops): ReviewCase;
  /** The organisation's cases still held, newest first. */
  list(orgId: string): ReviewCase[];
  get(orgId: string, id: string): { case: ReviewCase; crops: ReviewCrops } | undefined;
  /** Records the decision on the held case; undefined when it is not (or no longer) held. */
  decide(orgId: string, id: string, decision: ReviewDecision): ReviewCase | undefined;
}

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
  const live = (orgId: string, id: string) => held.get(key(orgId, id));

  return {
    ttlMs,
    add(entry, crops) {
      const expires = new Date(Date.parse(entry.created_at) + ttlMs).toISOString();
      const c: ReviewCase = { ...entry, expires_at: expires, decision: null };
      held.set(key(entry.org_id, entry.id), { case: c, crops });
      return structuredClone(c);
    },
    list(orgId) {
      const prefix = `${orgId}\u0000`;
      const out: ReviewCase[] = [];
      for (const [k, v] of held.entries()) if (k.startsWith(prefix)) out.push(structuredClone(v.case));
      return out.sort((a, b) => b.created_at.localeCompare(a.created_at));
    },
    get(orgId, id) {
      const h = live(orgId, id);
      return h && { case: structuredClone(h.case), crops: h.crops };
    },
    decide(orgId, id, decision) {
      const h = live(orgId, id);
      if (!h) return undefined;
      h.case.decision = decision;
      return structuredClone(h.case);
    },
  };
}
