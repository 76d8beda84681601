import { expect, it } from 'vitest';
import { PostgresUsageLedger } from '../../src/billing/postgres-ledger.ts';
import type { UsageEntry } from '../../src/billing/ledger.ts';
import { createPool, migrate, readMigrations } from '../../src/state/postgres.ts';
import { StateUnavailableError } from '../../src/state/unavailable.ts';
import { useFreshSchema } from '../support/postgres.ts';
import { describeWithServers } from '../support/servers.ts';

let seq = 0;
const entry = (result: string, ts = '2026-11-23T10:00:00.000Z', org = 'acme', endpoint = '/v1/face-comparison'): UsageEntry => ({
  ts,
  request_id: `P${String(++seq).padStart(11, '0')}`,
  org_id: org,
  endpoint,
  result,
});

describeWithServers('PostgreSQL usage ledger', ['postgres'], () => {
  const db = useFreshSchema();

  it('applies the migrations once, in order, and refuses an edited one', async () => {
    expect(await migrate(db.pool)).toEqual([]);
    const { rows } = await db.pool.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(readMigrations().map((m) => m.version));
    const edited = readMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'x' } : m));
    await expect(migrate(db.pool, edited)).rejects.toThrow(/was changed after it was applied/);
  });

  it('records, and a retried write of the same request_id charges nothing more', async () => {
    const ledger = new PostgresUsageLedger(db.pool);
    const first = await ledger.record({ ...entry('CONFIRMED', '2026-11-20T10:00:00.000Z', 'retry-org'), request_id: 'SAME00000001' });
    const again = await ledger.record({ ...entry('MISMATCH', '2026-11-20T10:00:05.000Z', 'retry-org'), request_id: 'SAME00000001' });
    expect(again).toEqual(first);
    expect((await ledger.usage('retry-org')).totals).toEqual({ requests: 1, confirmed: 1, mismatch: 0, errors: 0, charged: 1 });
  });

  it('sums usage per UTC day in SQL, by endpoint and date range', async () => {
    const ledger = new PostgresUsageLedger(db.pool);
    await ledger.record(entry('CONFIRMED', '2026-11-23T23:59:59.000Z'));
    await ledger.record(entry('MISMATCH', '2026-11-24T00:00:00.000Z'));
    await ledger.record(entry('ID_NOT_FOUND', '2026-11-24T12:00:00.000Z'));
    await ledger.record(entry('FACE_MATCH', '2026-11-24T12:00:00.000Z', 'acme', '/v1/face-match'));
    await ledger.record(entry('CONFIRMED', '2026-11-24T12:00:00.000Z', 'globex'));
    const all = await ledger.usage('acme');
    expect(all.totals).toEqual({ requests: 3, confirmed: 1, mismatch: 1, errors: 1, charged: 1 });
    expect(all.daily.map((d) => [d.date, d.requests])).toEqual([
      ['2026-11-23', 1],
      ['2026-11-24', 2],
    ]);
    expect((await ledger.usage('acme', { from: '2026-11-24', to: '2026-11-24' })).totals.requests).toBe(2);
    expect((await ledger.usage('acme', { to: '2026-11-23' })).totals.requests).toBe(1);
    expect((await ledger.usage('acme', { endpoint: '/v1/face-match' })).totals.requests).toBe(1);
  });

  it('is append-only: UPDATE, DELETE and TRUNCATE are refused', async () => {
    await expect(db.pool.query("UPDATE usage_ledger SET charged = false WHERE org_id = 'acme'")).rejects.toThrow(/append-only/);
    await expect(db.pool.query("DELETE FROM usage_ledger WHERE org_id = 'acme'")).rejects.toThrow(/append-only/);
    await expect(db.pool.query('TRUNCATE usage_ledger')).rejects.toThrow(/append-only/);
  });

  it('a database that is not there is StateUnavailableError (a retryable 503), not a crash', async () => {
    const down = createPool({ url: 'postgres://postgres@127.0.0.1:1/none', connectTimeoutMs: 500 });
    const ledger = new PostgresUsageLedger(down);
    await expect(ledger.record(entry('CONFIRMED'))).rejects.toBeInstanceOf(StateUnavailableError);
    await expect(ledger.usage('acme')).rejects.toBeInstanceOf(StateUnavailableError);
    await down.end();
  });
});
