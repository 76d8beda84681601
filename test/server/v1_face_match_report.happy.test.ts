import { describe, expect, it } from 'vitest';
import { FaceMatchReportSchema } from '../../src/api/face-match-report.ts';
import { createMemoryLedger } from '../../src/billing/ledger.ts';
import { createMediaStore } from '../../src/media/store.ts';
import { MAX_POSE_DEGREES, MIN_FACE_SIZE_PX, MIN_LIVENESS_SCORE, MIN_SHARPNESS } from '../../src/policy/warnings.ts';
import { createAccountStore } from '../../src/accounts/store.ts';
import { createHarness, testAccounts } from '../support/app.ts';
import { fakeCrop, selfieWithSimilarity } from '../support/fake-engine.ts';
import { ID_IMAGE, NO_FACE, post } from '../support/face-match.ts';

const PATH = '/v1/face-match-report';

async function report(h: ReturnType<typeof createHarness>, body: Record<string, unknown>) {
  const res = await post(h, PATH, body);
  expect(res.status).toBe(200);
  const json = await res.json();
  expect(FaceMatchReportSchema.safeParse(json).success).toBe(true);
  return json.face_match as { status: string; score: number; source_image: string | null; target_image: string | null; warnings: Array<Record<string, unknown>> };
}

const risks = (fm: { warnings: Array<Record<string, unknown>> }) => fm.warnings.map((w) => w.risk);

describe('POST /v1/face-match-report: status, score and review band', () => {
  it('approves at or above the approval threshold (default 90) with no warnings', async () => {
    const h = createHarness();
    const fm = await report(h, { selfie: selfieWithSimilarity(0.9512), idImage: ID_IMAGE });
    expect(fm).toMatchObject({ status: 'Approved', score: 95.12, warnings: [] });
  });

  it('puts scores in [review, approval) In Review with a LOW_FACE_MATCH_SIMILARITY warning (log_type warning)', async () => {
    const h = createHarness();
    const fm = await report(h, { selfie: selfieWithSimilarity(0.8), idImage: ID_IMAGE });
    expect(fm.status).toBe('In Review');
    expect(fm.score).toBe(80);
    expect(fm.warnings).toEqual([
      {
        risk: 'LOW_FACE_MATCH_SIMILARITY',
        additional_data: JSON.stringify({ score: 80, threshold: 90, review_threshold: 75 }),
        log_type: 'warning',
        short_description: 'Low face match similarity',
        long_description: "The facial features of the provided image don't closely match the reference image, suggesting a potential identity mismatch.",
      },
    ]);
  });

  it('rejects below the review threshold (the similarity warning is then an error)', async () => {
    const h = createHarness();
    const fm = await report(h, { selfie: selfieWithSimilarity(0.6543), idImage: ID_IMAGE });
    expect(fm).toMatchObject({ status: 'Rejected', score: 65.43 });
    expect(fm.warnings[0]).toMatchObject({ risk: 'LOW_FACE_MATCH_SIMILARITY', log_type: 'error' });
  });

  it('takes approval_threshold and review_threshold from the request', async () => {
    const h = createHarness();
    expect((await report(h, { selfie: selfieWithSimilarity(0.6543), idImage: ID_IMAGE, approval_threshold: 70, review_threshold: 60 })).status).toBe('In Review');
    expect((await report(h, { selfie: selfieWithSimilarity(0.72), idImage: ID_IMAGE, approval_threshold: 70, review_threshold: 60 })).status).toBe('Approved');
    // review = approval: no review band.
    expect((await report(h, { selfie: selfieWithSimilarity(0.8), idImage: ID_IMAGE, approval_threshold: 85, review_threshold: 85 })).status).toBe('Rejected');
    // An organisation whose threshold floor is 0 may approve anything (the default floor, 60, refuses it).
    const noFloor = testAccounts();
    const lax = createHarness({ accounts: createAccountStore({ ...noFloor, organisations: noFloor.organisations.map((o) => ({ ...o, threshold_floor: 0 })) }) });
    expect((await report(lax, { selfie: selfieWithSimilarity(0.5), idImage: ID_IMAGE, approval_threshold: 0, review_threshold: 0 })).status).toBe('Approved');
  });

  it('rounds the score to 2 decimals and applies the bands to the rounded score', async () => {
    const h = createHarness();
    const fm = await report(h, { selfie: selfieWithSimilarity(0.89996), idImage: ID_IMAGE });
    expect(fm).toMatchObject({ score: 90, status: 'Approved' });
  });
});

