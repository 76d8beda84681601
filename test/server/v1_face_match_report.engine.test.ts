/**
 * POST /v1/face-match-report end to end with the real face engine: status, score, warnings and the
 * two image links serving the engine's aligned face crops. Skipped without the models or photos.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceMatchReportSchema } from '../../src/api/face-match-report.ts';
import { modelsDir } from '../../src/config/paths.ts';
import { createFaceEngine } from '../../src/engine/index.ts';
import { createHarness, type TestHarness } from '../support/app.ts';
import { renderDocument } from '../support/documents.ts';
import { movableClock, post } from '../support/face-match.ts';
import { hasSharedData, sharedImage } from '../support/shared-data.ts';

const available = hasSharedData && existsSync(path.join(modelsDir(), 'blazeface.onnx'));
const b64 = (file: string) => sharedImage(file).toString('base64');

describe.skipIf(!available)('POST /v1/face-match-report with the real face engine', () => {
  let engine: Awaited<ReturnType<typeof createFaceEngine>>;
  let h: TestHarness;
  const clock = movableClock();
  let card: string;

  beforeAll(async () => {
    engine = await createFaceEngine();
    h = createHarness({ engine, clock });
    card = (await renderDocument({ kind: 'ID1', portrait: 'faces/penny/penny1.png' })).toString('base64');
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
  });

  const report = async (selfie: string, idImage: string) => {
    const res = await post(h, '/v1/face-match-report', { selfie, idImage });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(FaceMatchReportSchema.safeParse(body).success).toBe(true);
    return body.face_match;
  };

  it('reports the same person above another, with links to 224×224 JPEG face crops', async () => {
    const same = await report(b64('faces/penny/penny2.png'), card);
    const other = await report(b64('faces/sheldon/sheldon2.png'), card);
    expect(same.score).toBeGreaterThan(other.score + 5);
    for (const fm of [same, other]) {
      expect(fm.status).toBe(fm.score >= 90 ? (fm.warnings.some((w: { risk: string }) => w.risk === 'POSSIBLE_PRESENTATION_ATTACK') ? 'In Review' : 'Approved') : fm.score >= 75 ? 'In Review' : 'Rejected');
      expect(fm.warnings.some((w: { risk: string }) => w.risk === 'LOW_FACE_MATCH_SIMILARITY')).toBe(fm.score < 90);
    }
    for (const url of [same.source_image, same.target_image]) {
      const res = await h.app.request(new URL(url, 'http://localhost').pathname);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
      const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
      expect(meta).toMatchObject({ format: 'jpeg', width: 224, height: 224 });
    }
    clock.advance(61 * 60_000);
    expect((await h.app.request(new URL(same.source_image, 'http://localhost').pathname)).status).toBe(410);
  });

  it('rejects with a NO_FACE_DETECTED error warning when the selfie has no face', async () => {
    const fm = await report(b64('edge/no-face-white.png'), card);
    expect(fm).toMatchObject({ status: 'Rejected', score: 0, target_image: null });
    expect(fm.source_image).toMatch(/\/v1\/media\//);
    expect(fm.warnings).toContainEqual(expect.objectContaining({ risk: 'NO_FACE_DETECTED', log_type: 'error' }));
  });

  it('warns about a blurred, dark selfie', async () => {
    const dark = (await sharp(sharedImage('faces/obama/obama1.jpg')).blur(8).linear(0.15, 0).jpeg().toBuffer()).toString('base64');
    const fm = await report(dark, b64('faces/obama/obama2.jpg'));
    const quality = fm.warnings.find((w: { risk: string }) => w.risk === 'LOW_IMAGE_QUALITY');
    expect(quality, JSON.stringify(fm.warnings)).toBeDefined();
    expect(JSON.parse(quality.additional_data).problems).toEqual(expect.arrayContaining(['blurred', 'under-exposed']));
  });
});
