/**
 * DHA (South Africa) photo retrieval through an approved provider: OAuth2 client credentials
 * (token cached, one refresh on 401), `consent: true` required, the portrait returned as a signed,
 * expiring URL that is fetched at once over the same pooled client.
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
import { decodePhoto, DEFAULT_MAX_PHOTO_BYTES } from '../../src/registry/photo.ts';
import { SingleIdTypeAdapter } from '../../src/registry/single-type-adapter.ts';
import { RegistryError, type LookupContext, type LookupResult } from '../../src/registry/types.ts';
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
export const DHA_PHOTO_PATH = '/v1/za/dha/photo';

interface CachedToken {
  accessToken: string;
  /** epoch ms */
  expiresAt: number;
}

export class DhaProviderAdapter extends SingleIdTypeAdapter {
  private token: Promise<CachedToken> | undefined;

  constructor(
    private readonly config: DhaProviderConfig,
    deps: AdapterDeps,
  ) {
    super(ID, 'DHA photo via provider (South Africa)', 'ZA_ID', validateZaId, deps);
  }

  private nowMs(): number {
    return (this.deps.now?.() ?? new Date()).getTime();
  }

  private async getToken(ctx: LookupContext, force = false): Promise<string> {
    const current = this.token;
    if (!force && current) {
      const t = await current.catch(() => undefined);
      // Refresh 30 s early so a token never expires in flight.
      if (t && t.expiresAt - 30_000 > this.nowMs()) return t.accessToken;
    }
    if (this.token === current) {
      const pending = this.fetchToken(ctx);
      this.token = pending;
      pending.catch(() => {
        if (this.token === pending) this.token = undefined;
      });
    }
    return (await this.token!).accessToken;
  }

  private async fetchToken(ctx: LookupContext): Promise<CachedToken> {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (this.config.scope) form.set('scope', this.config.scope);
    const res = await this.deps.http.request({
      adapterId: ID,
      method: 'POST',
      url: this.config.tokenUrl ?? new URL('/oauth/token', this.config.baseUrl),
      headers: {
        authorization: `Basic ${Buffer.from(`${this.config.clientId}:${this.config.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
      timeoutMs: this.deps.timeoutMs,
      signal: ctx.signal,
    });
    if (res.status === 400 || res.status === 401) {
      throw new RegistryError('UNAUTHORISED', 'provider refused our client credentials', { adapterId: ID });
    }
    if (res.status !== 200) throw errorForStatus(res, ID, 'token endpoint');
    const body = parseJson(res, ID);
    if (!isRecord(body) || typeof body.access_token !== 'string' || body.access_token === '') {
      throw new RegistryError('MALFORMED', 'token reply lacks access_token', { adapterId: ID });
    }
    const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 300;
    return { accessToken: body.access_token, expiresAt: this.nowMs() + expiresIn * 1000 };
  }

  private photoRequest(idNumber: string, token: string, ctx: LookupContext) {
    return this.deps.http.request({
      adapterId: ID,
      method: 'POST',
      url: new URL(DHA_PHOTO_PATH, this.config.baseUrl),
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json',
        'x-request-id': ctx.requestId,
      },
      body: JSON.stringify({ id_number: idNumber, consent: true }),
      timeoutMs: this.deps.timeoutMs,
      signal: ctx.signal,
    });
  }

  async lookup(idType: string, idNumber: string, ctx: LookupContext): Promise<LookupResult> {
    const { normalised: id, log } = this.prepare(idType, idNumber);

    let res = await this.photoRequest(id, await this.getToken(ctx), ctx);
    if (res.status === 401) {
      log.warn('provider 401, refreshing token once', { requestId: ctx.requestId });
      res = await this.photoRequest(id, await this.getToken(ctx, true), ctx);
    }
    log.info('dha provider reply', { requestId: ctx.requestId, id: maskIdNumber(id), status: res.status });
    if (res.status === 429) {
      throw new RegistryError('RATE_LIMITED', 'provider rate limit', {
        adapterId: ID,
        retryAfterSeconds: parseRetryAfter(res.headers.get('retry-after')),
      });
    }
    if (res.status === 401 || res.status === 403 || res.status >= 500) throw errorForStatus(res, ID, 'provider');
    const body = parseJson(res, ID);
    const err = isRecord(body) && isRecord(body.error) ? body.error : undefined;
    if (res.status === 404) throw new RegistryError('NOT_FOUND', `DHA: ${scrub(str(err?.message) ?? 'no record')}`, { adapterId: ID });
    if (res.status === 400 || res.status === 422) {
      const code = str(err?.code) ?? '';
      if (code === 'CONSENT_REQUIRED') {
        throw new RegistryError('MALFORMED', 'provider says consent is missing', { adapterId: ID, retryable: false });
      }
      throw new RegistryError('INVALID_ID', `provider rejected the ID number: ${scrub(str(err?.message) ?? code)}`, {
        adapterId: ID,
        retryable: false,
      });
    }
    if (res.status !== 200) throw errorForStatus(res, ID, 'provider');

    if (!isRecord(body) || !isRecord(body.person)) throw new RegistryError('MALFORMED', 'provider reply lacks person', { adapterId: ID });
    const p = body.person;
    if (p.deceased === true || /deceased|blocked|suspended/i.test(str(p.status) ?? '')) {
      throw new RegistryError('RESTRICTED', 'DHA: person is marked deceased or the ID is blocked', { adapterId: ID });
    }
    const fullName = joinName(str(p.first_names), str(p.surname));
    if (!fullName) throw new RegistryError('MALFORMED', 'DHA record has no name', { adapterId: ID });
    const photoUrl = str(body.photo_url);
    if (!photoUrl) throw new RegistryError('PHOTO_MISSING', 'DHA holds no portrait for this record', { adapterId: ID });
    const photo = await this.fetchPhoto(photoUrl, ctx);
    return {
      identity: compact({
        full_name: fullName,
        first_name: str(p.first_names),
        last_name: str(p.surname),
        date_of_birth: toIsoDate(str(p.date_of_birth)),
        gender: normaliseGender(p.gender),
        citizenship: str(p.citizenship),
        nationality: str(p.nationality),
      }),
      photo,
      source: ID,
      fetchedAt: this.deps.now?.() ?? new Date(),
    };
  }

  /** Fetch the signed URL at once; an expired link (403/404) is UNAVAILABLE, a new lookup gets a fresh one. */
  private async fetchPhoto(photoUrl: string, ctx: LookupContext) {
    let url: URL;
    try {
      url = new URL(photoUrl);
    } catch (cause) {
      throw new RegistryError('MALFORMED', 'photo_url is not a URL', { adapterId: ID, cause });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new RegistryError('MALFORMED', 'photo_url has an unsupported scheme', { adapterId: ID });
    }
    const res = await this.deps.http.request({
      adapterId: ID,
      method: 'GET',
      url,
      headers: { accept: 'image/jpeg' },
      maxResponseBytes: DEFAULT_MAX_PHOTO_BYTES,
      timeoutMs: this.deps.timeoutMs,
      signal: ctx.signal,
    });
    if (res.status === 403 || res.status === 404 || res.status === 410) {
      throw new RegistryError('UNAVAILABLE', `photo link expired or gone (HTTP ${res.status})`, { adapterId: ID });
    }
    if (res.status !== 200) throw errorForStatus(res, ID, 'photo host');
    return decodePhoto(res.body, { adapterId: ID });
  }
}
