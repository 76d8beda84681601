import { describe, expect, it } from 'vitest';
import { FaceMatchEnvelopeSchema, mexicoCityTimestamp } from '../../src/api/face-match.ts';
import { createMemoryLedger } from '../../src/billing/ledger.ts';
import type { DocumentCheckInput, DocumentCheckResult, DocumentChecker } from '../../src/document/check.ts';
import { createHarness } from '../support/app.ts';
import { selfieWithSimilarity } from '../support/fake-engine.ts';
import { ID_IMAGE, NO_FACE, post } from '../support/face-match.ts';

const PATH = '/v1/face-match';

function docResult(partial: Partial<DocumentCheckResult>): DocumentCheckResult {
  return {
    requestedType: 'INE',
    passed: true,
    outcome: 'TYPE_MATCHED',
    documentDetected: true,
    layout: 'ID1_CARD',
    measures: { source: 'background', aspectRatio: 1.585, orientation: 'landscape', portraitCentre: { x: 0.2, y: 0.5 }, portraitArea: 0.05, textLines: 6, mrzBand: false },
    reasons: [],
    ...partial,
  };
}

function scriptedChecker(result: Partial<DocumentCheckResult>): DocumentChecker & { calls: DocumentCheckInput[] } {
  const calls: DocumentCheckInput[] = [];
  return {
    calls,
    async check(input) {
      calls.push(input);
      return docResult({ requestedType: input.type, ...result });
    },
  };
}

describe('POST /v1/face-match (happy paths)', () => {
  it('returns FACE_MATCH in the strict envelope: status, code, message, requestId, timestamp, billable, result', async () => {
    const h = createHarness();
    const res = await post(h, PATH, { selfie: selfieWithSimilarity(0.953), idImage: ID_IMAGE });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(FaceMatchEnvelopeSchema.safeParse(body).success).toBe(true);
    expect(body).toEqual({
      status: 'OK',
      code: 'FACE_MATCH',
      message: 'The selfie matches the face on the ID image.',
      requestId: res.headers.get('x-request-id'),
      timestamp: '2026-11-23T06:00:00.000-06:00',
      billable: true,
      result: { similarity: 95.3, match: true, threshold: 90, facesDetected: { selfie: 1, idImage: 1 }, document: null },
    });
    expect(body.requestId).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('similarity is the calibrated score × 100 with 2 decimals; default threshold 90 = score 0.90', async () => {
    const h = createHarness();
    const at = async (cos: number, threshold?: number) => (await (await post(h, PATH, { selfie: selfieWithSimilarity(cos), idImage: ID_IMAGE, ...(threshold !== undefined ? { threshold } : {}) })).json()).result;
    expect(await at(0.9)).toMatchObject({ similarity: 90, match: true, threshold: 90 });
    expect(await at(0.8999)).toMatchObject({ similarity: 89.99, match: false });
    expect(await at(0.12345)).toMatchObject({ similarity: 12.35, match: false });
    expect(await at(-0.3)).toMatchObject({ similarity: 0, match: false });
  });

  it('returns FACE_MISMATCH (HTTP 200, OK, billable) below the threshold', async () => {
    const h = createHarness();
    const res = await post(h, PATH, { selfie: selfieWithSimilarity(0.85), idImage: ID_IMAGE });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: 'OK', code: 'FACE_MISMATCH', billable: true, result: { similarity: 85, match: false, threshold: 90 } });
    expect(body).not.toHaveProperty('errors');
  });

  it('applies the per-request threshold (1–100)', async () => {
    const h = createHarness();
    const lax = await (await post(h, PATH, { selfie: selfieWithSimilarity(0.85), idImage: ID_IMAGE, threshold: 80 })).json();
    expect(lax).toMatchObject({ code: 'FACE_MATCH', result: { match: true, threshold: 80 } });
    const strict = await (await post(h, PATH, { selfie: selfieWithSimilarity(0.97), idImage: ID_IMAGE, threshold: 98.5 })).json();
    expect(strict).toMatchObject({ code: 'FACE_MISMATCH', result: { similarity: 97, threshold: 98.5 } });
    for (const threshold of [60, 100]) expect((await post(h, PATH, { selfie: selfieWithSimilarity(0.5), idImage: ID_IMAGE, threshold })).status).toBe(200);
    // Below the organisation's floor (default 60 on this scale): refused, not clamped.
    const low = await post(h, PATH, { selfie: selfieWithSimilarity(0.5), idImage: ID_IMAGE, threshold: 1 });
    expect(low.status).toBe(400);
    expect(await low.json()).toMatchObject({ code: 'INVALID_REQUEST', billable: false, errors: [{ field: 'threshold' }] });
  });

  it('accepts data URLs (PNG or JPEG) for both images', async () => {
    const h = createHarness();
    const res = await post(h, PATH, { selfie: `data:image/png;base64,${selfieWithSimilarity(0.95)}`, idImage: `data:image/jpeg;base64,${ID_IMAGE}` });
    expect((await res.json()).code).toBe('FACE_MATCH');
  });

  it('reports faces detected in each image (the largest is compared)', async () => {
    const h = createHarness();
    const body = await (await post(h, PATH, { selfie: selfieWithSimilarity(0.95, 3), idImage: ID_IMAGE })).json();
    expect(body.result.facesDetected).toEqual({ selfie: 3, idImage: 1 });
  });

  it.each([
    ['selfie', { selfie: NO_FACE, idImage: ID_IMAGE }, { selfie: 0, idImage: 1 }, /the selfie/],
    ['ID image', { selfie: selfieWithSimilarity(0.95), idImage: NO_FACE }, { selfie: 1, idImage: 0 }, /the ID image/],
    ['both images', { selfie: NO_FACE, idImage: NO_FACE }, { selfie: 0, idImage: 0 }, /either image/],
  ])('answers NO_FACE_DETECTED (OK, billable, similarity null) when no face is in the %s', async (_what, body, faces, where) => {
    const h = createHarness();
    const res = await post(h, PATH, { ...body, documentType: 'ANY' });
    expect(res.status).toBe(200);
    const json = await res.json();
    expect(FaceMatchEnvelopeSchema.safeParse(json).success).toBe(true);
    expect(json).toMatchObject({ status: 'OK', code: 'NO_FACE_DETECTED', billable: true, result: { similarity: null, match: false, threshold: 90, facesDetected: faces, document: null } });
    expect(json.message).toMatch(where);
  });

  it('formats the timestamp in Mexico City time (fixed −06:00)', () => {
    expect(mexicoCityTimestamp(new Date('2026-11-23T21:04:05.123Z'))).toBe('2026-11-23T15:04:05.123-06:00');
    expect(mexicoCityTimestamp(new Date('2026-07-01T03:00:00.000Z'))).toBe('2026-06-30T21:00:00.000-06:00');
  });
});

