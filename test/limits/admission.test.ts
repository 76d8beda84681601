/** Admission control: bounded slots and queue, refusals before the body is read, the request deadline and its charge guard. */
import { describe, expect, it } from 'vitest';
import { createMemoryLedger } from '../../src/billing/ledger.ts';
import { AdmissionControl, AdmissionRefused, type AdmissionOptions } from '../../src/limits/admission.ts';
import { ChargeGuard, DeadlineExpiredError } from '../../src/limits/charge-guard.ts';
import { KEYS, createHarness, validBody } from '../support/app.ts';
import { createFakeEngine, selfieWithSimilarity } from '../support/fake-engine.ts';
import { ID_IMAGE } from '../support/face-match.ts';
import { discardBody } from '../../src/server/middleware/discard-body.ts';
import { gatedEngine } from './support.ts';

const OPTIONS: AdmissionOptions = { maxActive: 2, maxQueued: 1, deadlineMs: 5_000, retryAfterSeconds: 2 };
const refusal = (p: Promise<unknown>) => p.then(() => 'admitted', (e: unknown) => (e instanceof AdmissionRefused ? e.cause : `other: ${String(e)}`));

describe('AdmissionControl', () => {
  it('grants slots, queues up to the bound, refuses beyond it at once, and hands a freed slot to the queue', async () => {
    const a = new AdmissionControl(OPTIONS);
    const t1 = await a.enter();
    await a.enter();
    const queued = a.enter();
    expect(a.stats).toEqual({ active: 2, queued: 1 });
    expect(await refusal(a.enter())).toBe('full');
    t1.release();
    t1.release(); // a second release is a no-op
    await queued;
    expect(a.stats).toEqual({ active: 2, queued: 0 });
  });

  it('a queued request whose signal aborts leaves the queue', async () => {
    const a = new AdmissionControl(OPTIONS);
    await a.enter();
    await a.enter();
    const ctl = new AbortController();
    const waiting = refusal(a.enter(ctl.signal));
    ctl.abort(new AdmissionRefused('timeout'));
    expect(await waiting).toBe('timeout');
    expect(a.stats.queued).toBe(0);
  });

  it('drain refuses the queue and new requests; idle resolves when the admitted finish', async () => {
    const a = new AdmissionControl(OPTIONS);
    const t1 = await a.enter();
    const t2 = await a.enter();
    const queued = refusal(a.enter());
    a.drain();
    expect(await queued).toBe('draining');
    expect(await refusal(a.enter())).toBe('draining');
    let idle = false;
    const done = a.idle().then(() => (idle = true));
    t1.release();
    await Promise.resolve();
    expect(idle).toBe(false);
    t2.release();
    await done;
    expect(idle).toBe(true);
  });
});

describe('ChargeGuard', () => {
  it('refuses a charge after the deadline, but a charge already being written runs to its answer', async () => {
    const ledger = createMemoryLedger();
    const expired = new ChargeGuard();
    expect(expired.expire()).toBe(true);
    const entry = { ts: 't', org_id: 'o', endpoint: '/v1/face-comparison' };
    await expect(expired.wrap(ledger).record({ ...entry, request_id: 'r1', result: 'CONFIRMED' })).rejects.toBeInstanceOf(DeadlineExpiredError);
    await expired.wrap(ledger).record({ ...entry, request_id: 'r2', result: 'MISMATCH' }); // not a charge: still written
    const committed = new ChargeGuard();
    await committed.wrap(ledger).record({ ...entry, request_id: 'r3', result: 'CONFIRMED' });
    expect(committed.expire()).toBe(false);
    expect(ledger.records.map((r) => [r.result, r.charged])).toEqual([
      ['MISMATCH', false],
      ['CONFIRMED', true],
    ]);
    // Everything else delegates to the ledger itself.
    expect((await expired.wrap(ledger).usage('o')).totals.requests).toBe(2);
  });
});

/** A JSON body as a stream that delivers nothing until `arrived` resolves (an upload still in progress). */
function slowBody(json: unknown, arrived: Promise<void>): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(JSON.stringify(json));
  return new ReadableStream<Uint8Array>(
    {
      async pull(ctl) {
        await arrived;
        ctl.enqueue(bytes);
        ctl.close();
      },
    },
    { highWaterMark: 0 },
  );
}

