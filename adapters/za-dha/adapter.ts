/**
 * DHA (South Africa) photo retrieval through an approved provider: OAuth2 client credentials
 * (token cached, one refresh on 401), `consent: true` required, the portrait returned as a signed,
 * expiring URL that is fetched at once over the same pooled client.
 */
import { adapterKit, compact, isRecord, joinName, normaliseGender, scrub, str, toIsoDate, type AdapterDeps } from '../../src/registry/adapter-kit.ts';
import { maskIdNumber } from '../../src/registry/mask.ts';
import { DEFAULT_MAX_PHOTO_BYTES } from '../../src/registry/photo.ts';
import { OAuthClientCredentials } from '../../src/registry/oauth.ts';
import { SingleIdTypeAdapter } from '../../src/registry/single-type-adapter.ts';
import { type LookupContext, type LookupResult } from '../../src/registry/types.ts';
import { validateZaId } from './id-number.ts';

export interface DhaProviderConfig {
  /** Provider API host. */
  baseUrl: string;
  /** Token endpoint; defaults to `${baseUrl}/oauth/token`. */
  tokenUrl?: string;
  clientId: string;
  clientSecret: string;
  /** OAuth scope to request, if the provider wants one. */
  scope?: string;
}

const ID = 'za-dha';
const kit = adapterKit(ID);
export const DHA_PHOTO_PATH = '/v1/za/dha/photo';

export class DhaProviderAdapter extends SingleIdTypeAdapter {
  private readonly oauth: OAuthClientCredentials;

  constructor(
    private readonly config: DhaProviderConfig,
    deps: AdapterDeps,
  ) {
    super(ID, 'DHA photo via provider (South Africa)', 'ZA_ID', validateZaId, deps);
    this.oauth = new OAuthClientCredentials(
      { tokenUrl: config.tokenUrl ?? new URL('/oauth/token', config.baseUrl), clientId: config.clientId, clientSecret: config.clientSecret, scope: config.scope, party: 'provider' },
      { adapterId: ID, http: deps.http, timeoutMs: deps.timeoutMs, now: () => this.now() },
    );
  }

  private photoRequest(idNumber: string, token: string, ctx: LookupContext) {
    return this.send({
      method: 'POST',
      url: new URL(DHA_PHOTO_PATH, this.config.baseUrl),
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json',
        'x-request-id': ctx.requestId,
      },
      body: JSON.stringify({ id_number: idNumber, consent: true }),
    }, ctx);
  }

  async lookup(idType: string, idNumber: string, ctx: LookupContext): Promise<LookupResult> {
    const { normalised: id, log } = this.prepare(idType, idNumber);

    const res = await this.oauth.withToken(ctx, (token) => this.photoRequest(id, token, ctx), () =>
      log.warn('provider 401, refreshing token once', { requestId: ctx.requestId }),
    );
    log.info('dha provider reply', { requestId: ctx.requestId, id: maskIdNumber(id), status: res.status });
    if (res.status === 429 || res.status === 401 || res.status === 403 || res.status >= 500) throw kit.statusError(res, 'provider');
    const body = kit.json(res);
    const err = isRecord(body) && isRecord(body.error) ? body.error : undefined;
    if (res.status === 404) throw kit.fail('NOT_FOUND', `DHA: ${scrub(str(err?.message) ?? 'no record')}`);
    if (res.status === 400 || res.status === 422) {
      const code = str(err?.code) ?? '';
      if (code === 'CONSENT_REQUIRED') {
        throw kit.fail('MALFORMED', 'provider says consent is missing', { retryable: false });
      }
      throw kit.fail('INVALID_ID', `provider rejected the ID number: ${scrub(str(err?.message) ?? code)}`, {
        retryable: false,
      });
    }
    if (res.status !== 200) throw kit.statusError(res, 'provider');

    if (!isRecord(body) || !isRecord(body.person)) throw kit.fail('MALFORMED', 'provider reply lacks person');
    const p = body.person;
    if (p.deceased === true || /deceased|blocked|suspended/i.test(str(p.status) ?? '')) {
      throw kit.fail('RESTRICTED', 'DHA: person is marked deceased or the ID is blocked');
    }
    const fullName = joinName(str(p.first_names), str(p.surname));
    if (!fullName) throw kit.fail('MALFORMED', 'DHA record has no name');
    const photoUrl = str(body.photo_url);
    if (!photoUrl) throw kit.fail('PHOTO_MISSING', 'DHA holds no portrait for this record');
    const photo = await this.fetchPhoto(photoUrl, ctx);
    return this.found(compact({
        full_name: fullName,
        first_name: str(p.first_names),
        last_name: str(p.surname),
        date_of_birth: toIsoDate(str(p.date_of_birth)),
        gender: normaliseGender(p.gender),
        citizenship: str(p.citizenship),
        nationality: str(p.nationality),
      }), photo);
  }

  /** Fetch the signed URL at once; an expired link (403/404) is UNAVAILABLE, a new lookup gets a fresh one. */
  private async fetchPhoto(photoUrl: string, ctx: LookupContext) {
    let url: URL;
    try {
      url = new URL(photoUrl);
    } catch (cause) {
      throw kit.fail('MALFORMED', 'photo_url is not a URL', { cause });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw kit.fail('MALFORMED', 'photo_url has an unsupported scheme');
    }
    const res = await this.send({
      method: 'GET',
      url,
      headers: { accept: 'image/jpeg' },
      maxResponseBytes: DEFAULT_MAX_PHOTO_BYTES,
    }, ctx);
    if (res.status === 403 || res.status === 404 || res.status === 410) {
      throw kit.fail('UNAVAILABLE', `photo link expired or gone (HTTP ${res.status})`);
    }
    if (res.status !== 200) throw kit.statusError(res, 'photo host');
    return kit.photo(res.body);
  }
}
