/**
 * Regression tests for the defects a black-box probe found (issue 11): each reproduces one finding
 * and fails on the code before its fix.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ErrorEnvelopeSchema } from '../../src/api/envelope.ts';
import { FaceMatchEnvelopeSchema } from '../../src/api/face-match.ts';
import { createAccountStore } from '../../src/accounts/store.ts';
import { createMemoryLedger } from '../../src/billing/ledger.ts';
import { httpServerOptions } from '../../src/server/http-server.ts';
import { refuseDecompressionBomb } from '../../src/service/image-guard.ts';
import { SELFIE_TARGET } from '../../src/service/errors.ts';
import { createHarness, KEYS, testAccounts, validBody } from '../support/app.ts';
import { fakeImage, selfieWithSimilarity } from '../support/fake-engine.ts';
import { ID_IMAGE, post } from '../support/face-match.ts';
import { IDENTITY, IDS } from '../support/registry.ts';
import { hasSharedData, sharedImage } from '../support/shared-data.ts';

const ROUTES = ['/v1/face-comparison', '/v1/face-match', '/v1/face-match-report'] as const;
const GOOD = selfieWithSimilarity(0.95);
const bodyFor = (route: string) => (route === '/v1/face-comparison' ? validBody({ selfie: GOOD }) : { selfie: GOOD, idImage: ID_IMAGE });

/** The answer is in the route's contract envelope. */
function expectEnvelope(route: string, json: unknown): void {
  const schema = route === '/v1/face-match' ? FaceMatchEnvelopeSchema : ErrorEnvelopeSchema;
  expect(schema.safeParse(json).success, JSON.stringify(json).slice(0, 300)).toBe(true);
}

describe('finding 1: a malformed Content-Type is a 400 contract error, never a 500', () => {
  const headers = ['application/json;', 'application/json;;', 'application/json; charset', 'application/json; charset=utf-8;', 'application/json ;x', 'application/jsonx', 'text/plain', 'application/json, text/plain'];
  for (const route of ROUTES) {
    it.each(headers)(`${route} with Content-Type %j`, async (contentType) => {
      const h = createHarness();
      const res = await post(h, route, bodyFor(route), { headers: { 'content-type': contentType } });
      expect(res.status).toBe(400);
      expectEnvelope(route, await res.json());
    });
  }

  it('still accepts a well-formed JSON Content-Type with parameters', async () => {
    const h = createHarness();
    for (const contentType of ['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset="utf-8"']) {
      const res = await post(h, '/v1/face-comparison', validBody({ selfie: GOOD }), { headers: { 'content-type': contentType } });
      expect(res.status, contentType).toBe(200);
    }
  });
});

describe('finding 5: no identity record on MISMATCH or on any error', () => {
  it('a MISMATCH answer holds only what the caller sent, masked', async () => {
    const h = createHarness();
    const res = await h.compare(validBody({ selfie: selfieWithSimilarity(0.2) }));
    const json = await res.json();
    expect(json.data.match_result).toBe('MISMATCH');
    expect(json.data.identity).toEqual({ record: 'WITHHELD', id_type: 'TEST_ID', id_number: '******78' });
    const text = JSON.stringify(json);
    for (const value of [IDENTITY.full_name, IDENTITY.first_name, IDENTITY.last_name, IDENTITY.date_of_birth]) expect(text).not.toContain(value);
    expect(text).not.toContain(IDS.found);
  });

  it('errors carry no identity data', async () => {
    const h = createHarness();
    for (const id_number of [IDS.noRecord, IDS.noPhoto, IDS.noFaceInPhoto, IDS.photoNotImage, IDS.down, IDS.restricted]) {
      const json = await (await h.compare(validBody({ selfie: GOOD, id_number }))).json();
      expect(json.success).toBe(false);
      expect(json.data).toBeNull();
      expect(JSON.stringify(json)).not.toContain(IDENTITY.full_name);
    }
  });
});

describe('finding 6: a face-less selfie cannot tell known numbers from unknown ones', () => {
  it('every number gets the same LANDMARKS_NOT_FOUND answer until a face is found', async () => {
    const h = createHarness();
    const answers = new Set<string>();
    for (const id_number of [IDS.found, IDS.noRecord, IDS.noPhoto, IDS.restricted, IDS.noFaceInPhoto, IDS.photoNotImage]) {
      const res = await h.compare(validBody({ selfie: fakeImage('NOFACE'), id_number }));
      const json = await res.json();
      answers.add(JSON.stringify({ status: res.status, ...json, meta: null }));
    }
    expect(answers.size).toBe(1);
    expect(JSON.parse([...answers][0]!)).toMatchObject({ status: 422, code: 'LANDMARKS_NOT_FOUND', details: { image: 'selfie' } });
  });
});

