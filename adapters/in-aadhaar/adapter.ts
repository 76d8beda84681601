/**
 * India Aadhaar through the offline e-KYC document (UIDAI's route for private-sector KYC): the
 * caller sends the ZIP the holder downloaded and its share code; there is no network call. The
 * signed `Pht` is the reference photo, `Poi`/`Poa` the identity record. The Aadhaar number is only
 * ever handled as its last 4 digits, masked `XXXX XXXX 1234`.
 */
import { adapterKit, compact, joinName, normaliseGender, str, toIsoDate, type AdapterDeps } from '../../src/registry/adapter-kit.ts';
import { SingleIdTypeAdapter } from '../../src/registry/single-type-adapter.ts';
import type { LookupContext, LookupResult } from '../../src/registry/types.ts';
import { validateInAadhaar } from './id-number.ts';
import { OfflineEkycReader } from './offline-ekyc.ts';

export interface AadhaarOfflineConfig {
  /** UIDAI's offline e-KYC signing certificate (PEM). Without it every document is refused. */
  uidaiCertificate?: string;
}

const ID = 'in-aadhaar';
const kit = adapterKit(ID);

/** UIDAI's masking format for Aadhaar numbers. */
export const maskAadhaar = (last4: string) => `XXXX XXXX ${last4}`;

export class AadhaarOfflineAdapter extends SingleIdTypeAdapter {
  private readonly reader: OfflineEkycReader | undefined;

  constructor(config: AadhaarOfflineConfig, deps: AdapterDeps) {
    super(ID, 'UIDAI Aadhaar offline e-KYC (India)', 'IN_AADHAAR', validateInAadhaar, deps);
    this.reader = config.uidaiCertificate ? new OfflineEkycReader(kit, config.uidaiCertificate) : undefined;
  }

  async lookup(idType: string, idNumber: string, ctx: LookupContext): Promise<LookupResult> {
    const { normalised: last4, log } = this.prepare(idType, idNumber);
    if (!ctx.document) {
      throw kit.fail('DOCUMENT_REJECTED', 'IN_AADHAAR needs the offline e-KYC ZIP and its share code', { reason: 'DOCUMENT_REQUIRED', retryable: false });
    }
    if (!this.reader) throw kit.fail('UNAUTHORISED', 'no UIDAI certificate is configured (adapters.in-aadhaar.uidaiCertificate)', { retryable: false });
    const record = await this.reader.read(ctx.document);
    if (!record.referenceId.startsWith(last4)) {
      throw kit.fail('DOCUMENT_REJECTED', 'the offline e-KYC document belongs to another Aadhaar number', { reason: 'DOCUMENT_ID_MISMATCH', retryable: false });
    }
    log.info('aadhaar offline e-KYC verified', { requestId: ctx.requestId });
    const { poi, poa } = record;
    const fullName = str(poi.name);
    if (!fullName) throw kit.fail('DOCUMENT_REJECTED', 'the offline e-KYC document has no name', { reason: 'DOCUMENT_INVALID', retryable: false });
    const address = joinName(poa.house, poa.street, poa.landmark, poa.loc, poa.vtc, poa.subdist, poa.dist, poa.state, poa.pc, poa.country);
    return this.found(
      compact({
        full_name: fullName,
        date_of_birth: toIsoDate(str(poi.dob), 'DMY'),
        gender: normaliseGender(poi.gender),
        address: address || undefined,
        aadhaar_masked: maskAadhaar(last4),
      }),
      kit.photo(record.photo),
    );
  }
}
