/**
 * POST /v1/face-match end to end with the real face engine and the real document check: a selfie
 * against documents rendered in the test (real portraits from the shared data folder) and against
 * plain photos. Skipped when the ONNX models or the shared photos are absent.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceMatchEnvelopeSchema } from '../../src/api/face-match.ts';
import { modelsDir } from '../../src/config/paths.ts';
import { createFaceEngine } from '../../src/engine/index.ts';
import { createHarness, type TestHarness } from '../support/app.ts';
import { renderDocument } from '../support/documents.ts';
import { post } from '../support/face-match.ts';
import { hasSharedData, sharedImage } from '../support/shared-data.ts';

const available = hasSharedData && existsSync(path.join(modelsDir(), 'blazeface.onnx'));
const b64 = (file: string) => sharedImage(file).toString('base64');

describe.skipIf(!available)('POST /v1/face-match with the real face engine', () => {
  let engine: Awaited<ReturnType<typeof createFaceEngine>>;
  let h: TestHarness;
  let ineCard: string;
  let passport: string;

  beforeAll(async () => {
    engine = await createFaceEngine();
    h = createHarness({ engine });
    ineCard = (await renderDocument({ kind: 'ID1', portrait: 'faces/penny/penny1.png' })).toString('base64');
    passport = (await renderDocument({ kind: 'TD3', portrait: 'faces/obama/obama1.jpg' })).toString('base64');
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
  });

  const match = async (selfie: string, idImage: string, documentType?: string) => {
    const res = await post(h, '/v1/face-match', { selfie, idImage, ...(documentType ? { documentType } : {}) });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(FaceMatchEnvelopeSchema.safeParse(body).success).toBe(true);
    return body;
  };

  it('matches a selfie to the portrait on a rendered INE card, and scores another person lower', async () => {
    const same = await match(`data:image/png;base64,${b64('faces/penny/penny2.png')}`, `data:image/jpeg;base64,${ineCard}`, 'INE');
    const other = await match(b64('faces/sheldon/sheldon2.png'), ineCard, 'INE');
    expect(same.result.document).toMatchObject({ passed: true, outcome: 'TYPE_MATCHED', layout: 'ID1_CARD' });
    expect(same.result.similarity).toBeGreaterThan(other.result.similarity + 5);
    for (const body of [same, other]) {
      expect(body.code).toBe(body.result.similarity >= 90 ? 'FACE_MATCH' : 'FACE_MISMATCH');
      expect(body.result.match).toBe(body.code === 'FACE_MATCH');
      expect(body.billable).toBe(true);
    }
  });

  it('checks a rendered passport page as MEX_PASSPORT, and not as an INE', async () => {
    const asPassport = await match(b64('faces/obama/obama2.jpg'), passport, 'MEX_PASSPORT');
    expect(asPassport.result.document).toMatchObject({ passed: true, layout: 'TD3_PASSPORT_PAGE', measures: { mrzBand: true } });
    const asIne = await match(b64('faces/obama/obama2.jpg'), passport, 'INE');
    expect(asIne).toMatchObject({ code: 'DOCUMENT_TYPE_MISMATCH', result: { match: false } });
  });

  it('answers NO_DOCUMENT_DETECTED for a plain photo as the ID image with documentType ANY', async () => {
    const body = await match(b64('faces/obama/obama2.jpg'), b64('faces/obama/obama1.jpg'), 'ANY');
    expect(body).toMatchObject({ status: 'OK', code: 'NO_DOCUMENT_DETECTED', billable: true, result: { match: false, document: { documentDetected: false } } });
    expect(body.result.similarity).toBeGreaterThan(0);
  });

  it('answers NO_FACE_DETECTED for an image without a face', async () => {
    const body = await match(b64('edge/no-face-white.png'), ineCard, 'INE');
    expect(body).toMatchObject({ code: 'NO_FACE_DETECTED', result: { similarity: null, facesDetected: { selfie: 0 } } });
  });
});
