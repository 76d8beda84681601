import { describe, expect, it } from 'vitest';
import { ErrorEnvelopeSchema } from '../../src/api/envelope.ts';
import { createMemoryLedger } from '../../src/billing/ledger.ts';
import type { FaceEngine } from '../../src/engine/types.ts';
import { createHarness } from '../support/app.ts';
import { fakeImage, selfieWithSimilarity } from '../support/fake-engine.ts';
import { ID_IMAGE, post } from '../support/face-match.ts';

const PATH = '/v1/face-match-report';
const GOOD = selfieWithSimilarity(0.95);
const PDF = Buffer.from('%PDF-1.4 secret', 'latin1').toString('base64');

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = await res.json();
  expect(ErrorEnvelopeSchema.safeParse(body).success).toBe(true);
  expect(body).toMatchObject({ success: false, code, data: null });
  expect(body.meta.request_id).toBe(res.headers.get('x-request-id'));
  return body;
}

describe('POST /v1/face-match-report: bad requests (standard error envelope)', () => {
  it('names each missing field', async () => {
    const h = createHarness();
    const body = await expectError(await post(h, PATH, {}), 400, 'VALIDATION_ERROR');
    expect(body.details).toMatchObject({ selfie: 'Required', idImage: 'Required' });
  });

  it.each([
    [{ approval_threshold: 101 }, 'approval_threshold', /at most 100/],
    [{ approval_threshold: -1 }, 'approval_threshold', /at least 0/],
    [{ review_threshold: '75' }, 'review_threshold', /number/],
    [{ review_threshold: 95 }, 'review_threshold', /must not exceed approval_threshold \(90\)/],
    [{ approval_threshold: 60, review_threshold: 70 }, 'review_threshold', /must not exceed approval_threshold \(60\)/],
  ])('rejects thresholds %j', async (extra, field, message) => {
    const h = createHarness();
    const body = await expectError(await post(h, PATH, { selfie: GOOD, idImage: ID_IMAGE, ...extra }), 400, 'VALIDATION_ERROR');
    expect(body.details[field]).toMatch(message);
    expect(h.engine.calls.selfie).toBe(0);
  });

  it.each([
    ['selfie', 'not base64!', 'INVALID_BASE64'],
    ['selfie', PDF, 'NOT_AN_IMAGE'],
    ['idImage', fakeImage('BOMB'), 'IMAGE_TOO_LARGE'],
  ])('maps an unusable %s to INVALID_INPUT (%s), like the face comparison', async (field, value, reason) => {
    const h = createHarness();
    const body = await expectError(await post(h, PATH, { selfie: GOOD, idImage: ID_IMAGE, [field]: value }), 400, 'INVALID_INPUT');
    expect(body.details).toEqual({ field, reason });
  });

  it('rejects an image over 10 MB decoded with 413', async () => {
    const h = createHarness();
    const big = Buffer.alloc(10 * 1024 * 1024 + 16, 1).toString('base64');
    const body = await expectError(await post(h, PATH, { selfie: big, idImage: ID_IMAGE }), 413, 'PAYLOAD_TOO_LARGE');
    expect(body.details).toMatchObject({ field: 'selfie' });
  });

  it('rejects a non-JSON body', async () => {
    const h = createHarness();
    await expectError(await post(h, PATH, 'x', { headers: { 'content-type': 'text/plain' } }), 400, 'VALIDATION_ERROR');
  });

  it('does not bill errors; engine input errors are recorded uncharged', async () => {
    const ledger = createMemoryLedger();
    const h = createHarness({ ledger });
    await post(h, PATH, { selfie: PDF, idImage: ID_IMAGE });
    await post(h, PATH, { selfie: GOOD });
    expect(ledger.records.map((r) => [r.endpoint, r.result, r.charged])).toEqual([['/v1/face-match-report', 'INVALID_INPUT', false]]);
  });
});

describe('POST /v1/face-match-report: system errors', () => {
  it('answers 500 SERVICE_ERROR when the engine fails unexpectedly', async () => {
    const h = createHarness();
    (h.services.engine as FaceEngine).analyze = async () => {
      throw new Error('boom');
    };
    await expectError(await post(h, PATH, { selfie: GOOD, idImage: ID_IMAGE }), 500, 'SERVICE_ERROR');
  });

  it('answers 503 retryable when the report cannot be recorded', async () => {
    const ledger = createMemoryLedger();
    ledger.record = async () => {
      throw new Error('disk full');
    };
    const h = createHarness({ ledger });
    const body = await expectError(await post(h, PATH, { selfie: GOOD, idImage: ID_IMAGE }), 503, 'SERVICE_ERROR');
    expect(body.retryable).toBe(true);
  });
});
