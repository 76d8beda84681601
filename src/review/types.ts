/** The review queue's records: a borderline verification held for a person to decide. */
import type { ReviewReason } from '../policy/review-band.ts';

export type ReviewDecisionValue = 'APPROVE' | 'REJECT';

export interface ReviewDecision {
  decision: ReviewDecisionValue;
  note: string;
  /** Who decided: the name the reviewer gave, else the API key id. */
  reviewer: string;
  /** The API key that carried the decision. */
  key_id: string;
  decided_at: string;
}

export interface ReviewCase {
  /** The verification's request id (what the caller's backend already holds). */
  id: string;
  org_id: string;
  endpoint: string;
  reason: ReviewReason;
  created_at: string;
  expires_at: string;
  verdict: string;
  score: number | null;
  threshold: number;
  id_type: string | null;
  id_number_masked: string | null;
  warnings: string[];
  receipt: string | null;
  decision: ReviewDecision | null;
}

export interface ReviewCrops {
  selfie: Uint8Array | null;
  reference: Uint8Array | null;
}

/** A durable record of one decision (no images, no ID numbers). */
export interface ReviewDecisionRecord extends ReviewDecision {
  v: 1;
  request_id: string;
  org_id: string;
  endpoint: string;
  verdict: string;
}
