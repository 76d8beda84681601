import { describe, expect, it } from 'vitest';
import { FaceMatchEnvelopeSchema } from '../../src/api/face-match.ts';
import { createMemoryLedger } from '../../src/billing/ledger.ts';
import type { FaceEngine } from '../../src/engine/types.ts';
import { createHarness } from '../support/app.ts';
import { fakeImage, selfieWithSimilarity } from '../support/fake-engine.ts';
import { ID_IMAGE, post } from '../support/face-match.ts';

const PATH = '/v1/face-match';
const GOOD = selfieWithSimilarity(0.95);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1').toString('base64');
const PDF = Buffer.from('%PDF-1.4 secret', 'latin1').toString('base64');

async function expectInvalid(res: Response, status = 400) {
  expect(res.status).toBe(status);
  const body = await res.json();
  expect(FaceMatchEnvelopeSchema.safeParse(body).success).toBe(true);
  expect(body).toMatchObject({ status: 'ERROR', code: 'INVALID_REQUEST', billable: false, result: null });
  expect(body.requestId).toBe(res.headers.get('x-request-id'));
  expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}-06:00$/);
  expect(Array.isArray(body.errors)).toBe(true);
  return body as { errors: Array<{ field: string; message: string; reason?: string }>; message: string };
}

describe('POST /v1/face-match: INVALID_REQUEST with per-field errors', () => {
  it('names each missing field with "Required"', async () => {
    const h = createHarness();
    const body = await expectInvalid(await post(h, PATH, {}));
    expect(body.errors).toEqual(expect.arrayContaining([{ field: 'selfie', message: 'Required' }, { field: 'idImage', message: 'Required' }]));
    expect(h.engine.calls.selfie).toBe(0);
  });

  it.each([
    ['selfie of the wrong type', { selfie: 42, idImage: ID_IMAGE }, 'selfie', /string/],
    ['empty idImage', { selfie: GOOD, idImage: '' }, 'idImage', /empty/],
    ['threshold 0', { selfie: GOOD, idImage: ID_IMAGE, threshold: 0 }, 'threshold', /at least 1/],
    ['threshold 101', { selfie: GOOD, idImage: ID_IMAGE, threshold: 101 }, 'threshold', /at most 100/],
    ['threshold as a string', { selfie: GOOD, idImage: ID_IMAGE, threshold: '90' }, 'threshold', /number/],
    ['threshold null', { selfie: GOOD, idImage: ID_IMAGE, threshold: null }, 'threshold', /number/],
    ['an unknown documentType', { selfie: GOOD, idImage: ID_IMAGE, documentType: 'DRIVING_LICENCE' }, 'documentType', /one of IFE, INE, MEX_PASSPORT/],
    ['a lowercase documentType', { selfie: GOOD, idImage: ID_IMAGE, documentType: 'ine' }, 'documentType', /one of/],
  ])('rejects %s', async (_what, payload, field, message) => {
    const h = createHarness();
    const body = await expectInvalid(await post(h, PATH, payload));
    const entry = body.errors.find((e) => e.field === field);
    expect(entry?.message).toMatch(message);
    expect(h.engine.calls.selfie).toBe(0);
  });

  it('rejects a body that is not JSON, or malformed JSON', async () => {
    const h = createHarness();
    const text = await expectInvalid(await post(h, PATH, 'selfie=abc', { headers: { 'content-type': 'text/plain' } }));
    expect(text.errors[0]!.field).toBe('content_type');
    await expectInvalid(await post(h, PATH, '{not json'));
    await expectInvalid(await post(h, PATH, '[1,2]'));
  });

  it.each([
    ['selfie', 'not base64!', 'INVALID_BASE64'],
    ['selfie', PDF, 'NOT_AN_IMAGE'],
    ['idImage', GIF, 'UNSUPPORTED_FORMAT'],
    ['idImage', fakeImage('BOMB'), 'IMAGE_TOO_LARGE'],
  ])('maps an unusable %s (%s) to INVALID_REQUEST with the engine reason', async (field, value, reason) => {
    const h = createHarness();
    const payload = { selfie: GOOD, idImage: ID_IMAGE, [field]: value };
    const body = await expectInvalid(await post(h, PATH, payload));
    expect(body.errors).toEqual([expect.objectContaining({ field, reason })]);
  });

  it('reports the selfie input error first when both images are unusable', async () => {
    const h = createHarness();
    const body = await expectInvalid(await post(h, PATH, { selfie: PDF, idImage: GIF }));
    expect(body.errors[0]).toMatchObject({ field: 'selfie', reason: 'NOT_AN_IMAGE' });
  });

  it('rejects an image over 10 MB decoded with 413 INVALID_REQUEST before the engine runs', async () => {
    const h = createHarness();
    const big = Buffer.alloc(10 * 1024 * 1024 + 16, 1).toString('base64');
    const body = await expectInvalid(await post(h, PATH, { selfie: GOOD, idImage: big }), 413);
    expect(body.errors[0]).toMatchObject({ field: 'idImage' });
    expect(h.engine.calls.selfie).toBe(0);
  });

  it('does not echo the images in error responses', async () => {
    const h = createHarness();
    const res = await post(h, PATH, { selfie: PDF, idImage: ID_IMAGE });
    expect(await res.text()).not.toContain(PDF);
  });

  it('records engine input errors in the ledger, not charged; validation failures are not recorded', async () => {
    const ledger = createMemoryLedger();
    const h = createHarness({ ledger });
    await post(h, PATH, { selfie: PDF, idImage: ID_IMAGE });
    await post(h, PATH, { selfie: GOOD });
    expect(ledger.records.map((r) => [r.endpoint, r.result, r.charged])).toEqual([['/v1/face-match', 'INVALID_REQUEST', false]]);
  });
});

describe('POST /v1/face-match: system errors', () => {
  it('answers INTERNAL_ERROR (500, result null, not billable) when the engine fails unexpectedly', async () => {
    const h = createHarness();
    const engine = h.services.engine as FaceEngine;
    engine.analyze = async () => {
      throw new Error('onnx session crashed');
    };
    const res = await post(h, PATH, { selfie: GOOD, idImage: ID_IMAGE });
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(FaceMatchEnvelopeSchema.safeParse(body).success).toBe(true);
    expect(body).toMatchObject({ status: 'ERROR', code: 'INTERNAL_ERROR', billable: false, result: null });
    expect(body).not.toHaveProperty('errors');
    expect(JSON.stringify(body)).not.toContain('onnx');
  });

  it('answers SERVICE_UNAVAILABLE (503, Retry-After) when the charge cannot be recorded', async () => {
    const ledger = createMemoryLedger();
    ledger.record = async () => {
      throw new Error('disk full');
    };
    const h = createHarness({ ledger });
    const res = await post(h, PATH, { selfie: GOOD, idImage: ID_IMAGE });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toMatchObject({ status: 'ERROR', code: 'SERVICE_UNAVAILABLE', billable: false, result: null });
  });

  it('answers unknown methods on the path with the standard 404', async () => {
    const h = createHarness();
    const res = await h.app.request(PATH, { method: 'GET' });
    expect(res.status).toBe(404);
  });
});
