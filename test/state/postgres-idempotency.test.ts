import { expect, it } from 'vitest';
import { createMemoryLedger } from '../../src/billing/ledger.ts';
import { createPostgresIdempotencyStore } from '../../src/state/idempotency/postgres-store.ts';
import { IDEMPOTENCY_LEASE_MS } from '../../src/state/idempotency/store.ts';
import { createHarness, validBody } from '../support/app.ts';
import { selfieWithSimilarity } from '../support/fake-engine.ts';
import { useFreshSchema } from '../support/postgres.ts';
import { describeWithServers } from '../support/servers.ts';

describeWithServers('PostgreSQL idempotency store', ['postgres'], () => {
  const db = useFreshSchema();

  it('two replicas share the records: a retry on B replays the answer A gave, uncharged', async () => {
    const ledger = createMemoryLedger();
    const a = createHarness({ ledger, idempotency: createPostgresIdempotencyStore(db.pool) });
    const b = createHarness({ ledger, idempotency: createPostgresIdempotencyStore(db.pool) });
    const body = validBody({ selfie: selfieWithSimilarity(0.95) });
    const headers = { 'Idempotency-Key': '8f0c7d3e-retry' };
    const first = await a.compare(body, { headers });
    const firstText = await first.text();
    const onB = await b.compare(body, { headers });
    expect(onB.headers.get('idempotent-replayed')).toBe('true');
    expect(await onB.text()).toBe(firstText);
    const reused = await b.compare(validBody({ selfie: selfieWithSimilarity(0.3) }), { headers });
    expect(reused.status).toBe(409);
    expect(ledger.records).toHaveLength(1);
    const { rows } = await db.pool.query('SELECT key_hash, request_hash, status, response FROM idempotency_keys');
    expect(rows).toHaveLength(1);
    expect(rows[0].key_hash).not.toContain('8f0c7d3e');
    expect(Buffer.from(rows[0].response).toString('latin1')).not.toContain('CONFIRMED');
  });

  it('claims: one winner among concurrent first requests; a dead claim is taken over after its lease', async () => {
    const store = createPostgresIdempotencyStore(db.pool);
    const scope = { orgId: 'acme', keyHash: 'k'.repeat(64) };
    const t0 = new Date('2026-11-23T12:00:00.000Z');
    const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => store.begin(scope, 'h1', t0, `REQ${i}`)));
    const winners = claims.filter((c) => c.state === 'new');
    expect(winners).toHaveLength(1);
    expect(claims.filter((c) => c.state === 'in_progress')).toHaveLength(7);
    expect((await store.begin(scope, 'h2', t0, 'OTHER')).state).toBe('mismatch');
    // The claimant died (kill -9): after the lease the same request runs again, under the dead one's id.
    expect(await store.begin(scope, 'h1', new Date(t0.getTime() + IDEMPOTENCY_LEASE_MS + 1), 'RETRY')).toEqual(winners[0]);
    await store.complete(scope, 'h1', { status: 200, sealed: new Uint8Array([1, 2, 3]) }, t0);
    expect(await store.begin(scope, 'h1', t0, 'R2')).toEqual({ state: 'replay', answer: { status: 200, sealed: new Uint8Array([1, 2, 3]) } });
    await store.release(scope, 'h1'); // a finished record is not released
    expect((await store.begin(scope, 'h1', t0, 'R3')).state).toBe('replay');
  });
});
