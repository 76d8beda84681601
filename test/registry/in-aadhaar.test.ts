/**
 * The Aadhaar offline e-KYC adapter against documents signed in the test with a throwaway
 * certificate (adapters/in-aadhaar/mock.ts): the happy path and every refusal, each with its own code.
 */
import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../adapters/index.ts';
import { ekycXml, ekycZip, OTHER_SIGNER, signEkyc, TEST_UIDAI, type EkycPerson } from '../../adapters/in-aadhaar/mock.ts';
import { syntheticJpeg } from '../../mocks/index.ts';
import { parseRegistryConfig } from '../../src/registry/config.ts';
import { createAdapter, RegistryError, type RegistryAdapter, type SubmittedDocument } from '../../src/registry/index.ts';
import type { HttpClient } from '../../src/registry/http.ts';

const offline: HttpClient = { request: () => Promise.reject(new Error('no network expected')), close: async () => {} };
const plugin = ADAPTERS.find((p) => p.id === 'in-aadhaar')!;
const PERSON: EkycPerson = { last4: '4321', fullName: 'Asha Verma', dateOfBirth: '1991-04-23', gender: 'F', photo: syntheticJpeg() };
const SHARE = '5831';

function adapter(config: Record<string, unknown> = { uidaiCertificate: TEST_UIDAI.cert }): RegistryAdapter {
  return createAdapter(plugin, parseRegistryConfig(ADAPTERS, { adapters: { 'in-aadhaar': config } }), { http: offline });
}

const lookup = (document: SubmittedDocument | undefined, id = '4321', a = adapter()) => a.lookup('IN_AADHAAR', id, { requestId: 'r', document });

async function refusal(p: Promise<unknown>): Promise<RegistryError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RegistryError);
  return err as RegistryError;
}

const zipOf = async (xml: string, code: string | null = SHARE) => ({ zip: await ekycZip(xml, code ?? undefined), shareCode: SHARE });

describe('IN_AADHAAR offline e-KYC', () => {
  it('opens the ZIP with the share code, verifies the signature and returns Poi/Poa with Pht as the reference photo, masked to the last 4', async () => {
    const r = await lookup(await zipOf(signEkyc(ekycXml(PERSON))));
    expect(r.identity).toMatchObject({ full_name: 'Asha Verma', date_of_birth: '1991-04-23', gender: 'F', aadhaar_masked: 'XXXX XXXX 4321' });
    expect(r.identity.address).toContain('Bengaluru');
    expect(r.photo.mediaType).toBe('image/jpeg');
    expect(Buffer.from(r.photo.bytes).equals(Buffer.from(PERSON.photo))).toBe(true);
    // Only the last 4 of the number appear, never the referenceId (last 4 + timestamp).
    expect(JSON.stringify(r.identity)).not.toContain('432120261201');
  });

  it('accepts the full 12-digit number (Verhoeff) and keeps only its last 4', async () => {
    const a = adapter();
    expect(a.validateIdNumber('IN_AADHAAR', '2345 6709 4321')).toEqual({ ok: true, normalised: '4321' });
    expect(a.validateIdNumber('IN_AADHAAR', '2345 6709 4322')).toMatchObject({ ok: false, reason: expect.stringMatching(/Verhoeff/) });
    const r = await lookup(await zipOf(signEkyc(ekycXml(PERSON))), '234567094321', a);
    expect(r.identity.aadhaar_masked).toBe('XXXX XXXX 4321');
  });

  it.each<[string, () => Promise<SubmittedDocument | undefined>, string]>([
    ['no document at all', async () => undefined, 'DOCUMENT_REQUIRED'],
    ['a wrong share code', async () => ({ zip: await ekycZip(signEkyc(ekycXml(PERSON)), SHARE), shareCode: '0000' }), 'SHARE_CODE_INVALID'],
    ['an unsigned XML', async () => zipOf(ekycXml(PERSON)), 'DOCUMENT_UNSIGNED'],
    ['a tampered XML (name changed after signing)', async () => zipOf(signEkyc(ekycXml(PERSON)).replace('Asha Verma', 'Mallory Verma')), 'DOCUMENT_TAMPERED'],
    ['a tampered photo', async () => zipOf(signEkyc(ekycXml(PERSON)).replace(/<Pht>[A-Za-z0-9+/]{8}/, '<Pht>AAAAAAAA')), 'DOCUMENT_TAMPERED'],
    ['an XML signed with another certificate', async () => zipOf(signEkyc(ekycXml(PERSON), OTHER_SIGNER)), 'DOCUMENT_WRONG_SIGNER'],
    ['bytes that are not a ZIP', async () => ({ zip: new Uint8Array(Buffer.from('not a zip at all')), shareCode: SHARE }), 'DOCUMENT_INVALID'],
    ['a ZIP without a share code', async () => zipOf(signEkyc(ekycXml(PERSON)), null), 'DOCUMENT_INVALID'],
    ['an XML that is not an offline e-KYC', async () => zipOf(signEkyc('<Other><A/></Other>')), 'DOCUMENT_INVALID'],
    ["someone else's document (other last 4)", async () => zipOf(signEkyc(ekycXml({ ...PERSON, last4: '9876' }))), 'DOCUMENT_ID_MISMATCH'],
  ])('refuses %s → DOCUMENT_REJECTED with its own reason', async (_label, make, reason) => {
    const err = await refusal(lookup(await make()));
    expect(err.kind).toBe('DOCUMENT_REJECTED');
    expect(err.options.reason).toBe(reason);
    expect(err.retryable).toBe(false);
    expect(err.message).not.toContain('Asha');
  });

  it('without a configured UIDAI certificate every document is refused (operator error), never accepted', async () => {
    const err = await refusal(lookup(await zipOf(signEkyc(ekycXml(PERSON))), '4321', adapter({})));
    expect(err.kind).toBe('UNAUTHORISED');
  });
});
