import { describe, expect, it } from 'vitest';
import { createMemoryLedger } from '../../src/billing/ledger.ts';
import { createHarness, KEYS } from '../support/app.ts';
import { selfieWithSimilarity } from '../support/fake-engine.ts';
import { ID_IMAGE, post } from '../support/face-match.ts';

const PATH = '/v1/face-match-report';
const GOOD = selfieWithSimilarity(0.95);

describe('POST /v1/face-match-report: authentication', () => {
  it.each([
    ['no Authorization header', null],
    ['an unknown key', 'fm_not_a_real_key_000000000000000000'],
    ['a revoked key', KEYS.revoked],
  ])('answers 401 UNAUTHORIZED for %s, before any analysis', async (_what, key) => {
    const ledger = createMemoryLedger();
    const h = createHarness({ ledger });
    const res = await post(h, PATH, { selfie: GOOD, idImage: ID_IMAGE }, { key });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ success: false, code: 'UNAUTHORIZED', data: null });
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(h.engine.calls.selfie).toBe(0);
    expect(ledger.records).toHaveLength(0);
  });

  it.each([
    [KEYS.unapproved, 'FORBIDDEN'],
    [KEYS.unsubscribed, 'SUBSCRIPTION_REQUIRED'],
  ])('answers 403 for organisation checks (%s → %s)', async (key, code) => {
    const h = createHarness();
    const res = await post(h, PATH, { selfie: GOOD, idImage: ID_IMAGE }, { key });
    expect(res.status).toBe(403);
    expect((await res.json()).code).toBe(code);
  });

  it('rejects a body over the server limit with 413', async () => {
    const h = createHarness({ limits: { maxBodyBytes: 4096 } });
    const res = await post(h, PATH, { selfie: 'A'.repeat(8192), idImage: ID_IMAGE });
    expect(res.status).toBe(413);
    expect((await res.json()).code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('POST /v1/face-match-report: privacy', () => {
  it('never logs the images, the crops, the link tokens or the key', async () => {
    const h = createHarness();
    const res = await post(h, PATH, { selfie: GOOD, idImage: ID_IMAGE });
    const fm = (await res.json()).face_match;
    const all = h.logLines.join('\n');
    expect(all).not.toContain(GOOD);
    expect(all).not.toContain(ID_IMAGE);
    expect(all).not.toContain(KEYS.approved);
    for (const url of [fm.source_image, fm.target_image]) expect(all).not.toContain(url.split('/').pop());
    const lines = h.logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.some((l) => l.msg === 'face match report' && l.status === 'Approved')).toBe(true);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('never takes the link host from the Host header (issue 11, finding 9)', async () => {
    const h = createHarness();
    for (const host of ['evil.example', 'evil.test/"><script>', 'localhost:3000']) {
      const res = await post(h, PATH, { selfie: GOOD, idImage: ID_IMAGE }, { headers: { host } });
      const fm = (await res.json()).face_match;
      expect(fm.source_image).toMatch(/^\/v1\/media\//);
      expect(fm.target_image).toMatch(/^\/v1\/media\//);
    }
    const configured = createHarness({ publicBaseUrl: 'https://kyc.example.com' });
    const fm = (await (await post(configured, PATH, { selfie: GOOD, idImage: ID_IMAGE }, { headers: { host: 'evil.example' } })).json()).face_match;
    expect(fm.source_image).toMatch(/^https:\/\/kyc\.example\.com\/v1\/media\//);
  });
});