describe('POST /v1/face-match-report: no face', () => {
  it.each([
    ['selfie', { selfie: NO_FACE, idImage: ID_IMAGE }, 'selfie', 'source_image'],
    ['ID image', { selfie: selfieWithSimilarity(0.95), idImage: NO_FACE }, 'id_image', 'target_image'],
  ])('answers Rejected, score 0 and a NO_FACE_DETECTED error warning when the %s has no face', async (_what, body, image, present) => {
    const h = createHarness();
    const fm = await report(h, body);
    expect(fm).toMatchObject({ status: 'Rejected', score: 0 });
    expect(fm.warnings).toContainEqual(expect.objectContaining({ risk: 'NO_FACE_DETECTED', log_type: 'error', additional_data: JSON.stringify({ image }) }));
    expect(risks(fm)).not.toContain('LOW_FACE_MATCH_SIMILARITY');
    // The image that had a face still gets its link; the other is null.
    const other = present === 'source_image' ? 'target_image' : 'source_image';
    expect(fm[present as 'source_image']).toMatch(/^\/v1\/media\//);
    expect(fm[other as 'source_image']).toBeNull();
  });

  it('reports both images when neither has a face', async () => {
    const h = createHarness();
    const fm = await report(h, { selfie: NO_FACE, idImage: NO_FACE });
    expect(fm).toMatchObject({ status: 'Rejected', score: 0, source_image: null, target_image: null });
    expect(risks(fm)).toEqual(['NO_FACE_DETECTED', 'NO_FACE_DETECTED']);
  });
});

describe('POST /v1/face-match-report: warnings', () => {
  it.each([
    ['MULTIPLE_FACES_DETECTED', selfieWithSimilarity(0.95, 2), 'warning', { image: 'selfie', faces: 2 }],
    ['FACE_TOO_SMALL', selfieWithSimilarity(0.95, 1, { SIZE: 54 }), 'warning', { image: 'selfie', face_size_px: 54, min_face_size_px: MIN_FACE_SIZE_PX }],
    ['LOW_IMAGE_QUALITY', selfieWithSimilarity(0.95, 1, { SHARP: 3.5 }), 'warning', { image: 'selfie', problems: ['blurred'], sharpness: 3.5, brightness: 0.5, clipped: 0 }],
    ['LOW_IMAGE_QUALITY', selfieWithSimilarity(0.95, 1, { BRIGHT: 0.08 }), 'warning', { image: 'selfie', problems: ['under-exposed'], sharpness: 100, brightness: 0.08, clipped: 0 }],
    ['LOW_IMAGE_QUALITY', selfieWithSimilarity(0.95, 1, { BRIGHT: 0.96, CLIP: 0.73 }), 'warning', { image: 'selfie', problems: ['over-exposed', 'clipped highlights or shadows'], sharpness: 100, brightness: 0.96, clipped: 0.73 }],
    ['EXTREME_FACE_POSE', selfieWithSimilarity(0.95, 1, { YAW: -29.6 }), 'warning', { image: 'selfie', yaw: -29.6, pitch: 0, max_degrees: MAX_POSE_DEGREES }],
    ['EXTREME_FACE_POSE', selfieWithSimilarity(0.95, 1, { PITCH: 31 }), 'warning', { image: 'selfie', yaw: 0, pitch: 31, max_degrees: MAX_POSE_DEGREES }],
    ['POSSIBLE_PRESENTATION_ATTACK', selfieWithSimilarity(0.95, 1, { LIVE: 0.05 }), 'warning', { image: 'selfie', antispoof: 0.05, liveness: 0.05, min_score: MIN_LIVENESS_SCORE }],
  ])('raises %s from the selfie measures', async (risk, selfie, logType, data) => {
    const h = createHarness();
    const fm = await report(h, { selfie, idImage: ID_IMAGE });
    const w = fm.warnings.find((x) => x.risk === risk)!;
    expect(w).toBeDefined();
    expect(w.log_type).toBe(logType);
    expect(JSON.parse(w.additional_data as string)).toEqual(data);
    expect(typeof w.short_description).toBe('string');
    expect((w.long_description as string).length).toBeGreaterThan(40);
  });

  it('does not warn at the limits themselves (25° pose, minimum size and sharpness)', async () => {
    const h = createHarness();
    const fm = await report(h, { selfie: selfieWithSimilarity(0.95, 1, { YAW: 25, PITCH: -25, SIZE: MIN_FACE_SIZE_PX, SHARP: MIN_SHARPNESS, LIVE: MIN_LIVENESS_SCORE }), idImage: ID_IMAGE });
    expect(fm.warnings).toEqual([]);
  });

  it('moves an approvable score to In Review when the presentation-attack signal is raised', async () => {
    const h = createHarness();
    const fm = await report(h, { selfie: selfieWithSimilarity(0.97, 1, { LIVE: 0.04 }), idImage: ID_IMAGE });
    expect(fm).toMatchObject({ status: 'In Review', score: 97 });
  });

  it('quality warnings alone do not change the status', async () => {
    const h = createHarness();
    const fm = await report(h, { selfie: selfieWithSimilarity(0.97, 2, { YAW: 40, SHARP: 2 }), idImage: ID_IMAGE });
    expect(fm.status).toBe('Approved');
    expect(risks(fm).sort()).toEqual(['EXTREME_FACE_POSE', 'LOW_IMAGE_QUALITY', 'MULTIPLE_FACES_DETECTED']);
  });
});

describe('POST /v1/face-match-report: image links and metering', () => {
  it('links the ID portrait crop (source_image) and the selfie crop (target_image) as relative links without a configured base URL', async () => {
    const h = createHarness();
    const res = await post(h, PATH, { selfie: selfieWithSimilarity(0.95), idImage: ID_IMAGE }, { headers: { host: 'kyc.example.test:8080' } });
    const fm = (await res.json()).face_match;
    expect(fm.source_image).toMatch(/^\/v1\/media\/[A-Za-z0-9_-]{22}\.\d+\.[A-Za-z0-9_-]{43}$/);
    expect(fm.target_image).not.toBe(fm.source_image);
    const source = await h.app.request(fm.source_image);
    expect(source.status).toBe(200);
    expect(source.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await source.arrayBuffer())).toEqual(await fakeCrop(1));
    const target = await h.app.request(fm.target_image);
    expect(new Uint8Array(await target.arrayBuffer())).toEqual(await fakeCrop(0.95));
  });

  it('uses the configured public base URL when given', async () => {
    const h = createHarness({ publicBaseUrl: 'https://kyc.example.com/' });
    const fm = await report(h, { selfie: selfieWithSimilarity(0.95), idImage: ID_IMAGE });
    expect(fm.source_image).toMatch(/^https:\/\/kyc\.example\.com\/v1\/media\//);
  });

  it('stores the crops in the media store from the services container', async () => {
    const media = createMediaStore();
    const h = createHarness({ media });
    const fm = await report(h, { selfie: selfieWithSimilarity(0.95), idImage: ID_IMAGE });
    const token = fm.target_image!.split('/').pop()!;
    expect(media.get(token)).toMatchObject({ status: 'ok', contentType: 'image/jpeg' });
  });

  it('bills every completed report (Approved, In Review, Rejected) and records its status', async () => {
    const ledger = createMemoryLedger();
    const h = createHarness({ ledger });
    await report(h, { selfie: selfieWithSimilarity(0.95), idImage: ID_IMAGE });
    await report(h, { selfie: selfieWithSimilarity(0.8), idImage: ID_IMAGE });
    await report(h, { selfie: NO_FACE, idImage: ID_IMAGE });
    expect(ledger.records.map((r) => [r.endpoint, r.result, r.charged])).toEqual([
      ['/v1/face-match-report', 'Approved', true],
      ['/v1/face-match-report', 'In Review', true],
      ['/v1/face-match-report', 'Rejected', true],
    ]);
  });
});
