/**
 * The usage ledger on PostgreSQL (DATABASE_URL), shared by every replica: table usage_ledger
 * (migrations/postgres/001_usage_ledger.sql), append-only, unique request_id. Usage is summed in SQL
 * per UTC day, so every replica reports the same totals.
 */
import { completedResults, resultsOfClass } from '../policy/charges.ts';
import { pgCall, type Pool } from '../state/postgres.ts';
import { emptyCounts } from './aggregates.ts';
import { toUsageRecord, type UsageEntry, type UsageLedger, type UsageQuery, type UsageRecord, type UsageSummary } from './ledger.ts';

interface Row {
  ts: Date;
  request_id: string;
  org_id: string;
  endpoint: string;
  result: string;
  charged: boolean;
}

const fromRow = (r: Row): UsageRecord => ({ v: 1, ts: r.ts.toISOString(), request_id: r.request_id, org_id: r.org_id, endpoint: r.endpoint, result: r.result, charged: r.charged });

export class PostgresUsageLedger implements UsageLedger {
  constructor(private readonly pool: Pool) {}

  async record(entry: UsageEntry): Promise<UsageRecord> {
    const rec = toUsageRecord(entry);
    return pgCall('ledger write', async () => {
      // A retried write (same request_id) inserts nothing and returns the row stored first.
      const { rows } = await this.pool.query<Row>(
        `WITH ins AS (
           INSERT INTO usage_ledger (request_id, ts, org_id, endpoint, result, charged)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (request_id) DO NOTHING
           RETURNING ts, request_id, org_id, endpoint, result, charged)
         SELECT * FROM ins
         UNION ALL
         SELECT ts, request_id, org_id, endpoint, result, charged FROM usage_ledger WHERE request_id = $1 AND NOT EXISTS (SELECT 1 FROM ins)`,
        [rec.request_id, rec.ts, rec.org_id, rec.endpoint, rec.result, rec.charged],
      );
      return rows[0] ? fromRow(rows[0]) : rec;
    });
  }

  async usage(orgId: string, query: UsageQuery = {}): Promise<UsageSummary> {
    // How each result counts is the policy's (src/policy/charges.ts), per endpoint.
    const endpoint = query.endpoint ?? '/v1/face-comparison';
    const { rows } = await pgCall('usage query', () =>
      this.pool.query<{ date: string; requests: string; confirmed: string; mismatch: string; errors: string; charged: string }>(
        `SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date,
                count(*) AS requests,
                count(*) FILTER (WHERE result = ANY($5::text[])) AS confirmed,
                count(*) FILTER (WHERE result = ANY($6::text[])) AS mismatch,
                count(*) FILTER (WHERE NOT (result = ANY($7::text[]))) AS errors,
                count(*) FILTER (WHERE charged) AS charged
           FROM usage_ledger
          WHERE org_id = $1 AND endpoint = $2
            AND ($3::date IS NULL OR ts >= $3::date AT TIME ZONE 'UTC')
            AND ($4::date IS NULL OR ts < ($4::date + 1) AT TIME ZONE 'UTC')
          GROUP BY 1 ORDER BY 1`,
        [orgId, endpoint, query.from ?? null, query.to ?? null, resultsOfClass(endpoint, 'confirmed'), resultsOfClass(endpoint, 'mismatch'), completedResults(endpoint)],
      ),
    );
    const totals = emptyCounts();
    const daily = rows.map((r) => {
      const day = { date: r.date, requests: Number(r.requests), confirmed: Number(r.confirmed), mismatch: Number(r.mismatch), errors: Number(r.errors), charged: Number(r.charged) };
      for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += day[k];
      return day;
    });
    return { totals, daily };
  }

  /** The pool belongs to the caller (shared with other PostgreSQL ports). */
  async close(): Promise<void> {}
}
