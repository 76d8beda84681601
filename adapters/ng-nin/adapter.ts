/**
 * NIN (Nigeria) through a Dojah-style aggregator: REST GET, `AppId` + `Authorization` (secret key)
 * headers, identity under `entity`, photo as bare base64 JPEG.
 */
import { adapterKit, compact, isRecord, joinName, normaliseGender, scrub, str, toIsoDate, type AdapterDeps } from '../../src/registry/adapter-kit.ts';
import { maskIdNumber } from '../../src/registry/mask.ts';
import { SingleIdTypeAdapter } from '../../src/registry/single-type-adapter.ts';
import { type LookupContext, type LookupResult } from '../../src/registry/types.ts';
import { validateNgNin } from './id-number.ts';

export interface NinAggregatorConfig {
  /** e.g. https://api.dojah.io (sandbox: https://sandbox.dojah.io) */
  baseUrl: string;
  appId: string;
  secretKey: string;
}

const ID = 'ng-nin';
const kit = adapterKit(ID);

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
    const res = await this.send({
      method: 'GET',
      url,
      headers: { AppId: this.config.appId, Authorization: this.config.secretKey, accept: 'application/json' },
    }, ctx);
    log.info('nin aggregator reply', { requestId: ctx.requestId, id: maskIdNumber(nin), status: res.status });

    if (res.status === 429 || res.status >= 500 || res.status === 401 || res.status === 403) throw kit.statusError(res, 'aggregator');
    const body = kit.json(res);
    if (res.status === 404) throw kit.fail('NOT_FOUND', `aggregator: ${errorText(body) || 'NIN not found'}`);
    if (res.status === 400) {
      const text = errorText(body);
      // Aggregators answer 400 both for malformed numbers and for "no record" [client].
      if (/not\s*found|no record|does not exist/i.test(text)) throw kit.fail('NOT_FOUND', `aggregator: ${text}`);
      throw kit.fail('INVALID_ID', `aggregator rejected the NIN: ${text || 'bad request'}`, { retryable: false });
    }
    if (res.status !== 200) throw kit.statusError(res, 'aggregator');

    const entity = isRecord(body) ? body.entity : undefined;
    if (!isRecord(entity)) throw kit.fail('MALFORMED', 'aggregator reply lacks entity');
    const fullName = joinName(str(entity.first_name), str(entity.middle_name), str(entity.last_name));
    if (!fullName) throw kit.fail('MALFORMED', 'aggregator record has no name');
    const photo = kit.photo(entity.photo ?? entity.image);
    return this.found(compact({
        full_name: fullName,
        first_name: str(entity.first_name),
        middle_name: str(entity.middle_name),
        last_name: str(entity.last_name),
        date_of_birth: toIsoDate(str(entity.date_of_birth), 'DMY'),
        gender: normaliseGender(entity.gender),
        phone_number: str(entity.phone_number),
      }), photo);
  }
}
