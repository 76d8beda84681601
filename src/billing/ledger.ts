/**
 * The usage ledger port. Every processed request leaves one record, written before the response is
 * sent; only billable results are charged. Records hold no ID numbers and no images:
 * { v, ts, request_id, org_id, endpoint, result, charged }.
 *
 * Implementations: the embedded default, a JSON-lines file (file-ledger.ts, one process per file);
 * PostgreSQL for a fleet (postgres-ledger.ts, DATABASE_URL); memory for tests.
 */
import { envVar } from '../config/env.ts';
import { fromRepoRoot } from '../config/paths.ts';
import { isCharged } from '../policy/charges.ts';
import { Aggregates } from './aggregates.ts';

export interface UsageRecord {
  v: 1;
  ts: string;
  request_id: string;
  org_id: string;
  endpoint: string;
  /** CONFIRMED, MISMATCH, or the error code returned. */
  result: string;
  charged: boolean;
}

export interface UsageCounts {
  requests: number;
  confirmed: number;
  mismatch: number;
  errors: number;
  charged: number;
}

export interface UsageSummary {
  totals: UsageCounts;
  daily: Array<UsageCounts & { date: string }>;
}

export interface UsageQuery {
  endpoint?: string;
  /** Inclusive UTC dates, YYYY-MM-DD. */
  from?: string;
  to?: string;
}

export type UsageEntry = Omit<UsageRecord, 'v' | 'charged'> & { charged?: boolean };

export interface UsageLedger {
  /**
   * Append and make durable; resolves once the record is stored. Recording a request_id that is
   * already stored returns the stored record and charges nothing more (a retried write).
   */
  record(entry: UsageEntry): Promise<UsageRecord>;
  usage(orgId: string, query?: UsageQuery): Promise<UsageSummary>;
  close(): Promise<void>;
}

export function toUsageRecord(entry: UsageEntry): UsageRecord {
  return {
    v: 1,
    ts: entry.ts,
    request_id: entry.request_id,
    org_id: entry.org_id,
    endpoint: entry.endpoint,
    result: entry.result,
    charged: entry.charged ?? isCharged(entry.endpoint, entry.result),
  };
}

export function defaultLedgerPath(): string {
  return fromRepoRoot(envVar('FACEMATCH_LEDGER'));
}

/** A ledger that keeps records in memory only (nothing survives a restart). */
export function createMemoryLedger(): UsageLedger & { records: UsageRecord[] } {
  const aggregates = new Aggregates();
  const records: UsageRecord[] = [];
  const byId = new Map<string, UsageRecord>();
  return {
    records,
    async record(entry) {
      const existing = byId.get(entry.request_id);
      if (existing) return existing;
      const rec = toUsageRecord(entry);
      records.push(rec);
      byId.set(rec.request_id, rec);
      aggregates.add(rec);
      return rec;
    },
    usage: async (orgId, query = {}) => aggregates.summary(orgId, query),
    async close() {},
  };
}

export { openUsageLedger } from './file-ledger.ts';
