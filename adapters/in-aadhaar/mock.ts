/**
 * Test documents for the offline e-KYC adapter (there is no registry to mock): a throwaway signing
 * certificate generated at load time (never a real UIDAI one), and helpers that build the
 * `OfflinePaperlessKyc` XML in UIDAI's layout, sign it (enveloped XML-DSig) and pack it into a ZIP
 * protected by a share code. All data is synthetic.
 */
import { TextReader, Uint8ArrayWriter, ZipWriter } from '@zip.js/zip.js';
import { generate } from 'selfsigned';
import { SignedXml } from 'xml-crypto';
import type { MockContext } from '../../mocks/common.ts';
import type { ConformanceFixture, MockInstance } from '../../src/registry/plugin.ts';
import type { SubmittedDocument } from '../../src/registry/types.ts';

export interface TestSigner {
  cert: string;
  key: string;
}

async function signer(commonName: string): Promise<TestSigner> {
  const pems = await generate([{ name: 'commonName', value: commonName }], { keySize: 2048, algorithm: 'sha256' });
  return { cert: pems.cert, key: pems.private };
}

/** Stands in for UIDAI's certificate in tests and the demo; `OTHER_SIGNER` is anyone else. */
export const TEST_UIDAI: TestSigner = await signer('Test offline e-KYC signer (not UIDAI)');
export const OTHER_SIGNER: TestSigner = await signer('Someone else');

export interface EkycPerson {
  last4: string;
  fullName: string;
  /** ISO date. */
  dateOfBirth: string;
  gender: 'M' | 'F';
  photo: Uint8Array;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The unsigned document, in UIDAI's layout (dob as DD-MM-YYYY, hashed e-mail and mobile omitted). */
export function ekycXml(p: EkycPerson, timestamp = '20261201120000000'): string {
  const [y, m, d] = p.dateOfBirth.split('-');
  return (
    `<OfflinePaperlessKyc referenceId="${p.last4}${timestamp}"><UidData>` +
    `<Poi dob="${d}-${m}-${y}" gender="${p.gender}" name="${escape(p.fullName)}"/>` +
    `<Poa careof="" country="India" dist="Bengaluru Urban" house="12" landmark="" loc="Indiranagar" pc="560038" po="" state="Karnataka" street="100 Feet Road" subdist="" vtc="Bengaluru"/>` +
    `<Pht>${Buffer.from(p.photo).toString('base64')}</Pht>` +
    `</UidData></OfflinePaperlessKyc>`
  );
}

/** Sign with an enveloped signature over the whole document, as UIDAI does. */
export function signEkyc(xml: string, by: TestSigner = TEST_UIDAI): string {
  const sig = new SignedXml({
    privateKey: by.key,
    publicCert: by.cert,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  sig.addReference({
    xpath: '/*',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    isEmptyUri: true,
  });
  sig.computeSignature(xml);
  return sig.getSignedXml();
}

/** Pack the XML into a ZIP; with a share code it is password-protected (ZipCrypto, as UIDAI's files). */
export async function ekycZip(xml: string, shareCode?: string, filename = 'offlineaadhaar20261201120000000.xml'): Promise<Uint8Array> {
  const writer = new ZipWriter(new Uint8ArrayWriter(), shareCode ? { password: shareCode, zipCrypto: true } : {});
  await writer.add(filename, new TextReader(xml));
  return new Uint8Array(await writer.close());
}

/** A valid signed, share-code-protected document for `p`. */
export async function offlineEkyc(p: EkycPerson, shareCode = '1234'): Promise<SubmittedDocument> {
  return { zip: await ekycZip(signEkyc(ekycXml(p)), shareCode), shareCode };
}

export function createMock(_ctx: MockContext, _baseUrl: string): MockInstance {
  return { handlers: [] };
}

export const conformance: ConformanceFixture = {
  idType: 'IN_AADHAAR',
  foundId: '4321',
  // A full 12-digit number (Verhoeff-valid) is reduced to its last 4.
  foundInput: '2345 6709 4321',
  // wrong Verhoeff digit; starts with 1; 5 digits; letters
  invalidLocal: ['234567094322', '123456784321', '43210', 'ABCD'],
  badCredentials: { uidaiCertificate: OTHER_SIGNER.cert },
  config: { uidaiCertificate: TEST_UIDAI.cert },
  document: (p) => offlineEkyc({ last4: p.idNumber.slice(-4), fullName: p.fullName, dateOfBirth: p.dateOfBirth, gender: p.gender, photo: p.photo }),
  // Offline: no registry behind it, so none of the registry failure modes apply.
  unsupported: ['not_found', 'photo_missing', 'restricted', 'server_error', 'hang', 'malformed', 'photo_not_image', 'remote_invalid', 'rate_limited', 'flaky', 'expired_link', 'wrong_credentials'],
};
