/**
 * The usage ledger: one JSON object per line, appended and fsync'd before the response is sent, so it
 * survives a crash or restart with no database to install. Lines hold no ID numbers and no images:
 * { v, ts, request_id, org_id, endpoint, result, charged }.
 * Which results are charged and how they count is the policy's (src/policy/charges.ts). Totals are
 * rebuilt from the file when it is opened.
 */
import { mkdirSync, existsSync, readFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { envVar } from '../config/env.ts';
import { fromRepoRoot } from '../config/paths.ts';
import { isCharged, usageClass } from '../policy/charges.ts';

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

export interface UsageLedger {
  /** Append and make durable; resolves once the line is on disk. */
  record(entry: Omit<UsageRecord, 'v' | 'charged'> & { charged?: boolean }): Promise<UsageRecord>;
  usage(orgId: string, query?: UsageQuery): UsageSummary;
  close(): Promise<void>;
}

export function defaultLedgerPath(): string {
  return fromRepoRoot(envVar('FACEMATCH_LEDGER'));
}

const emptyCounts = (): UsageCounts => ({ requests: 0, confirmed: 0, mismatch: 0, errors: 0, charged: 0 });

function add(counts: UsageCounts, r: UsageRecord): void {
  counts.requests++;
  const kind = usageClass(r.endpoint, r.result);
  if (kind === 'confirmed') counts.confirmed++;
  else if (kind === 'mismatch') counts.mismatch++;
  else if (kind === 'error') counts.errors++;
  if (r.charged) counts.charged++;
}

function isUsageRecord(x: unknown): x is UsageRecord {
  if (!x || typeof x !== 'object') return false;
  const r = x as Record<string, unknown>;
  return typeof r.ts === 'string' && typeof r.org_id === 'string' && typeof r.endpoint === 'string' && typeof r.result === 'string' && typeof r.charged === 'boolean';
}

/** In-memory aggregation by organisation → endpoint → day. */
class Aggregates {
  private readonly byKey = new Map<string, Map<string, UsageCounts>>();

  add(r: UsageRecord): void {
    const key = `${r.org_id}\u0000${r.endpoint}`;
    let days = this.byKey.get(key);
    if (!days) this.byKey.set(key, (days = new Map()));
    const date = r.ts.slice(0, 10);
    let counts = days.get(date);
    if (!counts) days.set(date, (counts = emptyCounts()));
    add(counts, r);
  }

  summary(orgId: string, query: UsageQuery): UsageSummary {
    const days = this.byKey.get(`${orgId}\u0000${query.endpoint ?? '/v1/face-comparison'}`) ?? new Map<string, UsageCounts>();
    const totals = emptyCounts();
    const daily: UsageSummary['daily'] = [];
    for (const date of [...days.keys()].sort()) {
      if (query.from && date < query.from) continue;
      if (query.to && date > query.to) continue;
      const c = days.get(date)!;
      daily.push({ date, ...c });
      for (const k of Object.keys(totals) as Array<keyof UsageCounts>) totals[k] += c[k];
    }
    return { totals, daily };
  }
}

export class FileUsageLedger implements UsageLedger {
  private readonly aggregates = new Aggregates();
  private chain: Promise<unknown> = Promise.resolve();
  private needsNewline = false;

  private constructor(
    readonly file: string,
    private handle: FileHandle | undefined,
  ) {}

  /** Open (creating the folder and file if needed) and replay existing lines. */
  static async open(file: string = defaultLedgerPath()): Promise<FileUsageLedger> {
    mkdirSync(path.dirname(file), { recursive: true });
    const ledger = new FileUsageLedger(file, undefined);
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        try {
          const parsed: unknown = JSON.parse(line);
          if (isUsageRecord(parsed)) ledger.aggregates.add(parsed);
        } catch {
          // A torn last line from a crash mid-write: skip it; it was never acknowledged.
        }
      }
      ledger.needsNewline = text.length > 0 && !text.endsWith('\n');
    }
    ledger.handle = await open(file, 'a', 0o600);
    return ledger;
  }

  record(entry: Omit<UsageRecord, 'v' | 'charged'> & { charged?: boolean }): Promise<UsageRecord> {
    const rec: UsageRecord = {
      v: 1,
      ts: entry.ts,
      request_id: entry.request_id,
      org_id: entry.org_id,
      endpoint: entry.endpoint,
      result: entry.result,
      charged: entry.charged ?? isCharged(entry.endpoint, entry.result),
    };
    const write = async () => {
      const handle = this.handle;
      if (!handle) throw new Error('usage ledger is closed');
      const line = (this.needsNewline ? '\n' : '') + JSON.stringify(rec) + '\n';
      await handle.appendFile(line, 'utf8');
      await handle.sync();
      this.needsNewline = false;
      this.aggregates.add(rec);
      return rec;
    };
    // Serialise appends so lines never interleave; a failed write does not block later ones.
    const next = this.chain.then(write, write);
    this.chain = next.catch(() => undefined);
    return next;
  }

  usage(orgId: string, query: UsageQuery = {}): UsageSummary {
    return this.aggregates.summary(orgId, query);
  }

  async close(): Promise<void> {
    await this.chain;
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }
}

export function openUsageLedger(file?: string): Promise<FileUsageLedger> {
  return FileUsageLedger.open(file);
}

/** A ledger that keeps records in memory only (nothing survives a restart). */
export function createMemoryLedger(): UsageLedger & { records: UsageRecord[] } {
  const aggregates = new Aggregates();
  const records: UsageRecord[] = [];
  return {
    records,
    async record(entry) {
      const rec: UsageRecord = { v: 1, ...entry, charged: entry.charged ?? isCharged(entry.endpoint, entry.result) };
      records.push(rec);
      aggregates.add(rec);
      return rec;
    },
    usage: (orgId, query = {}) => aggregates.summary(orgId, query),
    async close() {},
  };
}
