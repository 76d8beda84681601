import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { http as mswHttp, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, parseRetryAfter } from '../../src/registry/http.ts';
import { RegistryError } from '../../src/registry/types.ts';

describe('createHttpClient against a real socket (undici Agent as dispatcher)', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2_000);
      if (req.url === '/big') return void res.end(Buffer.alloc(64 * 1024, 1));
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ method: req.method, connection: req.headers.connection ?? null }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('performs requests and returns the body', async () => {
    const client = createHttpClient({ timeoutMs: 1_000 });
    const res = await client.request({ url: `${base}/x`, method: 'POST', body: 'hi' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text()).method).toBe('POST');
    await client.close();
  });

  it('maps a deadline overrun to UNAVAILABLE', async () => {
    const client = createHttpClient({ timeoutMs: 150 });
    const started = Date.now();
    const err = await client.request({ url: `${base}/slow` }).catch((e) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect(err.kind).toBe('UNAVAILABLE');
    expect(err.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_500);
    await client.close();
  });

  it('caps the response size (MALFORMED)', async () => {
    const client = createHttpClient({ timeoutMs: 1_000, maxResponseBytes: 1024 });
    const err = await client.request({ url: `${base}/big` }).catch((e) => e);
    expect(err.kind).toBe('MALFORMED');
    await client.close();
  });

  it('maps a refused connection to UNAVAILABLE', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const client = createHttpClient({ timeoutMs: 1_000 });
    const err = await client.request({ url: `http://127.0.0.1:${port}/` }).catch((e) => e);
    expect(err.kind).toBe('UNAVAILABLE');
    await client.close();
  });

  it('a cancelled caller signal is UNAVAILABLE but not retryable', async () => {
    const client = createHttpClient({ timeoutMs: 5_000 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const err = await client.request({ url: `${base}/slow`, signal: ac.signal }).catch((e) => e);
    expect(err.kind).toBe('UNAVAILABLE');
    expect(err.retryable).toBe(false);
    await client.close();
  });
});

describe('createHttpClient under msw (global fetch is intercepted)', () => {
  const server = setupServer(mswHttp.get('https://registry.test/ping', () => HttpResponse.json({ pong: true })));
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  it('reaches the msw handler even though a dispatcher is passed', async () => {
    const client = createHttpClient();
    const res = await client.request({ url: 'https://registry.test/ping' });
    expect(JSON.parse(res.text())).toEqual({ pong: true });
    await client.close();
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120')).toBe(120);
    expect(parseRetryAfter(new Date(10_000 + 30_000).toUTCString(), 10_000)).toBe(30);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
