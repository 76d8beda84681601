/**
 * UIDAI offline e-KYC: a ZIP protected with the holder's share code, holding one XML
 * (`OfflinePaperlessKyc`) with an enveloped XML-DSig signature by UIDAI. We open it with the share
 * code (zip.js), verify the signature against the configured UIDAI certificate (xml-crypto) and read
 * the identity only from what the signature covers (never from the raw document, against signature
 * wrapping). Every failure is a DOCUMENT_REJECTED with a distinct reason.
 */
import { DOMParser } from '@xmldom/xmldom';
import { configure, TextWriter, Uint8ArrayReader, ZipReader } from '@zip.js/zip.js';
import { SignedXml } from 'xml-crypto';
import type { AdapterKit } from '../../src/registry/adapter-kit.ts';
import type { DocumentRejection, SubmittedDocument } from '../../src/registry/types.ts';

configure({ useWebWorkers: false });

/** A real offline e-KYC ZIP is a few tens of KB; the XML inside a little more than its photo. */
export const MAX_ZIP_BYTES = 2 * 1024 * 1024;
const MAX_XML_BYTES = 4 * 1024 * 1024;

export interface OfflineEkycRecord {
  /** Last 4 digits of the Aadhaar number + the file's timestamp. */
  referenceId: string;
  poi: Record<string, string>;
  poa: Record<string, string>;
  /** Base64 JPEG (or JPEG 2000) portrait. */
  photo: string;
}

function attributes(el: Element | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!el) return out;
  for (let i = 0; i < el.attributes.length; i++) {
    const a = el.attributes.item(i);
    if (a) out[a.name] = a.value;
  }
  return out;
}

export class OfflineEkycReader {
  constructor(
    private readonly kit: AdapterKit,
    /** UIDAI's signing certificate (PEM). */
    private readonly certificate: string,
  ) {}

  private reject(reason: DocumentRejection, message: string, cause?: unknown) {
    return this.kit.fail('DOCUMENT_REJECTED', message, { reason, retryable: false, cause });
  }

  async read(document: SubmittedDocument): Promise<OfflineEkycRecord> {
    const xml = await this.unzip(document);
    const signedXml = this.verify(xml);
    return this.parse(signedXml);
  }

  private async unzip({ zip, shareCode }: SubmittedDocument): Promise<string> {
    if (zip.byteLength > MAX_ZIP_BYTES) throw this.reject('DOCUMENT_INVALID', 'the offline e-KYC ZIP is larger than 2 MB');
    let reader: ZipReader<unknown>;
    let entries;
    try {
      reader = new ZipReader(new Uint8ArrayReader(zip));
      entries = await reader.getEntries();
    } catch (cause) {
      throw this.reject('DOCUMENT_INVALID', 'the offline e-KYC file is not a ZIP', cause);
    }
    try {
      const files = entries.filter((e) => !e.directory);
      const entry = files.length === 1 && files[0]!.filename.toLowerCase().endsWith('.xml') ? files[0]! : undefined;
      if (!entry || !entry.getData) throw this.reject('DOCUMENT_INVALID', 'the ZIP does not hold exactly one XML file');
      if (!entry.encrypted) throw this.reject('DOCUMENT_INVALID', 'the ZIP is not protected by a share code, as UIDAI files are');
      if (entry.uncompressedSize > MAX_XML_BYTES) throw this.reject('DOCUMENT_INVALID', 'the XML inside the ZIP is too large');
      try {
        return await entry.getData(new TextWriter(), { password: shareCode, checkSignature: true });
      } catch (cause) {
        throw this.reject('SHARE_CODE_INVALID', 'the share code does not open the offline e-KYC ZIP', cause);
      }
    } finally {
      await reader.close().catch(() => undefined);
    }
  }

  /** The XML the signature covers, or a rejection saying why not. */
  private verify(xml: string): string {
    let doc: Document;
    try {
      doc = new DOMParser({ onError: (level, msg) => { if (level !== 'warning') throw new Error(msg); } }).parseFromString(xml, 'text/xml') as unknown as Document;
    } catch (cause) {
      throw this.reject('DOCUMENT_INVALID', 'the offline e-KYC XML is not well-formed', cause);
    }
    if (doc.documentElement?.localName !== 'OfflinePaperlessKyc') throw this.reject('DOCUMENT_INVALID', 'the XML is not an offline e-KYC document');
    const verifier = new SignedXml({ publicCert: this.certificate, getCertFromKeyInfo: () => null });
    const signatures = verifier.findSignatures(doc as unknown as Node);
    if (signatures.length === 0) throw this.reject('DOCUMENT_UNSIGNED', 'the offline e-KYC XML carries no signature');
    if (signatures.length > 1) throw this.reject('DOCUMENT_TAMPERED', 'the offline e-KYC XML carries more than one signature');
    verifier.loadSignature(signatures[0]!);
    let valid: boolean;
    try {
      valid = verifier.checkSignature(xml);
    } catch (cause) {
      // The references still match the content, but the signature value fails under our certificate.
      if (/signature value/i.test((cause as Error).message)) throw this.reject('DOCUMENT_WRONG_SIGNER', 'the offline e-KYC XML is not signed with the configured UIDAI certificate', cause);
      throw this.reject('DOCUMENT_TAMPERED', 'the offline e-KYC signature could not be verified', cause);
    }
    if (!valid) throw this.reject('DOCUMENT_TAMPERED', 'the offline e-KYC XML was changed after it was signed');
    const signed = verifier.getSignedReferences();
    if (signed.length !== 1) throw this.reject('DOCUMENT_TAMPERED', 'the signature does not cover the whole offline e-KYC document');
    return signed[0]!;
  }

  private parse(signedXml: string): OfflineEkycRecord {
    const doc = new DOMParser().parseFromString(signedXml, 'text/xml') as unknown as Document;
    const root = doc.documentElement;
    if (root?.localName !== 'OfflinePaperlessKyc') throw this.reject('DOCUMENT_TAMPERED', 'the signed content is not the offline e-KYC document');
    const first = (name: string) => root.getElementsByTagName(name)[0] as Element | undefined;
    const referenceId = root.getAttribute('referenceId') ?? '';
    if (!/^\d{4}\d{14,}$/.test(referenceId)) throw this.reject('DOCUMENT_INVALID', 'the offline e-KYC referenceId is not last-4 digits + timestamp');
    return { referenceId, poi: attributes(first('Poi')), poa: attributes(first('Poa')), photo: first('Pht')?.textContent?.trim() ?? '' };
  }
}
