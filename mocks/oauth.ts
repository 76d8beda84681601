/** An OAuth2 client-credentials token endpoint for the mocks (DHA provider, Serpro Datavalid). */
import { randomBytes } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import type { MockContext } from './common.ts';

/** Issued access token → expiry (epoch ms). */
export type TokenStore = Map<string, number>;

export function tokenEndpoint(ctx: MockContext, url: string, client: { id: string; secret: string }, tokens: TokenStore, scope: string) {
  return http.post(url, async ({ request }) => {
    await ctx.latency('rest');
    const expected = `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;
    const form = new URLSearchParams(await request.text());
    if (form.get('grant_type') !== 'client_credentials') {
      return HttpResponse.json({ error: 'unsupported_grant_type' }, { status: 400 });
    }
    if (request.headers.get('authorization') !== expected) {
      return HttpResponse.json({ error: 'invalid_client', error_description: 'Client authentication failed' }, { status: 401 });
    }
    const ttl = ctx.options.tokenTtlSeconds ?? 3300;
    const accessToken = randomBytes(24).toString('base64url');
    tokens.set(accessToken, ctx.now() + ttl * 1000);
    return HttpResponse.json({ access_token: accessToken, token_type: 'Bearer', expires_in: ttl, scope });
  });
}

/** True when the request carries a bearer token this store issued and that has not expired. */
export function hasValidBearer(ctx: MockContext, request: Request, tokens: TokenStore): boolean {
  const bearer = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
  const expiry = bearer ? tokens.get(bearer) : undefined;
  return expiry !== undefined && expiry > ctx.now();
}
