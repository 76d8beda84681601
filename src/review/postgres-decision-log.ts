/**
 * Review decisions in PostgreSQL (fleet): the append-only `review_decisions` table
 * (migrations/postgres/014_review_decisions.sql). One row per case: a second decision for the same
 * case is refused by the unique key and reported as `duplicate`, whichever replica sent it.
 */
import { pgCall, type Pool } from '../state/postgres.ts';
import type { ReviewDecisionLog } from './decision-log.ts';
import type { ReviewDecisionRecord } from './types.ts';

interface Row {
  org_id: string;
  request_id: string;
  endpoint: string;
  verdict: string;
  decision: 'APPROVE' | 'REJECT';
  note: string;
  reviewer: string;
  key_id: string;
  decided_at: Date;
}

export function createPostgresDecisionLog(pool: Pool): ReviewDecisionLog {
  return {
    async append(r) {
      const { rowCount } = await pgCall('review decision write', () =>
        pool.query(
          `INSERT INTO review_decisions (org_id, request_id, endpoint, verdict, decision, note, reviewer, key_id, decided_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (org_id, request_id) DO NOTHING`,
          [r.org_id, r.request_id, r.endpoint, r.verdict, r.decision, r.note, r.reviewer, r.key_id, r.decided_at],
        ),
      );
      return rowCount === 1 ? 'recorded' : 'duplicate';
    },
    async find(orgId, requestId) {
      const { rows } = await pgCall('review decision read', () =>
        pool.query<Row>('SELECT org_id, request_id, endpoint, verdict, decision, note, reviewer, key_id, decided_at FROM review_decisions WHERE org_id = $1 AND request_id = $2', [orgId, requestId]),
      );
      const row = rows[0];
      if (!row) return undefined;
      const record: ReviewDecisionRecord = { v: 1, ...row, decided_at: row.decided_at.toISOString() };
      return record;
    },
    // The pool belongs to the caller (shared with the other PostgreSQL ports).
    async close() {},
  };
}
