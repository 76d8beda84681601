import { describe, expect, it } from 'vitest';
import { ErrorEnvelopeSchema } from '../../src/api/envelope.ts';
import { createHarness, KEYS, validBody } from '../support/app.ts';
import { fakeImage, selfieWithSimilarity } from '../support/fake-engine.ts';
import { IDS } from '../support/registry.ts';

const GOOD = selfieWithSimilarity(0.9);

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = await res.json();
  expect(ErrorEnvelopeSchema.safeParse(body).success).toBe(true);
  expect(body).toMatchObject({ success: false, code, data: null, verification_type: 'ID_FACE_MATCH' });
  expect(typeof body.message).toBe('string');
  expect(body.message.length).toBeGreaterThan(10);
  expect(body.meta.request_id).toHaveLength(12);
  expect(res.headers.get('x-request-id')).toBe(body.meta.request_id);
  return body;
}

describe('POST /v1/face-comparison: 400 VALIDATION_ERROR', () => {
  it.each([
    ['selfie', { id_type: 'TEST_ID', id_number: '12345678' }],
    ['id_number', { selfie: GOOD, id_type: 'TEST_ID' }],
    ['id_type', { selfie: GOOD, id_number: '12345678' }],
  ])('names the missing field %s in details', async (field, body) => {
    const h = createHarness();
    const res = await h.compare(body);
    const json = await expectError(res, 400, 'VALIDATION_ERROR');
    expect(json.details[field]).toBe('Required');
  });

  it('reports every missing field at once', async () => {
    const h = createHarness();
    const json = await expectError(await h.compare({}), 400, 'VALIDATION_ERROR');
    expect(Object.keys(json.details).sort()).toEqual(['id_number', 'id_type', 'selfie']);
  });

  it('rejects wrongly typed and empty fields', async () => {
    const h = createHarness();
    const json = await expectError(await h.compare({ selfie: 12, id_number: '', id_type: 'TEST_ID' }), 400, 'VALIDATION_ERROR');
    expect(json.details.selfie).toMatch(/string/);
    expect(json.details.id_number).toMatch(/empty/);
  });

  it('rejects an unknown id_type and lists the supported ones', async () => {
    const h = createHarness();
    const json = await expectError(await h.compare(validBody({ selfie: GOOD, id_type: 'XX_PASSPORT' })), 400, 'VALIDATION_ERROR');
    expect(json.details.id_type).toMatch(/supported: TEST_ID/);
    expect(h.registry.adapter.lookups).toBe(0);
  });

  it("rejects an id_number that fails the adapter's validator", async () => {
    const h = createHarness();
    const json = await expectError(await h.compare(validBody({ selfie: GOOD, id_number: '12-AB' })), 400, 'VALIDATION_ERROR');
    expect(json.details.id_number).toMatch(/8 digits/);
    expect(h.registry.adapter.lookups).toBe(0);
  });

  it('rejects malformed JSON and a non-JSON content type', async () => {
    const h = createHarness();
    await expectError(await h.compare('{"selfie": '), 400, 'VALIDATION_ERROR');
    await expectError(await h.compare('selfie=abc', { headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 400, 'VALIDATION_ERROR');
  });
});

describe('POST /v1/face-comparison: threshold errors', () => {
  it.each([['0.8'], [null], [true], [[0.8]]])('INVALID_THRESHOLD for %j', async (threshold) => {
    const h = createHarness();
    const json = await expectError(await h.compare(validBody({ selfie: GOOD, threshold })), 400, 'INVALID_THRESHOLD');
    expect(json.details.threshold).toBeDefined();
  });

  it.each([[1.01], [-0.1], [75]])('INVALID_THRESHOLD_RANGE for %j', async (threshold) => {
    const h = createHarness();
    await expectError(await h.compare(validBody({ selfie: GOOD, threshold })), 400, 'INVALID_THRESHOLD_RANGE');
  });

  it('reports missing required fields before a bad threshold', async () => {
    const h = createHarness();
    await expectError(await h.compare({ id_type: 'TEST_ID', threshold: 'high' }), 400, 'VALIDATION_ERROR');
  });
});

describe('POST /v1/face-comparison: 400 INVALID_INPUT', () => {
  it.each([
    ['not base64', 'this is not base64!!', 'INVALID_BASE64'],
    ['a data URL without base64', 'data:image/jpeg,abc', 'INVALID_BASE64'],
    ['not an image', Buffer.from('%PDF-1.4 hello').toString('base64'), 'NOT_AN_IMAGE'],
    ['an unsupported format (GIF)', Buffer.from('GIF89a....').toString('base64'), 'UNSUPPORTED_FORMAT'],
    ['a decompression bomb', fakeImage('BOMB'), 'IMAGE_TOO_LARGE'],
  ])('when the selfie is %s', async (_what, selfie, reason) => {
    const h = createHarness();
    const json = await expectError(await h.compare(validBody({ selfie })), 400, 'INVALID_INPUT');
    expect(json.details).toMatchObject({ field: 'selfie', reason });
  });
});

describe('POST /v1/face-comparison: 403', () => {
  it('FORBIDDEN when the organisation is not approved', async () => {
    const h = createHarness();
    await expectError(await h.compare(validBody({ selfie: GOOD }), { key: KEYS.unapproved }), 403, 'FORBIDDEN');
    expect(h.registry.adapter.lookups).toBe(0);
  });

  it('SUBSCRIPTION_REQUIRED when face_match is not enabled', async () => {
    const h = createHarness();
    await expectError(await h.compare(validBody({ selfie: GOOD }), { key: KEYS.unsubscribed }), 403, 'SUBSCRIPTION_REQUIRED');
    expect(h.registry.adapter.lookups).toBe(0);
  });
});

describe('POST /v1/face-comparison: 404 ID_NOT_FOUND', () => {
  it.each([
    [IDS.noRecord, 'NO_RECORD', /No record/],
    [IDS.noPhoto, 'NO_PHOTO', /no reference photo/],
    [IDS.restricted, 'RECORD_RESTRICTED', /not available/],
    [IDS.photoNotImage, 'PHOTO_UNUSABLE', /cannot be used/],
  ])('for %s says which (%s)', async (id, reason, message) => {
    const h = createHarness();
    const json = await expectError(await h.compare(validBody({ selfie: GOOD, id_number: id })), 404, 'ID_NOT_FOUND');
    expect(json.details.reason).toBe(reason);
    expect(json.message).toMatch(message);
    expect(json.retryable).toBe(false);
  });
});

describe('POST /v1/face-comparison: 422 LANDMARKS_NOT_FOUND', () => {
  it('says when the selfie has no face', async () => {
    const h = createHarness();
    const json = await expectError(await h.compare(validBody({ selfie: fakeImage('NOFACE') })), 422, 'LANDMARKS_NOT_FOUND');
    expect(json.details.image).toBe('selfie');
    expect(json.message).toMatch(/selfie/);
  });

  it('says when the registry photo has no face', async () => {
    const h = createHarness();
    const json = await expectError(await h.compare(validBody({ selfie: GOOD, id_number: IDS.noFaceInPhoto })), 422, 'LANDMARKS_NOT_FOUND');
    expect(json.details.image).toBe('reference');
    expect(json.message).toMatch(/registry photo/);
  });
});

describe('POST /v1/face-comparison: registry outages are retryable 503s, never a MISMATCH', () => {
  it.each([
    ['down', IDS.down, '5'],
    ['rate-limited', IDS.rateLimited, '42'],
    ['behind an open circuit', IDS.circuitOpen, '17'],
  ])('registry %s → 503 SERVICE_ERROR with Retry-After', async (_what, id, retryAfter) => {
    const h = createHarness();
    const res = await h.compare(validBody({ selfie: GOOD, id_number: id }));
    const json = await expectError(res, 503, 'SERVICE_ERROR');
    expect(json.retryable).toBe(true);
    expect(res.headers.get('retry-after')).toBe(retryAfter);
    expect(json.data).toBeNull();
  });
});

describe('POST /v1/face-comparison: 500 SERVICE_ERROR', () => {
  it('maps an unexpected engine failure to SERVICE_ERROR without leaking internals', async () => {
    const h = createHarness();
    h.engine.similarity = () => {
      throw new Error('internal detail: tensor shape mismatch');
    };
    const res = await h.compare(validBody({ selfie: GOOD }));
    const json = await expectError(res, 500, 'SERVICE_ERROR');
    expect(JSON.stringify(json)).not.toMatch(/tensor/);
    expect(json.retryable).toBe(false);
    expect(h.logLines.some((l) => l.includes('"level":"error"') && l.includes(json.meta.request_id))).toBe(true);
  });
});

describe('error precedence when the selfie and the reference both fail', () => {
  it('an invalid selfie wins over a registry outage', async () => {
    const h = createHarness();
    await expectError(await h.compare(validBody({ selfie: 'not base64!', id_number: IDS.down })), 400, 'INVALID_INPUT');
  });

  it('a selfie without a face wins over a missing record (unknown and known numbers look alike)', async () => {
    const h = createHarness();
    const unknown = await expectError(await h.compare(validBody({ selfie: fakeImage('NOFACE'), id_number: IDS.noRecord })), 422, 'LANDMARKS_NOT_FOUND');
    const known = await expectError(await h.compare(validBody({ selfie: fakeImage('NOFACE'), id_number: IDS.found })), 422, 'LANDMARKS_NOT_FOUND');
    const strip = (body: { meta: unknown }) => ({ ...body, meta: null });
    expect(strip(unknown)).toEqual(strip(known));
  });
});
