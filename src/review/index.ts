/** The manual-review collaborators the app is given: queue (cases + crops), durable decisions, band margin. */
import { DEFAULT_REVIEW_MARGIN } from '../policy/review-band.ts';
import { createMemoryDecisionLog, type ReviewDecisionLog } from './decision-log.ts';
import { createMemoryReviewQueue, type ReviewQueue } from './queue.ts';

export interface ReviewServices {
  queue: ReviewQueue;
  decisions: ReviewDecisionLog;
  /** Margin around the threshold, 0–1 scale (src/policy/review-band.ts). */
  margin: number;
}

/** Everything in memory (tests, and the parts not given in configuration). */
export function createMemoryReviewServices(options: { clock?: { now(): Date }; ttlMs?: number; margin?: number } = {}): ReviewServices {
  return {
    queue: createMemoryReviewQueue({ clock: options.clock, ttlMs: options.ttlMs }),
    decisions: createMemoryDecisionLog(),
    margin: options.margin ?? DEFAULT_REVIEW_MARGIN,
  };
}
