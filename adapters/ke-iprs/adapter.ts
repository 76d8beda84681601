/**
 * IPRS (Kenya): SOAP 1.1 WCF service, credentials in the body, errors as HTTP 200 with
 * ErrorOcurred=true, nil elements as i:nil="true", Photo as a WCF base64 byte[].
 */
import { XMLParser } from 'fast-xml-parser';
import { adapterKit, compact, isRecord, joinName, normaliseGender, scrub, str, toIsoDate, type AdapterDeps } from '../../src/registry/adapter-kit.ts';
import { maskIdNumber } from '../../src/registry/mask.ts';
import { SingleIdTypeAdapter } from '../../src/registry/single-type-adapter.ts';
import { RegistryError, type LookupContext, type LookupResult } from '../../src/registry/types.ts';
import { validateKeNationalId } from './id-number.ts';

export interface IprsConfig {
  /** The service endpoint (the .svc address on the IPRS VPN). */
  baseUrl: string;
  username: string;
  password: string;
}

const ID = 'ke-iprs';
const kit = adapterKit(ID);
export const IPRS_SOAP_ACTION = 'http://tempuri.org/IServiceIPRS/GetDataByIdCard';

export function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

export function buildGetDataByIdCard(log: string, pass: string, idNumber: string, serialNumber = ''): string {
  return (
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>' +
    '<GetDataByIdCard xmlns="http://tempuri.org/">' +
    `<log>${xmlEscape(log)}</log><pass>${xmlEscape(pass)}</pass>` +
    `<id_number>${xmlEscape(idNumber)}</id_number>` +
    (serialNumber ? `<serial_number>${xmlEscape(serialNumber)}</serial_number>` : '<serial_number/>') +
    '</GetDataByIdCard></s:Body></s:Envelope>'
  );
}

/** Shared by the adapter and the mock: namespace prefixes dropped, attributes kept as @_name, values as strings. */
export function createSoapParser(): XMLParser {
  return new XMLParser({
    removeNSPrefix: true,
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
  });
}

function isNil(value: unknown): boolean {
  return isRecord(value) && value['@_nil'] === 'true';
}

/** Classify an ErrorOcurred=true reply by its code/message [inf: IPRS publishes no code list]. */
function errorFromResult(code: string | undefined, message: string): RegistryError {
  const text = `${code ?? ''} ${message}`;
  if (/not\s*found|no\s+record|does not exist/i.test(text)) return kit.fail('NOT_FOUND', `IPRS: ${message}`);
  if (/login|password|credential|authenticat|authori[sz]/i.test(text)) {
    return kit.fail('UNAUTHORISED', `IPRS: ${message}`);
  }
  if (/invalid|format/i.test(text)) return kit.fail('INVALID_ID', `IPRS: ${message}`, { retryable: false });
  if (/limit|quota|too many/i.test(text)) return kit.fail('RATE_LIMITED', `IPRS: ${message}`, { retryable: false });
  return kit.fail('UNAVAILABLE', `IPRS error: ${message}`, { retryable: false });
}

export class IprsAdapter extends SingleIdTypeAdapter {
  private readonly parser = createSoapParser();

  constructor(
    private readonly config: IprsConfig,
    deps: AdapterDeps,
  ) {
    super(ID, 'IPRS (Kenya)', 'KE_NATIONAL_ID', validateKeNationalId, deps);
  }

  async lookup(idType: string, idNumber: string, ctx: LookupContext): Promise<LookupResult> {
    const { normalised: id, log } = this.prepare(idType, idNumber);
    const res = await this.send({
      method: 'POST',
      url: this.config.baseUrl,
      headers: { 'content-type': 'text/xml; charset=utf-8', SOAPAction: `"${IPRS_SOAP_ACTION}"` },
      body: buildGetDataByIdCard(this.config.username, this.config.password, id),
    }, ctx);

    const text = res.text();
    let doc: unknown;
    try {
      doc = /^\s*</.test(text) ? this.parser.parse(text, true) : undefined;
    } catch (cause) {
      throw kit.fail('MALFORMED', 'IPRS reply is not well-formed XML', { cause });
    }
    const body = isRecord(doc) && isRecord(doc.Envelope) ? doc.Envelope.Body : undefined;

    if (isRecord(body) && isRecord(body.Fault)) {
      const faultcode = str(body.Fault.faultcode) ?? '';
      const faultstring = scrub(str(body.Fault.faultstring) ?? (isRecord(body.Fault.faultstring) ? str(body.Fault.faultstring['#text']) : undefined) ?? '');
      log.warn('iprs fault', { requestId: ctx.requestId, faultcode, status: res.status });
      if (/client|sender/i.test(faultcode) && /auth|login|password|credential|token/i.test(faultstring)) {
        throw kit.fail('UNAUTHORISED', `IPRS fault: ${faultstring}`);
      }
      if (/client|sender/i.test(faultcode)) {
        throw kit.fail('MALFORMED', `IPRS rejected our request: ${faultstring}`, { retryable: false });
      }
      throw kit.fail('UNAVAILABLE', `IPRS server fault: ${faultstring}`);
    }
    if (res.status !== 200) throw kit.statusError(res, 'IPRS');

    const response = isRecord(body) ? body.GetDataByIdCardResponse : undefined;
    const r = isRecord(response) ? response.GetDataByIdCardResult : undefined;
    if (!isRecord(r)) throw kit.fail('MALFORMED', 'IPRS reply lacks GetDataByIdCardResult');

    if (str(r.ErrorOcurred)?.toLowerCase() === 'true') {
      const err = errorFromResult(str(r.ErrorCode), scrub(str(r.ErrorMessage) ?? 'unspecified error'));
      log.info('iprs business error', { requestId: ctx.requestId, id: maskIdNumber(id), kind: err.kind });
      throw err;
    }
    if (str(r.Date_of_Death) && !isNil(r.Date_of_Death)) {
      throw kit.fail('RESTRICTED', 'IPRS: record shows a date of death');
    }
    const fullName = joinName(str(r.First_Name), str(r.Other_Name), str(r.Surname));
    if (!fullName) throw kit.fail('MALFORMED', 'IPRS record has no name');
    const photo = kit.photo(isNil(r.Photo) ? null : str(r.Photo));
    log.info('iprs record', { requestId: ctx.requestId, id: maskIdNumber(id) });
    return this.found(compact({
        full_name: fullName,
        first_name: str(r.First_Name),
        middle_name: str(r.Other_Name),
        last_name: str(r.Surname),
        date_of_birth: toIsoDate(str(r.Date_of_Birth), 'MDY'),
        gender: normaliseGender(r.Gender),
        nationality: str(r.Citizenship),
        place_of_birth: str(r.Place_of_Birth),
        address: str(r.Place_of_Live),
        serial_number: str(r.Serial_Number),
        date_of_issue: toIsoDate(str(r.Date_of_Issue), 'MDY'),
        date_of_expiry: toIsoDate(str(r.Date_of_Expiry), 'MDY'),
        occupation: str(r.Occupation),
        registration_office: str(r.RegOffice),
      }), photo);
  }
}
