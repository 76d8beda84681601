/**
 * NIN (Nigeria) through a Dojah-style aggregator: REST GET, `AppId` + `Authorization` (secret key)
 * headers, identity under `entity`, photo as bare base64 JPEG.
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
import { validateNgNin } from './id-number.ts';

export interface NinAggregatorConfig {
  /** e.g. https://api.dojah.io (sandbox: https://sandbox.dojah.io) */
  baseUrl: string;
  appId: string;
  secretKey: string;
}

const ID = 'ng-nin';

function errorText(body: unknown): string {
  if (!isRecord(body)) return '';
  return scrub(str(body.error) ?? str(body.message) ?? (isRecord(body.error) ? str(body.error.message) ?? '' : ''));
}

export class NinAggregatorAdapter extends SingleIdTypeAdapter {
  constructor(
    private readonly config: NinAggregatorConfig,
    deps: AdapterDeps,
  ) {
    super(ID, 'NIMC NIN via aggregator (Nigeria)', 'NG_NIN', validateNgNin, deps);
  }

  async lookup(idType: string, idNumber: string, ctx: LookupContext): Promise<LookupResult> {
    const { normalised: nin, log } = this.prepare(idType, idNumber);
    const url = new URL('/api/v1/kyc/nin', this.config.baseUrl);
    url.searchParams.set('nin', nin);
    const res = await this.deps.http.request({
      adapterId: ID,
      method: 'GET',
      url,
      headers: { AppId: this.config.appId, Authorization: this.config.secretKey, accept: 'application/json' },
      timeoutMs: this.deps.timeoutMs,
      signal: ctx.signal,
    });
    log.info('nin aggregator reply', { requestId: ctx.requestId, id: maskIdNumber(nin), status: res.status });

    if (res.status === 429) {
      throw new RegistryError('RATE_LIMITED', 'aggregator rate limit', {
        adapterId: ID,
        retryAfterSeconds: parseRetryAfter(res.headers.get('retry-after')),
      });
    }
    if (res.status >= 500 || res.status === 401 || res.status === 403) throw errorForStatus(res, ID, 'aggregator');
    const body = parseJson(res, ID);
    if (res.status === 404) throw new RegistryError('NOT_FOUND', `aggregator: ${errorText(body) || 'NIN not found'}`, { adapterId: ID });
    if (res.status === 400) {
      const text = errorText(body);
      // Aggregators answer 400 both for malformed numbers and for "no record" [client].
      if (/not\s*found|no record|does not exist/i.test(text)) throw new RegistryError('NOT_FOUND', `aggregator: ${text}`, { adapterId: ID });
      throw new RegistryError('INVALID_ID', `aggregator rejected the NIN: ${text || 'bad request'}`, { adapterId: ID, retryable: false });
    }
    if (res.status !== 200) throw errorForStatus(res, ID, 'aggregator');

    const entity = isRecord(body) ? body.entity : undefined;
    if (!isRecord(entity)) throw new RegistryError('MALFORMED', 'aggregator reply lacks entity', { adapterId: ID });
    const fullName = joinName(str(entity.first_name), str(entity.middle_name), str(entity.last_name));
    if (!fullName) throw new RegistryError('MALFORMED', 'aggregator record has no name', { adapterId: ID });
    const photo = decodePhoto(entity.photo ?? entity.image, { adapterId: ID });
    return {
      identity: compact({
        full_name: fullName,
        first_name: str(entity.first_name),
        middle_name: str(entity.middle_name),
        last_name: str(entity.last_name),
        date_of_birth: toIsoDate(str(entity.date_of_birth), 'DMY'),
        gender: normaliseGender(entity.gender),
        phone_number: str(entity.phone_number),
      }),
      photo,
      source: ID,
      fetchedAt: this.deps.now?.() ?? new Date(),
    };
  }
}
