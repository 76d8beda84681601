/**
 * Usage counts by organisation → endpoint → UTC day: what the file and memory ledgers keep in
 * memory to answer GET /v1/usage. Small (one entry per org, endpoint and day), and serialisable so
 * the file ledger can checkpoint it beside the file instead of re-reading years of lines at start.
 */
import { usageClass } from '../policy/charges.ts';
import type { UsageCounts, UsageQuery, UsageRecord, UsageSummary } from './ledger.ts';

export const emptyCounts = (): UsageCounts => ({ requests: 0, confirmed: 0, mismatch: 0, errors: 0, charged: 0 });

/** How a result counts is the policy's (src/policy/charges.ts), per endpoint. */
export function addResult(counts: UsageCounts, endpoint: string, result: string, charged: boolean): void {
  counts.requests++;
  const kind = usageClass(endpoint, result);
  if (kind === 'confirmed') counts.confirmed++;
  else if (kind === 'mismatch') counts.mismatch++;
  else if (kind === 'error') counts.errors++;
  if (charged) counts.charged++;
}

export type SerialisedAggregates = Record<string, Record<string, UsageCounts>>;

export class Aggregates {
  private readonly byKey = new Map<string, Map<string, UsageCounts>>();

  add(r: Pick<UsageRecord, 'org_id' | 'endpoint' | 'ts' | 'result' | 'charged'>): void {
    addResult(this.countsFor(this.daysFor(r.org_id, r.endpoint), r.ts.slice(0, 10)), r.endpoint, r.result, r.charged);
  }

  /** The per-day counts of one organisation and endpoint (created empty if new). */
  daysFor(orgId: string, endpoint: string): Map<string, UsageCounts> {
    const key = `${orgId}\u0000${endpoint}`;
    let days = this.byKey.get(key);
    if (!days) this.byKey.set(key, (days = new Map()));
    return days;
  }

  countsFor(days: Map<string, UsageCounts>, date: string): UsageCounts {
    let counts = days.get(date);
    if (!counts) days.set(date, (counts = emptyCounts()));
    return counts;
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

  toJSON(): SerialisedAggregates {
    const out: SerialisedAggregates = {};
    for (const [key, days] of this.byKey) out[key] = Object.fromEntries(days);
    return out;
  }

  static fromJSON(data: SerialisedAggregates): Aggregates {
    const agg = new Aggregates();
    for (const [key, days] of Object.entries(data)) {
      agg.byKey.set(key, new Map(Object.entries(days).map(([d, c]) => [d, { ...emptyCounts(), ...c }])));
    }
    return agg;
  }
}
