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
    expect(Object.keys(doc.paths).sort()).toEqual(['/health', '/v1/face-comparison', '/v1/face-match', '/v1/face-match-report', '/v1/media/{token}', '/v1/usage']);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('documents the face-comparison request, the response and every error status', async () => {
    const doc = await (await createHarness().app.request('/openapi.json')).json();
    const op = doc.paths['/v1/face-comparison'].post;
    expect(op.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '401', '403', '404', '413', '422', '500', '503']);
    const req = doc.components.schemas.FaceComparisonRequest;
    expect(req.required.sort()).toEqual(['id_number', 'id_type', 'selfie']);
    expect(req.properties.threshold).toMatchObject({ minimum: 0, maximum: 1, default: 0.75 });
    expect(req.properties.selfie.example).toBeDefined();
    const conf = doc.components.schemas.Confidence;
    expect(conf.properties.status.enum).toEqual(['STRONG_MATCH', 'MATCH', 'NO_MATCH']);
    expect(op.description).toMatch(/STRONG_MATCH/);
    expect(doc.components.schemas.ErrorEnvelope.properties.code.enum.sort()).toEqual(Object.keys(ERROR_CODES).sort());
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
