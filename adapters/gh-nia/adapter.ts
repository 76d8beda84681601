/**
 * NIA Ghana Card: REST JSON with the `NIa_merchantKey` header and the `{success, code, msg, data}`
 * envelope; a failed verification is HTTP 404 with code "05". The lookup path and the portrait field
 * are inferred (see README.md).
 */
import { adapterKit, compact, isRecord, joinName, normaliseGender, scrub, str, toIsoDate, type AdapterDeps } from '../../src/registry/adapter-kit.ts';
import { maskIdNumber } from '../../src/registry/mask.ts';
import { SingleIdTypeAdapter } from '../../src/registry/single-type-adapter.ts';
import { type LookupContext, type LookupResult } from '../../src/registry/types.ts';
import { validateGhanaCard } from './id-number.ts';

export interface NiaConfig {
  /** NIA partner host, e.g. https://selfie.imsgh.org:2035 */
  baseUrl: string;
  merchantKey: string;
  /** Lookup path on the partner host [inf]. */
  lookupPath?: string;
}

const ID = 'gh-nia';
const kit = adapterKit(ID);
export const NIA_DEFAULT_LOOKUP_PATH = '/api/v1/person/lookup';

export class NiaGhanaCardAdapter extends SingleIdTypeAdapter {
  constructor(
    private readonly config: NiaConfig,
    deps: AdapterDeps,
  ) {
    super(ID, 'NIA Ghana Card (Ghana)', 'GH_GHANA_CARD', validateGhanaCard, deps);
  }

  async lookup(idType: string, idNumber: string, ctx: LookupContext): Promise<LookupResult> {
    const { normalised: pin, log } = this.prepare(idType, idNumber);
    const res = await this.send({
      method: 'POST',
      url: new URL(this.config.lookupPath ?? NIA_DEFAULT_LOOKUP_PATH, this.config.baseUrl),
      headers: { NIa_merchantKey: this.config.merchantKey, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ pinNumber: pin }),
    }, ctx);
    log.info('nia reply', { requestId: ctx.requestId, id: maskIdNumber(pin), status: res.status });

    if (res.status === 429 || res.status >= 500) throw kit.statusError(res, 'NIA');
    const body = kit.json(res);
    if (!isRecord(body) || typeof body.success !== 'boolean' || typeof body.code !== 'string') {
      if (res.status === 401 || res.status === 403) throw kit.statusError(res, 'NIA');
      throw kit.fail('MALFORMED', 'NIA reply lacks the {success, code} envelope');
    }
    const msg = scrub(str(body.msg) ?? body.code);
    if (!body.success || body.code !== '00') {
      if (res.status === 401 || res.status === 403 || body.code === '01') {
        throw kit.fail('UNAUTHORISED', `NIA refused the merchant key: ${msg}`);
      }
      if (body.code === '05' || res.status === 404) throw kit.fail('NOT_FOUND', `NIA: ${msg}`);
      if (body.code === '03' || res.status === 400) {
        throw kit.fail('INVALID_ID', `NIA rejected the PIN: ${msg}`, { retryable: false });
      }
      if (body.code === '06') throw kit.fail('RESTRICTED', `NIA: card not valid (${msg})`);
      throw kit.fail('MALFORMED', `NIA: unexpected code ${body.code}`, { retryable: false });
    }

    const data = isRecord(body.data) ? body.data : undefined;
    const person = data && isRecord(data.person) ? data.person : data;
    if (!isRecord(person)) throw kit.fail('MALFORMED', 'NIA success without data');
    const fullName = joinName(str(person.forenames), str(person.surname));
    if (!fullName) throw kit.fail('MALFORMED', 'NIA record has no name');
    const photo = kit.photo(person.portrait);
    return this.found(compact({
        full_name: fullName,
        first_name: str(person.forenames),
        last_name: str(person.surname),
        date_of_birth: toIsoDate(str(person.birthDate), 'DMY'),
        gender: normaliseGender(person.gender),
        nationality: str(person.nationality),
        card_valid_to: toIsoDate(str(person.cardValidTo), 'DMY'),
      }), photo);
  }
}