describe('finding 8: the threshold floor', () => {
  it('refuses thresholds below 0.60 on the face comparison (contract error, nothing recorded or charged)', async () => {
    const ledger = createMemoryLedger();
    const h = createHarness({ ledger });
    for (const threshold of [0, 0.3, 0.59]) {
      const res = await h.compare(validBody({ selfie: selfieWithSimilarity(0.2), threshold }));
      expect(res.status).toBe(400);
      const json = await res.json();
      expect(json).toMatchObject({ code: 'INVALID_THRESHOLD_RANGE', details: { threshold: expect.stringContaining('0.60') } });
    }
    expect(ledger.records).toEqual([]);
    expect((await h.compare(validBody({ selfie: selfieWithSimilarity(0.9), threshold: 0.6 }))).status).toBe(200);
  });

  it('applies an organisation floor and raises the default threshold to it', async () => {
    const accounts = testAccounts();
    const strict = createAccountStore({ ...accounts, organisations: accounts.organisations.map((o) => ({ ...o, threshold_floor: 0.8 })) });
    const h = createHarness({ accounts: strict });
    expect((await h.compare(validBody({ selfie: GOOD, threshold: 0.75 }))).status).toBe(400);
    const json = await (await h.compare(validBody({ selfie: selfieWithSimilarity(0.78) }))).json();
    expect(json.data.confidence.threshold).toBe(0.8);
    expect(json.data.match_result).toBe('MISMATCH');
  });

  it('refuses thresholds below 60 on the 0–100 routes', async () => {
    const h = createHarness();
    const fm = await post(h, '/v1/face-match', { selfie: GOOD, idImage: ID_IMAGE, threshold: 59 });
    expect(fm.status).toBe(400);
    expect(await fm.json()).toMatchObject({ status: 'ERROR', code: 'INVALID_REQUEST', billable: false, errors: [{ field: 'threshold' }] });
    const report = await post(h, '/v1/face-match-report', { selfie: GOOD, idImage: ID_IMAGE, approval_threshold: 0, review_threshold: 0 });
    expect(report.status).toBe(400);
    expect(await report.json()).toMatchObject({ code: 'VALIDATION_ERROR', details: { approval_threshold: expect.stringContaining('60') } });
  });
});

