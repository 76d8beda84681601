import { describe, expect, it } from 'vitest';
import { ErrorEnvelopeSchema } from '../../src/api/envelope.ts';
import { createMediaStore, MEDIA_TTL_MS } from '../../src/media/store.ts';
import { createHarness } from '../support/app.ts';
import { fakeCrop, selfieWithSimilarity } from '../support/fake-engine.ts';
import { ID_IMAGE, movableClock, post } from '../support/face-match.ts';

const MINUTE = 60_000;

async function reportLinks(h: ReturnType<typeof createHarness>) {
  const res = await post(h, '/v1/face-match-report', { selfie: selfieWithSimilarity(0.95), idImage: ID_IMAGE });
  const fm = (await res.json()).face_match;
  return { source: new URL(fm.source_image, 'http://localhost').pathname, target: new URL(fm.target_image, 'http://localhost').pathname };
}

describe('GET /v1/media/:token (report image links)', () => {
  it('serves the JPEG without an API key, privately, until 60 minutes after the report', async () => {
    const clock = movableClock();
    const h = createHarness({ clock });
    const { source } = await reportLinks(h);
    const first = await h.app.request(source);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('image/jpeg');
    expect(first.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
    expect(first.headers.get('referrer-policy')).toBe('no-referrer');
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await first.arrayBuffer())).toEqual(await fakeCrop(1));

    clock.advance(59 * MINUTE + 59_000);
    expect((await h.app.request(source)).status).toBe(200);
  });

  it('answers 410 MEDIA_EXPIRED once the 60 minutes are over (and keeps answering 410)', async () => {
    const clock = movableClock();
    const h = createHarness({ clock });
    const { source, target } = await reportLinks(h);
    clock.advance(MEDIA_TTL_MS + 1000);
    for (const path of [source, target, source]) {
      const res = await h.app.request(path);
      expect(res.status).toBe(410);
      const body = await res.json();
      expect(ErrorEnvelopeSchema.safeParse(body).success).toBe(true);
      expect(body).toMatchObject({ success: false, code: 'MEDIA_EXPIRED', data: null });
    }
  });

  it('rejects a tampered signature, id or expiry with 404 (a later expiry cannot be forged)', async () => {
    const clock = movableClock();
    const h = createHarness({ clock });
    const { source } = await reportLinks(h);
    const token = source.split('/').pop()!;
    const [id, exp, sig] = token.split('.') as [string, string, string];
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    for (const forged of [`${id}.${exp}.${flip(sig)}`, `${flip(id)}.${exp}.${sig}`, `${id}.${Number(exp) + 3600}.${sig}`, 'nonsense', `${id}.${exp}`]) {
      const res = await h.app.request(`/v1/media/${forged}`);
      expect(res.status).toBe(404);
      expect((await res.json()).code).toBe('NOT_FOUND');
    }
    // Even after expiry, a forged extension is 404 and the genuine link is 410.
    clock.advance(MEDIA_TTL_MS + 1000);
    expect((await h.app.request(`/v1/media/${id}.${Number(exp) + 7200}.${sig}`)).status).toBe(404);
    expect((await h.app.request(source)).status).toBe(410);
  });

  it('links are gone after a restart (a new app and store with a new random key)', async () => {
    const clock = movableClock();
    const before = createHarness({ clock });
    const { source } = await reportLinks(before);
    expect((await before.app.request(source)).status).toBe(200);
    const after = createHarness({ clock });
    expect((await after.app.request(source)).status).toBe(404);
  });

  it('with a configured secret, a restart still loses the images (memory only): valid links are 404, not served', async () => {
    const clock = movableClock();
    const secret = 'a-configured-secret-of-enough-length';
    const before = createHarness({ clock, media: createMediaStore({ clock, secret }) });
    const { target } = await reportLinks(before);
    expect((await before.app.request(target)).status).toBe(200);
    const after = createHarness({ clock, media: createMediaStore({ clock, secret }) });
    expect((await after.app.request(target)).status).toBe(404);
    clock.advance(MEDIA_TTL_MS);
    expect((await after.app.request(target)).status).toBe(410);
  });
});

describe('media store', () => {
  it('signs (id, expiry) and expires on the injected clock', () => {
    const clock = movableClock();
    const store = createMediaStore({ clock, ttlMs: 5 * MINUTE });
    const bytes = new Uint8Array([1, 2, 3]);
    const { token, expiresAt } = store.put(bytes);
    expect(expiresAt.toISOString()).toBe('2026-11-23T12:05:00.000Z');
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}\.1795435500\.[A-Za-z0-9_-]{43}$/);
    expect(store.get(token)).toMatchObject({ status: 'ok', bytes, contentType: 'image/jpeg' });
    clock.advance(5 * MINUTE - 1);
    expect(store.get(token).status).toBe('ok');
    clock.advance(1);
    expect(store.get(token).status).toBe('expired');
  });

  it('gives distinct tokens and evicts the oldest images beyond its capacity', () => {
    const store = createMediaStore({ maxEntries: 2 });
    const a = store.put(new Uint8Array([1]));
    const b = store.put(new Uint8Array([2]));
    const c = store.put(new Uint8Array([3]));
    expect(new Set([a.token, b.token, c.token]).size).toBe(3);
    expect(store.get(a.token).status).toBe('not_found');
    expect(store.get(c.token).status).toBe('ok');
  });

  it('refuses a short secret', () => {
    expect(() => createMediaStore({ secret: 'short' })).toThrow(/at least 16 bytes/);
  });
});

describe('Facematch-Crops request header (declared in the OpenAPI document)', () => {
  it('gives crop links for `links` in any case and ignores any other value, never refusing the request', async () => {
    const h = createHarness();
    const send = (value: string) => post(h, '/v1/face-match', { selfie: selfieWithSimilarity(0.95), idImage: ID_IMAGE }, { headers: { 'facematch-crops': value } });
    for (const value of ['links', ' LINKS ']) {
      const res = await send(value);
      expect(res.status).toBe(200);
      expect(res.headers.get('facematch-crop-selfie')).toMatch(/\/v1\/media\//);
    }
    for (const value of ['none', '', 'links,please']) {
      const res = await send(value);
      expect(res.status, value).toBe(200);
      expect(res.headers.get('facematch-crop-selfie')).toBeNull();
    }
  });
});