function harnessWithAdmission(options: Partial<AdmissionOptions> = {}) {
  const engine = gatedEngine(createFakeEngine());
  const ledger = createMemoryLedger();
  const admission = new AdmissionControl({ ...OPTIONS, maxQueued: 2, ...options });
  const h = createHarness({ engine, admission, ledger });
  let arrive!: () => void;
  const arrived = new Promise<void>((r) => (arrive = r));
  /** Bodies are held back until `uploadsArrive()`. */
  const send = (path: string, json: unknown) =>
    Promise.resolve(
      h.app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.approved}` },
        body: slowBody(json, arrived),
        duplex: 'half',
      } as RequestInit),
    );
  return { h, engine, ledger, admission, send, uploadsArrive: () => arrive() };
}

describe('admission control on the routes', () => {
  it('beyond the slots and the queue, requests get 503 at once with Retry-After, before their body has arrived; the admitted all complete', async () => {
    const { engine, admission, send, uploadsArrive } = harnessWithAdmission();
    const sent = Array.from({ length: 10 }, () => send('/v1/face-comparison', validBody({ selfie: selfieWithSimilarity(0.95) })));
    // No body has arrived yet, and the six refusals are already answered.
    const early = await Promise.all(sent.slice(4));
    for (const res of early) {
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(await res.json()).toMatchObject({ success: false, code: 'SERVICE_ERROR', retryable: true, details: { reason: 'FULL' } });
    }
    expect(engine.started).toBe(0);
    expect(admission.stats).toEqual({ active: 2, queued: 2 });
    uploadsArrive();
    engine.open();
    const admitted = await Promise.all(sent.slice(0, 4));
    expect(admitted.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(admission.stats).toEqual({ active: 0, queued: 0 });
  });

  it('/v1/face-match refuses in its strict envelope (SERVICE_UNAVAILABLE)', async () => {
    const { engine, send, uploadsArrive } = harnessWithAdmission({ maxActive: 1, maxQueued: 0 });
    const first = send('/v1/face-match', { selfie: selfieWithSimilarity(0.95), idImage: ID_IMAGE });
    const second = await send('/v1/face-match', { selfie: selfieWithSimilarity(0.95), idImage: ID_IMAGE });
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('2');
    expect(await second.json()).toMatchObject({ status: 'ERROR', code: 'SERVICE_UNAVAILABLE', billable: false, result: null });
    uploadsArrive();
    engine.open();
    expect((await first).status).toBe(200);
  });

  it('the deadline answers 503, frees the slot, and the abandoned work cannot charge', async () => {
    const { engine, ledger, admission, send, uploadsArrive } = harnessWithAdmission({ maxActive: 1, maxQueued: 0, deadlineMs: 150 });
    uploadsArrive();
    const late = await send('/v1/face-comparison', validBody({ selfie: selfieWithSimilarity(0.95) }));
    expect(late.status).toBe(503);
    expect(await late.json()).toMatchObject({ code: 'SERVICE_ERROR', retryable: true, details: { reason: 'TIMEOUT' } });
    expect(admission.stats.active).toBe(0);
    // Shutdown would still wait for the abandoned work.
    let idle = false;
    const idled = admission.idle().then(() => (idle = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(idle).toBe(false);
    // The abandoned comparison now finishes CONFIRMED, but its charge is refused.
    engine.open();
    await idled;
    await new Promise((r) => setTimeout(r, 50));
    expect(ledger.records.filter((r) => r.charged)).toEqual([]);
    // The freed slot serves the next request, which is charged normally.
    const next = await send('/v1/face-comparison', validBody({ selfie: selfieWithSimilarity(0.95) }));
    expect(next.status).toBe(200);
    expect(ledger.records.filter((r) => r.charged)).toHaveLength(1);
  });

  it('while draining, new requests get 503 DRAINING', async () => {
    const { admission, send } = harnessWithAdmission();
    admission.drain();
    const res = await send('/v1/face-comparison', validBody({ selfie: selfieWithSimilarity(0.95) }));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ details: { reason: 'DRAINING' } });
  });
});

describe('discardBody', () => {
  const chunks = (n: number, size: number, onCancel: () => void) => {
    let sent = 0;
    return new ReadableStream<Uint8Array>({
      pull(ctl) {
        if (sent++ < n) ctl.enqueue(new Uint8Array(size));
        else ctl.close();
      },
      cancel: onCancel,
    });
  };

  it('reads a refused upload to its end, keeping nothing, and cuts off one past the limit', async () => {
    let cancelled = 0;
    const small = new Request('http://x/', { method: 'POST', body: chunks(3, 1024, () => cancelled++), duplex: 'half' } as RequestInit);
    discardBody(small, { maxBytes: 10_000, maxMs: 1000 });
    const large = new Request('http://x/', { method: 'POST', body: chunks(100, 1024, () => cancelled++), duplex: 'half' } as RequestInit);
    discardBody(large, { maxBytes: 10_000, maxMs: 1000 });
    await new Promise((r) => setTimeout(r, 50));
    expect(small.bodyUsed).toBe(true);
    expect(cancelled).toBe(1);
  });
});