describe('POST /v1/face-match: documentType', () => {
  it('skips the document check when documentType is omitted', async () => {
    const documents = scriptedChecker({});
    const h = createHarness({ documents });
    const body = await (await post(h, PATH, { selfie: selfieWithSimilarity(0.95), idImage: ID_IMAGE })).json();
    expect(documents.calls).toHaveLength(0);
    expect(body.result.document).toBeNull();
  });

  it('runs the check with the requested type and the ID portrait box; a passed check keeps FACE_MATCH', async () => {
    const documents = scriptedChecker({});
    const h = createHarness({ documents });
    const body = await (await post(h, PATH, { selfie: selfieWithSimilarity(0.95), idImage: ID_IMAGE, documentType: 'INE' })).json();
    expect(documents.calls).toHaveLength(1);
    expect(documents.calls[0]).toMatchObject({ type: 'INE', image: ID_IMAGE, face: { x: 10, y: 10, width: 100, height: 100 } });
    expect(body).toMatchObject({ code: 'FACE_MATCH', result: { match: true, document: { requestedType: 'INE', passed: true, outcome: 'TYPE_MATCHED', layout: 'ID1_CARD' } } });
  });

  it('answers NO_DOCUMENT_DETECTED (match false even with a high similarity) with the reasons', async () => {
    const documents = scriptedChecker({ passed: false, outcome: 'NO_DOCUMENT_DETECTED', documentDetected: false, layout: null, reasons: ['0 text-like line(s) found beside the portrait (at least 3 expected)'] });
    const h = createHarness({ documents });
    const body = await (await post(h, PATH, { selfie: selfieWithSimilarity(0.97), idImage: ID_IMAGE, documentType: 'ANY' })).json();
    expect(body).toMatchObject({ status: 'OK', code: 'NO_DOCUMENT_DETECTED', billable: true, result: { similarity: 97, match: false, document: { requestedType: 'ANY', passed: false } } });
    expect(body.message).toMatch(/text-like line/);
  });

  it('answers DOCUMENT_TYPE_MISMATCH when the layout does not fit the type', async () => {
    const documents = scriptedChecker({ passed: false, outcome: 'DOCUMENT_TYPE_MISMATCH', layout: 'TD3_PASSPORT_PAGE', reasons: ['the aspect ratio 1.42 does not fit an ID-1 card (1.59)'] });
    const h = createHarness({ documents });
    const body = await (await post(h, PATH, { selfie: selfieWithSimilarity(0.97), idImage: ID_IMAGE, documentType: 'MEX_PROFESSIONAL_ID' })).json();
    expect(body).toMatchObject({ code: 'DOCUMENT_TYPE_MISMATCH', billable: true, result: { match: false, document: { outcome: 'DOCUMENT_TYPE_MISMATCH' } } });
  });

  it.each(['IFE', 'INE', 'MEX_PASSPORT', 'MEX_RESIDENCE_CARD', 'MEX_PROFESSIONAL_ID', 'ANY'])('accepts documentType %s', async (documentType) => {
    const h = createHarness({ documents: scriptedChecker({}) });
    const res = await post(h, PATH, { selfie: selfieWithSimilarity(0.95), idImage: ID_IMAGE, documentType });
    expect(res.status).toBe(200);
  });

  it('does not run the document check when a face is missing (NO_FACE_DETECTED comes first)', async () => {
    const documents = scriptedChecker({});
    const h = createHarness({ documents });
    const body = await (await post(h, PATH, { selfie: selfieWithSimilarity(0.95), idImage: NO_FACE, documentType: 'INE' })).json();
    expect(body.code).toBe('NO_FACE_DETECTED');
    expect(documents.calls).toHaveLength(0);
  });
});

describe('POST /v1/face-match: usage metering', () => {
  it('records every processed result in the ledger, charging the billable ones', async () => {
    const ledger = createMemoryLedger();
    const h = createHarness({ ledger });
    const match = await (await post(h, PATH, { selfie: selfieWithSimilarity(0.95), idImage: ID_IMAGE })).json();
    await post(h, PATH, { selfie: selfieWithSimilarity(0.5), idImage: ID_IMAGE });
    await post(h, PATH, { selfie: NO_FACE, idImage: ID_IMAGE });
    expect(ledger.records.map((r) => [r.endpoint, r.result, r.charged])).toEqual([
      ['/v1/face-match', 'FACE_MATCH', true],
      ['/v1/face-match', 'FACE_MISMATCH', true],
      ['/v1/face-match', 'NO_FACE_DETECTED', true],
    ]);
    expect(ledger.records[0]).toMatchObject({ request_id: match.requestId, org_id: 'acme', ts: '2026-11-23T12:00:00.000Z' });
  });
});
