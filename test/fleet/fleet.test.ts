/**
 * Two real replicas on real PostgreSQL and Redis: what one replica stores, the other sees; the
 * ledger is one; kill -9 of a replica under load loses no charged result and counts none twice.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveFacePath } from '../../mocks/demo-identities.ts';
import { readFileSync } from 'node:fs';
import { DEMO_KEY, startFleet, type Fleet } from '../support/fleet.ts';
import { describeWithServers } from '../support/servers.ts';

const photo = (p: string) => readFileSync(resolveFacePath(p)).toString('base64');

function post(base: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${DEMO_KEY}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

const usage = async (base: string) => (await (await fetch(`${base}/v1/usage`, { headers: { authorization: `Bearer ${DEMO_KEY}` } })).json()).data.totals;

describeWithServers('a fleet of two replicas', ['postgres', 'redis', 'photos'], () => {
  let fleet: Fleet;
  let A: string;
  let B: string;
  beforeAll(async () => {
    // These tests send one ID number many times: the per-ID attempt limit is not what they test.
    fleet = await startFleet({ env: { FACEMATCH_LIMIT_ID_ATTEMPTS: '1000/3600', FACEMATCH_LOCKOUT_ID: '1000/3600', FACEMATCH_LOCKOUT_KEY_ID: '1000/3600' } });
    [A, B] = fleet.replicas.map((r) => r.url) as [string, string];
  }, 240_000);
  afterAll(async () => fleet?.stop(), 60_000);

  const penny = () => ({ id_type: 'PE_DNI', id_number: '27182818', selfie: photo('../shared/data/faces/penny/penny2.png') });

  it('a report link created on replica A opens on replica B', async () => {
    const res = await post(A, '/v1/face-match-report', { selfie: photo('../shared/data/faces/obama/obama2.jpg'), idImage: photo('../shared/data/faces/obama/obama1.jpg') });
    expect(res.status).toBe(200);
    const { face_match } = await res.json();
    for (const link of [face_match.source_image, face_match.target_image]) {
      const onB = await fetch(new URL(link, B));
      expect(onB.status).toBe(200);
      expect(onB.headers.get('content-type')).toBe('image/jpeg');
      expect((await onB.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
  });

  it('a reference cached by A is a hit on B', async () => {
    const first = await (await post(A, '/v1/face-comparison', penny())).json();
    expect(first.data.match_result).toBe('CONFIRMED');
    expect(first.meta.cache).toBe('miss');
    const onB = await (await post(B, '/v1/face-comparison', penny())).json();
    expect(onB.meta.cache).toBe('hit');
    expect(onB.data.confidence.score).toBe(first.data.confidence.score);
  });

  it('an Idempotency-Key retried on the other replica replays the first answer, charged once', async () => {
    const before = await usage(A);
    const headers = { 'Idempotency-Key': `fleet-${Date.now()}` };
    const first = await post(A, '/v1/face-comparison', penny(), headers);
    const again = await post(B, '/v1/face-comparison', penny(), headers);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.text()).toBe(await first.text());
    expect((await usage(B)).charged).toBe(before.charged + 1);
  });

  it('the ledger totals of both replicas are the same and add up to the table', async () => {
    const [a, b] = await Promise.all([usage(A), usage(B)]);
    expect(a).toEqual(b);
    const { rows } = await fleet.db.query("SELECT count(*)::int AS requests, count(*) FILTER (WHERE charged)::int AS charged FROM usage_ledger WHERE org_id = 'demo' AND endpoint = '/v1/face-comparison'");
    expect(a.requests).toBe(rows[0].requests);
    expect(a.charged).toBe(rows[0].charged);
  });

  it('kill -9 of one replica mid-load loses no charged result and counts none twice', async () => {
    const { rows: startRows } = await fleet.db.query('SELECT count(*)::int AS n FROM usage_ledger');
    const body = penny();
    const delivered: string[] = [];
    let broken = 0;
    let sent = 0;
    let inFlightOnB = 0;
    let doneOnB = 0;
    let killed = false;
    const victim = fleet.replicas[1]!;
    const one = async (i: number) => {
      const onB = i % 2 === 1 && !killed;
      const base = onB ? B : A;
      sent++;
      if (onB) inFlightOnB++;
      try {
        const res = await post(base, '/v1/face-comparison', body);
        const json = await res.json();
        if (res.status === 200 && json.data.match_result === 'CONFIRMED') delivered.push(json.meta.request_id);
        else throw new Error(`unexpected ${res.status} ${json.code}`);
        if (onB) doneOnB++;
      } catch (err) {
        if (!onB) throw err;
        broken++; // the connection died with the replica
      } finally {
        if (onB) inFlightOnB--;
      }
      // Kill B while it is serving a request, once it has served a few.
      if (!killed && doneOnB >= 3 && inFlightOnB > 0) {
        killed = true;
        victim.child.kill('SIGKILL');
      }
    };
    // 4 clients, 24 requests, alternating replicas.
    let next = 0;
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (next < 24) await one(next++);
    }));
    if (!killed) {
      killed = true;
      victim.child.kill('SIGKILL');
    }
    await victim.exited;

    const { rows } = await fleet.db.query('SELECT request_id, charged FROM usage_ledger ORDER BY id OFFSET $1', [startRows[0].n]);
    const charged = new Set(rows.filter((r) => r.charged).map((r) => r.request_id as string));
    // No lost charge: every CONFIRMED answer a client received is in the ledger, charged.
    for (const id of delivered) expect(charged.has(id)).toBe(true);
    // None counted twice: one row per request id, no more rows than requests sent; an answer lost
    // with the replica may have been charged (it was recorded before the answer), nothing more.
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(rows.length);
    expect(rows.length).toBeLessThanOrEqual(sent);
    expect(charged.size - delivered.length).toBeGreaterThanOrEqual(0);
    expect(charged.size - delivered.length).toBeLessThanOrEqual(broken);
    // The surviving replica reports exactly what the table holds.
    const { rows: totals } = await fleet.db.query("SELECT count(*) FILTER (WHERE charged)::int AS charged FROM usage_ledger WHERE org_id = 'demo' AND endpoint = '/v1/face-comparison'");
    expect((await usage(A)).charged).toBe(totals[0].charged);
  }, 120_000);
});
