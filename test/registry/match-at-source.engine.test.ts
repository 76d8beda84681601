/**
 * BR_CPF end to end: the route, the real face engine analysing the selfie first, the registry SDK
 * with the Datavalid adapter, and the Datavalid mock comparing faces with the same engine.
 * Skipped when the ONNX models or the demo face photos are not present.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { setupServer } from 'msw/node';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../adapters/index.ts';
import { DATAVALID_SCORE_TABLE } from '../../adapters/br-serpro/adapter.ts';
import { createRegistryMocks, engineFaceSimilarity, loadDemoPeople, resolveFacePath, SPECIAL_IDS, type RegistryMocks } from '../../mocks/index.ts';
import { modelsDir } from '../../src/config/paths.ts';
import { createFaceEngine } from '../../src/engine/index.ts';
import type { FaceEngine } from '../../src/engine/types.ts';
import { loadCalibration } from '../../src/policy/calibration.ts';
import { scoreFromRegistry } from '../../src/policy/match-at-source.ts';
import { createPolicy, round2 } from '../../src/policy/policy.ts';
import { createRegistry, type Registry } from '../../src/registry/index.ts';
import { createHarness, type TestHarness } from '../support/app.ts';

const PENNY_SELFIE = resolveFacePath('../shared/data/faces/penny/penny3.png');
const SHELDON_SELFIE = resolveFacePath('../shared/data/faces/sheldon/sheldon2.png');
const PENNY_CPF = '818.459.951-04';
const available = existsSync(path.join(modelsDir(), 'blazeface.onnx')) && existsSync(PENNY_SELFIE) && existsSync(SHELDON_SELFIE);
const CPF = SPECIAL_IDS['br-serpro']!;

describe.skipIf(!available)('BR_CPF: match at source through Datavalid', () => {
  const server = setupServer();
  let registry: Registry;
  let engine: FaceEngine;
  let mocks: RegistryMocks;
  let h: TestHarness;
  const policy = createPolicy(loadCalibration());
  const image = (file: string) => sharp(file).toBuffer().then((b) => `data:image/png;base64,${b.toString('base64')}`);
  const body = async (id_number: string, file = PENNY_SELFIE) => ({ id_type: 'BR_CPF', id_number, selfie: await image(file) });

  beforeAll(async () => {
    engine = await createFaceEngine();
    const people = await loadDemoPeople();
    mocks = createRegistryMocks({ people, faceSimilarity: engineFaceSimilarity(() => engine, (raw) => policy.calibration.toScore(raw)) });
    server.listen({ onUnhandledRequest: 'error' });
    registry = createRegistry({ retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } }, { adapters: ADAPTERS });
  });
  beforeEach(() => {
    mocks.state.reset();
    server.resetHandlers(...mocks.handlers);
    h = createHarness({ registry: registry.router, engine, policy });
  });
  afterAll(async () => {
    server.close();
    await registry?.close();
    await (engine as { close?: () => Promise<void> } | undefined)?.close?.();
  });

  it("confirms a selfie against the registry's own face, in the 001 envelope with the registry's band", async () => {
    const res = await h.compare(await body(PENNY_CPF));
    expect(res.status).toBe(200);
    const json = await res.json();
    expect(json.data.details).toMatchObject({ source: 'br-serpro', match_at_source: true });
    expect(json.data.match_result).toBe('CONFIRMED');
    expect(['Alta probabilidade', 'Altíssima probabilidade']).toContain(json.data.details.registry_band);
    // No name comes back from Datavalid; only the masked number the caller sent.
    expect(json.data.identity.id_number_masked).toMatch(/^\*+\d{3,4}$/);
    expect(JSON.stringify(json)).not.toContain('81845995104');
    expect(json.meta.timings_ms.selfie_analysis).toBeGreaterThan(0);
    expect(mocks.state.lookups('br-serpro')).toBe(1);
  });

  it("another person's selfie is a MISMATCH in a low band, and the score is the band table's image of the registry's similarity", async () => {
    const res = await h.compare(await body(PENNY_CPF, SHELDON_SELFIE));
    expect(res.status).toBe(200);
    const json = await res.json();
    expect(json.data.match_result).toBe('MISMATCH');
    expect(['Baixa probabilidade', 'Baixíssima probabilidade']).toContain(json.data.details.registry_band);
    expect(json.data.confidence.score).toBeLessThan(0.6);
    const band = DATAVALID_SCORE_TABLE.find((b) => b.label === json.data.details.registry_band)!;
    expect(json.data.confidence.score).toBeGreaterThanOrEqual(round2(scoreFromRegistry(band.from, DATAVALID_SCORE_TABLE)));
  });

  it('a selfie without a face is refused locally (422) and never sent to the registry', async () => {
    const blank = await sharp({ create: { width: 400, height: 400, channels: 3, background: { r: 128, g: 128, b: 128 } } }).png().toBuffer();
    const res = await h.compare({ id_type: 'BR_CPF', id_number: PENNY_CPF, selfie: blank.toString('base64') });
    expect(res.status).toBe(422);
    expect((await res.json()).code).toBe('LANDMARKS_NOT_FOUND');
    expect(mocks.state.lookups('br-serpro')).toBe(0);
  });

  it('a CPF with a wrong check digit → 400 VALIDATION_ERROR, no registry call', async () => {
    const res = await h.compare(await body('818.459.951-05'));
    expect(res.status).toBe(400);
    const json = await res.json();
    expect(json.code).toBe('VALIDATION_ERROR');
    expect(JSON.stringify(json.details)).toMatch(/check digits/);
    expect(mocks.state.lookups('br-serpro')).toBe(0);
  });

  it('Datavalid 503 → retryable 503 with Retry-After, never a MISMATCH', async () => {
    const res = await h.compare(await body(CPF.server_error));
    expect(res.status).toBe(503);
    const json = await res.json();
    expect(json.code).toBe('SERVICE_ERROR');
    expect(json.retryable).toBe(true);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('an expired OAuth token is refreshed once and the answer is unchanged', async () => {
    expect((await h.compare(await body(PENNY_CPF))).status).toBe(200);
    mocks.state.revokeTokens();
    const res = await h.compare(await body(PENNY_CPF));
    expect(res.status).toBe(200);
    expect((await res.json()).data.match_result).toBe('CONFIRMED');
  });

  it('DV040 (no face on record) → 404 ID_NOT_FOUND with reason NO_REFERENCE_FACE', async () => {
    const res = await h.compare(await body(CPF.photo_missing));
    expect(res.status).toBe(404);
    expect((await res.json()).details.reason).toBe('NO_REFERENCE_FACE');
  });

  it("MX_INE: the credential holder's selfie is CONFIRMED at source, with INE's vigencia in the identity", async () => {
    const selfie = await image(resolveFacePath('../shared/data/faces/amy/amy3.png'));
    const res = await h.compare({ id_type: 'MX_INE', id_number: '314159265-358979323', selfie });
    expect(res.status).toBe(200);
    const json = await res.json();
    expect(json.data.match_result).toBe('CONFIRMED');
    expect(json.data.details).toMatchObject({ source: 'mx-ine', match_at_source: true });
    expect(json.data.identity.ine_vigencia).toBe('valid');
  });

  it('MX_CURP: a clear 400 VALIDATION_ERROR on id_type (RENAPO holds no photo), no registry call', async () => {
    const res = await h.compare({ id_type: 'MX_CURP', id_number: 'BOXW310820HNERXN09', selfie: await image(PENNY_SELFIE) });
    expect(res.status).toBe(400);
    const json = await res.json();
    expect(json.code).toBe('VALIDATION_ERROR');
    expect(json.details.id_type).toMatch(/RENAPO/);
    expect(mocks.state.lookups('mx-ine')).toBe(0);
  });

  it('an unknown CPF → 404 NO_RECORD', async () => {
    const res = await h.compare(await body(CPF.not_found));
    expect(res.status).toBe(404);
    expect((await res.json()).details.reason).toBe('NO_RECORD');
  });
});
