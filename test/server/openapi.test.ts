import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/api/errors.ts';
import { createHarness } from '../support/app.ts';

describe('GET /openapi.json', () => {
  it('serves an OpenAPI 3.1 document generated from the zod schemas', async () => {
    const h = createHarness();
    const res = await h.app.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('facematch API');
    expect(Object.keys(doc.paths).sort()).toEqual(['/.well-known/jwks.json', '/health', '/ready', '/v1/face-comparison', '/v1/face-match', '/v1/face-match-report', '/v1/media/{token}', '/v1/reviews', '/v1/reviews/{id}', '/v1/usage']);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('documents the face-comparison request, the response and every error status', async () => {
    const doc = await (await createHarness().app.request('/openapi.json')).json();
    const op = doc.paths['/v1/face-comparison'].post;
    expect(op.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '401', '403', '404', '413', '422', '429', '500', '503']);
    const req = doc.components.schemas.FaceComparisonRequest;
    expect(req.required.sort()).toEqual(['id_number', 'id_type', 'selfie']);
    expect(req.properties.threshold).toMatchObject({ minimum: 0, maximum: 1, default: 0.75 });
    expect(req.properties.selfie.example).toBeDefined();
    const conf = doc.components.schemas.Confidence;
    expect(conf.properties.status.enum).toEqual(['STRONG_MATCH', 'MATCH', 'NO_MATCH']);
    expect(op.description).toMatch(/STRONG_MATCH/);
    expect(doc.components.schemas.ErrorEnvelope.properties.code.enum.sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });

  it('documents /v1/face-match, /v1/face-match-report and /v1/media/{token} with their schemas', async () => {
    const doc = await (await createHarness().app.request('/openapi.json')).json();
    const match = doc.paths['/v1/face-match'].post;
    expect(match.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(match.responses).sort()).toEqual(['200', '400', '401', '403', '413', '429', '500', '503']);
    const req = doc.components.schemas.FaceMatchRequest;
    expect(req.required.sort()).toEqual(['idImage', 'selfie']);
    expect(req.properties.threshold).toMatchObject({ minimum: 1, maximum: 100, default: 90 });
    expect(req.properties.documentType.enum).toEqual(['IFE', 'INE', 'MEX_PASSPORT', 'MEX_RESIDENCE_CARD', 'MEX_PROFESSIONAL_ID', 'ANY']);
    const envelope = doc.components.schemas.FaceMatchEnvelope;
    expect(envelope.required.sort()).toEqual(['billable', 'code', 'message', 'requestId', 'result', 'status', 'timestamp']);
    expect(envelope.properties.code.enum).toEqual(expect.arrayContaining(['FACE_MATCH', 'FACE_MISMATCH', 'NO_FACE_DETECTED', 'NO_DOCUMENT_DETECTED', 'DOCUMENT_TYPE_MISMATCH', 'INVALID_REQUEST', 'UNAUTHORIZED', 'INTERNAL_ERROR', 'SERVICE_UNAVAILABLE', 'RATE_LIMIT_EXCEEDED']));
    const report = doc.paths['/v1/face-match-report'].post;
    expect(report.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/FaceMatchReport');
    expect(doc.components.schemas.FaceMatchReportRequest.properties.review_threshold).toMatchObject({ minimum: 0, maximum: 100, default: 75 });
    expect(doc.components.schemas.FaceWarning.properties.risk.enum).toContain('POSSIBLE_PRESENTATION_ATTACK');
    const media = doc.paths['/v1/media/{token}'].get;
    expect(Object.keys(media.responses).sort()).toEqual(['200', '404', '410']);
    expect(media.security).toBeUndefined();
  });

  it('lists every error code with its HTTP status in the description', async () => {
    const doc = await (await createHarness().app.request('/openapi.json')).json();
    for (const [code, e] of Object.entries(ERROR_CODES)) expect(doc.info.description).toContain(`| ${e.status} | ${code} |`);
  });
});

describe('GET /health', () => {
  it('reports the engine, calibration and id_types without authentication', async () => {
    const res = await createHarness().app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', engine: 'fake-engine@1', calibration: 'raw-cosine', id_types: ['TEST_ID'] });
  });

  it('answers unknown paths with the error envelope', async () => {
    const res = await createHarness().app.request('/v2/nothing');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ success: false, code: 'NOT_FOUND' });
  });
});
