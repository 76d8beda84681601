/**
 * IN_AADHAAR end to end: POST /v1/face-comparison with an offline e-KYC ZIP signed in the test,
 * the real face engine comparing the selfie with the document's Pht, and the contract errors for
 * each refused document. Skipped when the ONNX models or the demo face photos are not present.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../adapters/index.ts';
import { ekycXml, ekycZip, OTHER_SIGNER, signEkyc, TEST_UIDAI, type EkycPerson } from '../../adapters/in-aadhaar/mock.ts';
import { resolveFacePath } from '../../mocks/index.ts';
import { modelsDir } from '../../src/config/paths.ts';
import { createFaceEngine } from '../../src/engine/index.ts';
import type { FaceEngine } from '../../src/engine/types.ts';
import { loadCalibration } from '../../src/policy/calibration.ts';
import { createPolicy } from '../../src/policy/policy.ts';
import { createRegistry, type Registry } from '../../src/registry/index.ts';
import { createHarness, type TestHarness } from '../support/app.ts';

const REFERENCE = resolveFacePath('../shared/data/faces/bernadette/bernadette4.png');
const SELFIE = resolveFacePath('../shared/data/faces/bernadette/bernadette3.png');
const OTHER = resolveFacePath('../shared/data/faces/sheldon/sheldon2.png');
const available = existsSync(path.join(modelsDir(), 'blazeface.onnx')) && [REFERENCE, SELFIE, OTHER].every((f) => existsSync(f));

describe.skipIf(!available)('IN_AADHAAR: offline e-KYC through the route', () => {
  let registry: Registry;
  let engine: FaceEngine;
  let h: TestHarness;
  let person: EkycPerson;
  const SHARE = '2468';
  const b64 = async (file: string) => (await sharp(file).toBuffer()).toString('base64');
  const zip = async (xml: string) => Buffer.from(await ekycZip(xml, SHARE)).toString('base64');
  const request = async (aadhaar_zip: string, extra: Record<string, unknown> = {}) => ({
    id_type: 'IN_AADHAAR',
    id_number: '2345 6709 4321',
    selfie: await b64(SELFIE),
    aadhaar_zip,
    share_code: SHARE,
    ...extra,
  });

  beforeAll(async () => {
    engine = await createFaceEngine();
    registry = createRegistry({ adapters: { 'in-aadhaar': { uidaiCertificate: TEST_UIDAI.cert } } }, { adapters: ADAPTERS });
    h = createHarness({ registry: registry.router, engine, policy: createPolicy(loadCalibration()) });
    const photo = new Uint8Array(await sharp(REFERENCE).resize(200, 200, { fit: 'inside' }).jpeg({ quality: 80 }).toBuffer());
    person = { last4: '4321', fullName: 'Bernadette Rostenkowski', dateOfBirth: '1990-03-12', gender: 'F', photo };
  });
  afterAll(async () => {
    await registry?.close();
    await (engine as { close?: () => Promise<void> } | undefined)?.close?.();
  });

  it("confirms the holder's selfie against the signed Pht, with the record masked to the last 4 digits", async () => {
    const res = await h.compare(await request(await zip(signEkyc(ekycXml(person)))));
    expect(res.status).toBe(200);
    const json = await res.json();
    expect(json.data.match_result).toBe('CONFIRMED');
    expect(json.data.details.source).toBe('in-aadhaar');
    expect(json.data.identity).toMatchObject({ full_name: 'Bernadette Rostenkowski', aadhaar_masked: 'XXXX XXXX 4321' });
    expect(JSON.stringify(json)).not.toContain('234567094321');
    // A document's reference is never cached.
    expect(json.meta.cache).toBe('miss');
    const again = await (await h.compare(await request(await zip(signEkyc(ekycXml(person)))))).json();
    expect(again.meta.cache).toBe('miss');
  });

  it("another person's selfie with the same document is a MISMATCH", async () => {
    const res = await h.compare(await request(await zip(signEkyc(ekycXml(person))), { selfie: await b64(OTHER) }));
    expect(res.status).toBe(200);
    expect((await res.json()).data.match_result).toBe('MISMATCH');
  });

  it.each([
    ['a bad share code', async () => ({ share_code: '0000' }), 'SHARE_CODE_INVALID'],
    ['a tampered XML', async () => ({ aadhaar_zip: await zip(signEkyc(ekycXml(person)).replace('Rostenkowski', 'Wolowitz')) }), 'DOCUMENT_TAMPERED'],
    ['an unsigned XML', async () => ({ aadhaar_zip: await zip(ekycXml(person)) }), 'DOCUMENT_UNSIGNED'],
    ['a wrong certificate', async () => ({ aadhaar_zip: await zip(signEkyc(ekycXml(person), OTHER_SIGNER)) }), 'DOCUMENT_WRONG_SIGNER'],
    ['garbage instead of a ZIP', async () => ({ aadhaar_zip: 'bm90IGEgemlw' }), 'DOCUMENT_INVALID'],
    ['no document', async () => ({ aadhaar_zip: undefined, share_code: undefined }), 'DOCUMENT_REQUIRED'],
  ] as const)('%s → 400 INVALID_INPUT with its reason, never a 5xx or a MISMATCH', async (_label, change, reason) => {
    const body = { ...(await request(await zip(signEkyc(ekycXml(person))))), ...(await change()) };
    const res = await h.compare(body);
    expect(res.status).toBe(400);
    const json = await res.json();
    expect(json.code).toBe('INVALID_INPUT');
    expect(json.details).toMatchObject({ field: 'aadhaar_zip', reason });
  });

  it('a wrong Verhoeff digit in a full number → 400 VALIDATION_ERROR before the document is opened', async () => {
    const res = await h.compare(await request(await zip(signEkyc(ekycXml(person))), { id_number: '2345 6709 4322' }));
    expect(res.status).toBe(400);
    expect((await res.json()).code).toBe('VALIDATION_ERROR');
  });
});
