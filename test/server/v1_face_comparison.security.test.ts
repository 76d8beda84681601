import { describe, expect, it } from 'vitest';
import { createHarness, KEYS, validBody } from '../support/app.ts';
import { selfieWithSimilarity } from '../support/fake-engine.ts';
import { IDS } from '../support/registry.ts';

const GOOD = selfieWithSimilarity(0.9);

describe('POST /v1/face-comparison: authentication (401 UNAUTHORIZED)', () => {
  it.each([
    ['no Authorization header', null, undefined],
    ['a Basic header', null, { authorization: 'Basic dXNlcjpwYXNz' }],
    ['an empty bearer token', null, { authorization: 'Bearer ' }],
    ['an unknown key', 'fm_not_a_real_key_000000000000000000', undefined],
    ['a revoked key', KEYS.revoked, undefined],
  ])('rejects %s', async (_what, key, headers) => {
    const h = createHarness();
    const res = await h.compare(validBody({ selfie: GOOD }), { key, headers });
    expect(res.status).toBe(401);
    const body = await res.json();
    expect(body).toMatchObject({ success: false, code: 'UNAUTHORIZED', data: null, retryable: false });
    expect(body.meta.request_id).toHaveLength(12);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(h.registry.adapter.lookups).toBe(0);
    expect(h.engine.calls.selfie).toBe(0);
  });

  it('authenticates before reading the body (bad JSON without a key is 401)', async () => {
    const h = createHarness();
    const res = await h.compare('{not json', { key: null });
    expect(res.status).toBe(401);
  });

  it('accepts only the exact form `Bearer <key>` (issue 11, finding 10: `bearer` was accepted)', async () => {
    const h = createHarness();
    const res = await h.compare(validBody({ selfie: GOOD }), { key: null, headers: { authorization: `bearer ${KEYS.approved}` } });
    expect(res.status).toBe(401);
    expect((await h.compare(validBody({ selfie: GOOD }), { key: null, headers: { authorization: `Bearer ${KEYS.approved}` } })).status).toBe(200);
  });
});

describe('POST /v1/face-comparison: size limits (413 PAYLOAD_TOO_LARGE)', () => {
  it('rejects a body over the server limit', async () => {
    const h = createHarness({ limits: { maxBodyBytes: 4096 } });
    const res = await h.compare(validBody({ selfie: 'A'.repeat(8192) }));
    expect(res.status).toBe(413);
    const body = await res.json();
    expect(body).toMatchObject({ success: false, code: 'PAYLOAD_TOO_LARGE', data: null });
    expect(body.meta.request_id).toHaveLength(12);
    expect(h.engine.calls.selfie).toBe(0);
  });

  it('rejects a body whose Content-Length is over the limit', async () => {
    const h = createHarness({ limits: { maxBodyBytes: 4096 } });
    const payload = JSON.stringify(validBody({ selfie: 'A'.repeat(8192) }));
    const res = await h.compare(payload, { headers: { 'content-length': String(Buffer.byteLength(payload)) } });
    expect(res.status).toBe(413);
  });

  it('rejects a selfie over 10 MB decoded, before the engine or the registry run', async () => {
    const h = createHarness();
    const selfie = Buffer.alloc(10 * 1024 * 1024 + 16, 1).toString('base64');
    const res = await h.compare(validBody({ selfie }));
    expect(res.status).toBe(413);
    const body = await res.json();
    expect(body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(body.details).toMatchObject({ field: 'selfie' });
    expect(h.engine.calls.selfie).toBe(0);
    expect(h.registry.adapter.lookups).toBe(0);
  });
});

describe('privacy of logs and responses', () => {
  it('logs JSON lines with the request id, and never the selfie, the photo, an embedding, the key or the ID number', async () => {
    const h = createHarness();
    const res = await h.compare(validBody({ selfie: GOOD }));
    const body = await res.json();
    await h.compare(validBody({ selfie: GOOD, id_number: IDS.noRecord }));
    await h.compare(validBody({ selfie: 'not base64!', id_number: '87654321' }));
    expect(h.logLines.length).toBeGreaterThan(3);
    const parsed = h.logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const line of parsed) expect(line.request_id).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(parsed.some((l) => l.request_id === body.meta.request_id && l.msg === 'face comparison decided')).toBe(true);
    const all = h.logLines.join('\n');
    expect(all).not.toContain(GOOD);
    expect(all).not.toContain('FAKEIMG');
    expect(all).not.toContain('12345678');
    expect(all).not.toContain(IDS.noRecord);
    expect(all).not.toContain('87654321');
    expect(all).not.toContain(KEYS.approved);
    expect(all).not.toMatch(/embedding/);
    expect(all).toContain('"id_number_masked":"******78"');
  });

  it('does not echo the selfie in error responses', async () => {
    const h = createHarness();
    const bad = Buffer.from('%PDF-1.4 secret document').toString('base64');
    const res = await h.compare(validBody({ selfie: bad }));
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain(bad);
  });

  it('gives every request a distinct request id', async () => {
    const h = createHarness();
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const res = await h.app.request('/health');
      ids.add(res.headers.get('x-request-id')!);
    }
    expect(ids.size).toBe(20);
    for (const id of ids) expect(id).toHaveLength(12);
  });

  it('marks responses as not cacheable', async () => {
    const h = createHarness();
    const res = await h.compare(validBody({ selfie: GOOD }));
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('request id on collaborators\' log lines', () => {
  it('tags lines logged by long-lived loggers during a request with its request id', async () => {
    const h = createHarness();
    const router = h.registry.router;
    const original = router.lookup.bind(router);
    router.lookup = async (...args) => {
      h.services.logger.child({ component: 'registry' }).info('registry lookup');
      return original(...args);
    };
    const body = await (await h.compare(validBody({ selfie: GOOD }))).json();
    const line = h.logLines.map((l) => JSON.parse(l)).find((l) => l.msg === 'registry lookup');
    expect(line).toMatchObject({ component: 'registry', request_id: body.meta.request_id });
  });
});
