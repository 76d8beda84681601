/**
 * OAuth2 client credentials for adapters (DHA providers, Serpro Datavalid): one token per adapter
 * instance, shared by concurrent callers, reused until 30 s before it expires, dropped on failure,
 * and refreshed once when the registry answers 401 to a call made with it.
 */
import { adapterKit, isRecord, type AdapterKit } from './adapter-kit.ts';
import type { HttpClient, HttpResponse } from './http.ts';
import type { LookupContext } from './types.ts';

export interface ClientCredentials {
  tokenUrl: string | URL;
  clientId: string;
  clientSecret: string;
  scope?: string;
  /** Who refused, for messages: "provider", "Serpro". */
  party: string;
}

interface CachedToken {
  accessToken: string;
  /** epoch ms */
  expiresAt: number;
}

export interface OAuthDeps {
  adapterId: string;
  http: HttpClient;
  timeoutMs?: number;
  now: () => Date;
}

/** Refresh this long before expiry so a token never runs out in flight. */
const EARLY_REFRESH_MS = 30_000;
/** When the token reply carries no usable expires_in. */
const DEFAULT_EXPIRES_IN_SECONDS = 300;

export class OAuthClientCredentials {
  private token: Promise<CachedToken> | undefined;
  private readonly kit: AdapterKit;

  constructor(
    private readonly credentials: ClientCredentials,
    private readonly deps: OAuthDeps,
  ) {
    this.kit = adapterKit(deps.adapterId);
  }

  /** A valid access token, fetching one when there is none, it is about to expire, or `force`. */
  async accessToken(ctx: LookupContext, force = false): Promise<string> {
    const current = this.token;
    if (!force && current) {
      const t = await current.catch(() => undefined);
      if (t && t.expiresAt - EARLY_REFRESH_MS > this.deps.now().getTime()) return t.accessToken;
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

  /** Run `call` with a bearer token; on 401 fetch a fresh token and run it once more. */
  async withToken(ctx: LookupContext, call: (token: string) => Promise<HttpResponse>, onRefresh?: () => void): Promise<HttpResponse> {
    const res = await call(await this.accessToken(ctx));
    if (res.status !== 401) return res;
    onRefresh?.();
    return call(await this.accessToken(ctx, true));
  }

  private async fetchToken(ctx: LookupContext): Promise<CachedToken> {
    const { clientId, clientSecret, scope, tokenUrl, party } = this.credentials;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (scope) form.set('scope', scope);
    const res = await this.deps.http.request({
      adapterId: this.deps.adapterId,
      method: 'POST',
      url: tokenUrl,
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
      timeoutMs: this.deps.timeoutMs,
      signal: ctx.signal,
    });
    if (res.status === 400 || res.status === 401) throw this.kit.fail('UNAUTHORISED', `${party} refused our client credentials`);
    if (res.status !== 200) throw this.kit.statusError(res, 'token endpoint');
    const body = this.kit.json(res);
    if (!isRecord(body) || typeof body.access_token !== 'string' || body.access_token === '') {
      throw this.kit.fail('MALFORMED', 'token reply lacks access_token');
    }
    const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_EXPIRES_IN_SECONDS;
    return { accessToken: body.access_token, expiresAt: this.deps.now().getTime() + expiresIn * 1000 };
  }
}
