import { describe, expect, it } from 'vitest';
import { FaceComparisonResponseSchema } from '../../src/api/face-comparison.ts';
import { createHarness, validBody } from '../support/app.ts';
import { selfieWithSimilarity } from '../support/fake-engine.ts';

describe('POST /v1/face-comparison: data.details.warnings', () => {
  it('is an empty list for a clean, matching selfie', async () => {
    const h = createHarness();
    const body = await (await h.compare(validBody({ selfie: selfieWithSimilarity(0.91) }))).json();
    expect(FaceComparisonResponseSchema.safeParse(body).success).toBe(true);
    expect(body.data.details.warnings).toEqual([]);
  });

  it('lists LOW_FACE_MATCH_SIMILARITY for a MISMATCH, on the 0–1 scale of this endpoint', async () => {
    const h = createHarness();
    const body = await (await h.compare(validBody({ selfie: selfieWithSimilarity(0.42) }))).json();
    expect(body.data.match_result).toBe('MISMATCH');
    expect(body.data.details.warnings).toEqual([expect.objectContaining({ risk: 'LOW_FACE_MATCH_SIMILARITY', log_type: 'warning', additional_data: JSON.stringify({ score: 0.42, threshold: 0.75 }) })]);
  });

  it('lists selfie findings (faces, pose, quality, liveness) without changing the verdict', async () => {
    const h = createHarness();
    const body = await (await h.compare(validBody({ selfie: selfieWithSimilarity(0.91, 2, { YAW: 33, SHARP: 5, LIVE: 0.05, SIZE: 60 }) }))).json();
    expect(FaceComparisonResponseSchema.safeParse(body).success).toBe(true);
    expect(body.data.match_result).toBe('CONFIRMED');
    expect(body.data.details.warnings.map((w: { risk: string }) => w.risk).sort()).toEqual(['EXTREME_FACE_POSE', 'FACE_TOO_SMALL', 'LOW_IMAGE_QUALITY', 'MULTIPLE_FACES_DETECTED', 'POSSIBLE_PRESENTATION_ATTACK']);
    for (const w of body.data.details.warnings) expect(JSON.parse(w.additional_data).image).toBe('selfie');
  });
});
