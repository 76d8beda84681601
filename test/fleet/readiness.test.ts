/**
 * GET /ready follows the shared backends: one real replica on a private PostgreSQL and Redis of its
 * own (started here, so they can be stopped). While a backend is down the replica is not ready and a
 * verification gets a retryable 503 with Retry-After, recorded uncharged or not at all, never a 200;
 * once the backend is back the replica is ready again and verifies again, without a restart.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveFacePath } from '../../mocks/demo-identities.ts';
import { fleetEnv, startReplica, type Replica } from '../../scripts/fleet-replicas.ts';
import { DEMO_KEY } from '../support/fleet.ts';
import { describeWithServers, TEST_SERVERS_SCRIPT } from '../support/servers.ts';

const run = promisify(execFile);
const servers = (command: string, dir: string) => run('bash', [TEST_SERVERS_SCRIPT, command, dir]);

/** How long a state change may take to show on /ready (a check times out after 2 s; reconnects back off up to 2 s). */
const SETTLE_MS = 15_000;

describeWithServers('/ready follows PostgreSQL and Redis', ['packages', 'photos'], () => {
  let dir: string;
  let databaseUrl: string;
  let replica: Replica;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'facematch-ready-'));
    await servers('start', dir);
    const env = Object.fromEntries([...readFileSync(path.join(dir, 'env'), 'utf8').matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
    databaseUrl = env.TEST_DATABASE_URL!;
    // Several verifications of one ID number: the per-ID attempt limit is not what this suite tests.
    replica = await startReplica('R', {
      ...fleetEnv(databaseUrl, env.TEST_REDIS_URL!),
      FACEMATCH_LIMIT_ID_ATTEMPTS: '1000/3600',
      FACEMATCH_LOCKOUT_ID: '1000/3600',
      FACEMATCH_LOCKOUT_KEY_ID: '1000/3600',
    });
  }, 60_000);

  afterAll(async () => {
    await replica?.stop();
    if (dir) await servers('stop', dir);
  }, 30_000);

  const ready = async () => {
    const res = await fetch(`${replica.url}/ready`);
    return { status: res.status, checks: (await res.json()).checks as Record<string, string> };
  };

  /** Poll /ready until it answers `status`, within SETTLE_MS. */
  const readyBecomes = async (status: 200 | 503) => {
    const deadline = Date.now() + SETTLE_MS;
    for (;;) {
      const r = await ready();
      if (r.status === status || Date.now() > deadline) return r;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  const verify = async () => {
    const res = await fetch(`${replica.url}/v1/face-comparison`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEMO_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id_type: 'PE_DNI', id_number: '27182818', selfie: readFileSync(resolveFacePath('../shared/data/faces/penny/penny2.png')).toString('base64') }),
    });
    return { res, body: await res.json() };
  };

  /** The ledger rows of the given request ids (PostgreSQL must be up). */
  const ledgerRows = async (requestIds: string[]) => {
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      return (await db.query<{ request_id: string; charged: boolean }>('SELECT request_id, charged FROM usage_ledger WHERE request_id = ANY($1)', [requestIds])).rows;
    } finally {
      await db.end();
    }
  };

  /** While a backend is down: a retryable 503 with Retry-After; returns its request id. */
  const expectRetryable503 = async () => {
    const { res, body } = await verify();
    expect(res.status, JSON.stringify(body)).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(body.code).toBe('SERVICE_ERROR');
    expect(body.retryable).toBe(true);
    expect(body.meta.request_id).toEqual(expect.any(String));
    return body.meta.request_id as string;
  };

  const expectConfirmed = async () => {
    const { res, body } = await verify();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.data.match_result).toBe('CONFIRMED');
    return body.meta.request_id as string;
  };

  it('is ready with both backends up', async () => {
    const r = await ready();
    expect(r).toEqual({ status: 200, checks: { models: 'ok', accepting: 'ok', postgres: 'ok', redis: 'ok' } });
  });

  it.each([
    { backend: 'postgres', other: 'redis' },
    { backend: 'redis', other: 'postgres' },
  ] as const)('goes not ready while $backend is stopped, answers a retryable 503 (never an unrecorded 200), and recovers when it is back', async ({ backend, other }) => {
    const before = await expectConfirmed();

    await servers(`stop-${backend}`, dir);
    const down = await readyBecomes(503);
    expect(down.status).toBe(503);
    expect(down.checks).toMatchObject({ [backend]: 'failed', [other]: 'ok' });
    const refused = await expectRetryable503();

    await servers(`start-${backend}`, dir);
    const up = await readyBecomes(200);
    expect(up.status).toBe(200);
    expect(up.checks[backend]).toBe('ok');
    const after = await expectConfirmed();

    // Both answers CONFIRMED are charged; the refused request is not (it could not be recorded at all).
    const rows = await ledgerRows([before, after, refused]);
    expect(rows.filter((r) => r.charged).map((r) => r.request_id).sort()).toEqual([before, after].sort());
  }, 45_000);
});
