/** Graceful shutdown against a real listening server: in-flight requests finish and are charged before the ledger closes. */
import { connect, type AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { describe, expect, it } from 'vitest';
import { createMemoryLedger } from '../../src/billing/ledger.ts';
import { AdmissionControl } from '../../src/limits/admission.ts';
import { createShutdown } from '../../src/limits/shutdown.ts';
import { createMemoryLogger } from '../../src/logging/logger.ts';
import { override } from '../../src/lib/override.ts';
import { KEYS, createHarness, validBody } from '../support/app.ts';
import { createFakeEngine, selfieWithSimilarity } from '../support/fake-engine.ts';
import { gatedEngine } from './support.ts';

async function startServer(deadlineMs: number) {
  const engine = gatedEngine(createFakeEngine());
  const events: string[] = [];
  const memory = createMemoryLedger();
  const ledger = override(memory, {
    record: async (entry) => {
      const rec = await memory.record(entry);
      events.push(`record ${rec.result}`);
      return rec;
    },
    close: async () => void events.push('ledger closed'),
  });
  const admission = new AdmissionControl({ maxActive: 2, maxQueued: 2, deadlineMs: 10_000, retryAfterSeconds: 1 });
  const h = createHarness({ engine, ledger, admission });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const { logger } = createMemoryLogger('debug');
  const stop = createShutdown({ server, admission, deadlineMs, logger, closers: [{ name: 'ledger', close: () => ledger.close() }] });
  const compare = () =>
    fetch(`${url}/v1/face-comparison`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.approved}` },
      body: JSON.stringify(validBody({ selfie: selfieWithSimilarity(0.95) })),
    });
  return { engine, events, stop, compare, port, server };
}

describe('graceful shutdown', () => {
  it('stops accepting, lets the admitted request finish and be charged, then closes the ledger', async () => {
    const s = await startServer(5_000);
    const inFlight = s.compare();
    while (s.engine.started === 0) await new Promise((r) => setTimeout(r, 5));
    const stopped = s.stop('SIGTERM');
    // The listening socket is closed: a new connection is refused.
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(s.port, '127.0.0.1');
      socket.once('connect', () => resolve('connected'));
      socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
    s.engine.open();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect((await res.json()).data.match_result).toBe('CONFIRMED');
    expect(await stopped).toBe(0);
    expect(s.events).toEqual(['record CONFIRMED', 'ledger closed']);
  });

  it('past the deadline it closes anyway and reports a non-zero exit code', async () => {
    const s = await startServer(100);
    const inFlight = s.compare().catch(() => undefined);
    while (s.engine.started === 0) await new Promise((r) => setTimeout(r, 5));
    expect(await s.stop('SIGTERM')).toBe(1);
    expect(s.events).toEqual(['ledger closed']);
    s.engine.open();
    (s.server as import('node:http').Server).closeAllConnections();
    await inFlight;
  });
});
