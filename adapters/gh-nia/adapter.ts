/**
 * NIA Ghana Card: REST JSON with the `NIa_merchantKey` header and the `{success, code, msg, data}`
 * envelope; a failed verification is HTTP 404 with code "05". The lookup path and the portrait field
 * are inferred (see README.md).
 */
import {
  compact,
  errorForStatus,
  isRecord,
  joinName,
  normaliseGender,
  parseJson,
  scrub,
  str,
  toIsoDate,
  type AdapterDeps,
} from '../../src/registry/adapter-kit.ts';
import { parseRetryAfter } from '../../src/registry/http.ts';
import { maskIdNumber } from '../../src/registry/mask.ts';
import { decodePhoto } from '../../src/registry/photo.ts';
import { SingleIdTypeAdapter } from '../../src/registry/single-type-adapter.ts';
import { RegistryError, type LookupContext, type LookupResult } from '../../src/registry/types.ts';
import { validateGhanaCard } from './id-number.ts';

export interface NiaConfig {
  /** NIA partner host, e.g. https://selfie.imsgh.org:2035 */
  baseUrl: string;
  merchantKey: string;
  /** Lookup path on the partner host [inf]. */
  lookupPath?: string;
}

const ID = 'gh-nia';
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
    const res = await this.deps.http.request({
      adapterId: ID,
      method: 'POST',
      url: new URL(this.config.lookupPath ?? NIA_DEFAULT_LOOKUP_PATH, this.config.baseUrl),
      headers: { NIa_merchantKey: this.config.merchantKey, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ pinNumber: pin }),
      timeoutMs: this.deps.timeoutMs,
      signal: ctx.signal,
    });
    log.info('nia reply', { requestId: ctx.requestId, id: maskIdNumber(pin), status: res.status });

    if (res.status === 429) {
      throw new RegistryError('RATE_LIMITED', 'NIA rate limit', {
        adapterId: ID,
        retryAfterSeconds: parseRetryAfter(res.headers.get('retry-after')),
      });
    }
    if (res.status >= 500) throw errorForStatus(res, ID, 'NIA');
    const body = parseJson(res, ID);
    if (!isRecord(body) || typeof body.success !== 'boolean' || typeof body.code !== 'string') {
      if (res.status === 401 || res.status === 403) throw errorForStatus(res, ID, 'NIA');
      throw new RegistryError('MALFORMED', 'NIA reply lacks the {success, code} envelope', { adapterId: ID });
    }
    const msg = scrub(str(body.msg) ?? body.code);
    if (!body.success || body.code !== '00') {
      if (res.status === 401 || res.status === 403 || body.code === '01') {
        throw new RegistryError('UNAUTHORISED', `NIA refused the merchant key: ${msg}`, { adapterId: ID });
      }
      if (body.code === '05' || res.status === 404) throw new RegistryError('NOT_FOUND', `NIA: ${msg}`, { adapterId: ID });
      if (body.code === '03' || res.status === 400) {
        throw new RegistryError('INVALID_ID', `NIA rejected the PIN: ${msg}`, { adapterId: ID, retryable: false });
      }
      if (body.code === '06') throw new RegistryError('RESTRICTED', `NIA: card not valid (${msg})`, { adapterId: ID });
      throw new RegistryError('MALFORMED', `NIA: unexpected code ${body.code}`, { adapterId: ID, retryable: false });
    }

    const data = isRecord(body.data) ? body.data : undefined;
    const person = data && isRecord(data.person) ? data.person : data;
    if (!isRecord(person)) throw new RegistryError('MALFORMED', 'NIA success without data', { adapterId: ID });
    const fullName = joinName(str(person.forenames), str(person.surname));
    if (!fullName) throw new RegistryError('MALFORMED', 'NIA record has no name', { adapterId: ID });
    const photo = decodePhoto(person.portrait, { adapterId: ID });
    return {
      identity: compact({
        full_name: fullName,
        first_name: str(person.forenames),
        last_name: str(person.surname),
        date_of_birth: toIsoDate(str(person.birthDate), 'DMY'),
        gender: normaliseGender(person.gender),
        nationality: str(person.nationality),
        card_valid_to: toIsoDate(str(person.cardValidTo), 'DMY'),
      }),
      photo,
      source: ID,
      fetchedAt: this.deps.now?.() ?? new Date(),
    };
  }
}