describe('finding 10: HTTP hygiene', () => {
  it('a body that breaks off mid-stream is a 400 contract error, not an error-level 500', async () => {
    for (const route of ROUTES) {
      const h = createHarness();
      const partial = new TextEncoder().encode('{"selfie":"' + 'A'.repeat(1000));
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(partial);
        },
        pull(controller) {
          controller.error(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
        },
      });
      const res = await h.app.request(route, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.approved}`, 'transfer-encoding': 'chunked' },
        body,
        duplex: 'half',
      } as RequestInit);
      expect(res.status, route).toBe(400);
      expectEnvelope(route, await res.json());
      expect(h.logLines.some((l) => l.includes('"level":"error"')), route).toBe(false);
    }
  });

  it.each([
    ['lower-case scheme', `bearer ${KEYS.approved}`],
    ['tab separator', `Bearer\t${KEYS.approved}`],
    ['two spaces', `Bearer  ${KEYS.approved}`],
    ['text after the token', `Bearer ${KEYS.approved} x`],
    ['two tokens', `Bearer ${KEYS.approved},${KEYS.approved}`],
    ['no token', 'Bearer '],
    ['other scheme', `Basic ${KEYS.approved}`],
  ])('refuses a malformed Authorization header (%s)', async (_what, authorization) => {
    const h = createHarness();
    for (const route of ROUTES) {
      const res = await post(h, route, bodyFor(route), { key: null, headers: { authorization } });
      expect(res.status, route).toBe(401);
      expectEnvelope(route, await res.json());
    }
  });

  it('refuses a decompression bomb under the pixel cap as an uncharged input error on /v1/face-match', async () => {
    const bomb = (await sharp({ create: { width: 3000, height: 3000, channels: 3, background: '#ffffff' } }).png().toBuffer()).toString('base64');
    const ledger = createMemoryLedger();
    const h = createHarness({ ledger });
    for (const body of [{ selfie: bomb, idImage: ID_IMAGE }, { selfie: GOOD, idImage: bomb }]) {
      const res = await post(h, '/v1/face-match', body);
      expect(res.status).toBe(400);
      const json = await res.json();
      expect(json).toMatchObject({ status: 'ERROR', code: 'INVALID_REQUEST', billable: false, errors: [{ reason: 'IMAGE_TOO_LARGE' }] });
    }
    expect(ledger.records.map((r) => [r.result, r.charged])).toEqual([
      ['INVALID_REQUEST', false],
      ['INVALID_REQUEST', false],
    ]);
    const comparison = await h.compare(validBody({ selfie: bomb }));
    expect(comparison.status).toBe(400);
    expect(await comparison.json()).toMatchObject({ code: 'INVALID_INPUT', details: { reason: 'IMAGE_TOO_LARGE' } });
  });

  it.skipIf(!hasSharedData)('lets a large real photo through the bomb guard', async () => {
    const photo = await sharp(sharedImage('faces/obama/obama1.jpg')).resize(2400, 1800).jpeg({ quality: 90 }).toBuffer();
    await expect(refuseDecompressionBomb(photo.toString('base64'), SELFIE_TARGET)).resolves.toBeUndefined();
  });

  it('sends nosniff and HSTS-ready headers on every answer, errors included', async () => {
    const h = createHarness();
    for (const res of [await h.compare(validBody({ selfie: GOOD })), await h.compare('{', {}), await h.app.request('/health'), await h.app.request('/nope')]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(res.headers.get('x-frame-options')).toBeTruthy();
    }
  });

  it('CORS is off by default: a preflight gets 204 without Allow-Origin', async () => {
    const h = createHarness();
    const res = await h.app.request('/v1/face-comparison', { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const post = await h.compare(validBody({ selfie: GOOD }), { headers: { origin: 'https://evil.example' } });
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('CORS answers configured origins only', async () => {
    const h = createHarness({ corsOrigins: ['https://app.example.com'] });
    const allowed = await h.app.request('/v1/face-comparison', { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
    const other = await h.compare(validBody({ selfie: GOOD }), { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('writes one audit line per request: key id, organisation, endpoint, masked id, verdict; no biometrics', async () => {
    const h = createHarness();
    await h.compare(validBody({ selfie: GOOD }));
    await h.compare(validBody({ selfie: GOOD, id_number: IDS.noRecord }));
    const lines = h.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ path: '/v1/face-comparison', status: 200, key_id: 'k1', org_id: 'acme', id_type: 'TEST_ID', id_number_masked: '******78', result: 'CONFIRMED' });
    expect(lines[1]).toMatchObject({ status: 404, key_id: 'k1', id_number_masked: '******04', result: 'ID_NOT_FOUND' });
    const all = h.logLines.join('\n');
    expect(all).not.toContain(GOOD);
    expect(all).not.toContain(IDS.found);
    expect(all).not.toContain(IDS.noRecord);
  });
});

describe('finding 10: slow clients are cut off by the server timeouts', () => {
  /** Opens a socket, sends `data`, resolves with what the server said once it closes the connection. */
  function slowClient(port: number, data: string): Promise<{ closed: boolean; reply: string }> {
    return new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      let reply = '';
      const giveUp = setTimeout(() => {
        socket.destroy();
        resolve({ closed: false, reply });
      }, 5_000);
      socket.on('connect', () => socket.write(data));
      socket.on('data', (chunk) => (reply += chunk.toString('latin1')));
      socket.on('close', () => {
        clearTimeout(giveUp);
        resolve({ closed: true, reply });
      });
      socket.on('error', () => undefined);
    });
  }

  it('closes a connection whose headers or body never finish', async () => {
    const h = createHarness();
    const server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1', serverOptions: httpServerOptions({ headersTimeoutMs: 300, requestTimeoutMs: 600 }) });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const { port } = server.address() as AddressInfo;
    try {
      const [headers, body] = await Promise.all([
        slowClient(port, 'POST /v1/face-comparison HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer '),
        slowClient(port, `POST /v1/face-comparison HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nAuthorization: Bearer ${KEYS.approved}\r\n\r\n{"selfie":`),
      ]);
      expect(headers.closed).toBe(true);
      expect(headers.reply).toMatch(/^HTTP\/1\.1 408/);
      expect(body.closed).toBe(true);
    } finally {
      server.close();
    }
  });
});
