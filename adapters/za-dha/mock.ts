/**
 * DHA photo-retrieval provider mock: OAuth2 client-credentials token endpoint (Basic auth),
 * POST /v1/za/dha/photo with a Bearer token and `consent: true`, and a second route serving the
 * portrait behind a signed link that expires (403 once expired, 404 when unknown).
 */
import { randomBytes } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import { DHA_PHOTO_PATH } from './adapter.ts';
import { validateZaId } from './id-number.ts';
import type { ConformanceFixture, MockInstance } from '../../src/registry/plugin.ts';
import { MOCK_CREDENTIALS } from './index.ts';
import { gatewayPage, type MockContext } from '../../mocks/common.ts';
import { notAnImage } from '../../mocks/fixtures.ts';
import { hasValidBearer, tokenEndpoint, type TokenStore } from '../../mocks/oauth.ts';
import type { MockPerson } from '../../mocks/types.ts';

interface DhaMockState {
  tokens: TokenStore;
  links: Map<string, { bytes: Uint8Array; expiresAt: number }>;
}

const error = (status: number, code: string, message: string, headers?: Record<string, string>) =>
  HttpResponse.json({ error: { code, message } }, { status, headers });

function dhaHandlers(ctx: MockContext, baseUrl: string, state: DhaMockState) {
  const creds = MOCK_CREDENTIALS;
  const linkTtl = () => ctx.options.photoLinkTtlMs ?? 60_000;

  const tokenRoute = tokenEndpoint(ctx, `${baseUrl}/oauth/token`, { id: creds.clientId, secret: creds.clientSecret }, state.tokens, 'dha.photo');

  function issueLink(bytes: Uint8Array, expired = false): { photo_url: string; photo_url_expires_at: string } {
    const id = randomBytes(18).toString('base64url');
    const expiresAt = expired ? ctx.now() - 1000 : ctx.now() + linkTtl();
    state.links.set(id, { bytes, expiresAt });
    return {
      photo_url: `${baseUrl}/v1/photos/${id}?expires=${Math.floor(expiresAt / 1000)}&signature=${randomBytes(16).toString('hex')}`,
      photo_url_expires_at: new Date(expiresAt).toISOString(),
    };
  }

  function found(p: MockPerson, link: ReturnType<typeof issueLink> | { photo_url: null }, extra: Record<string, unknown> = {}) {
    return HttpResponse.json({
      status: 'found',
      person: {
        first_names: [p.first_name, p.middle_name].filter(Boolean).join(' '),
        surname: p.last_name,
        date_of_birth: p.date_of_birth,
        gender: p.gender === 'M' ? 'male' : 'female',
        citizenship: p.id_number.charAt(10) === '0' ? 'citizen' : 'permanent_resident',
        deceased: false,
        ...extra,
      },
      ...link,
    });
  }

  const photoRoute = http.post(`${baseUrl}${DHA_PHOTO_PATH}`, async ({ request }) => {
    await ctx.latency('rest');
    if (!hasValidBearer(ctx, request, state.tokens)) return error(401, 'UNAUTHENTICATED', 'Access token missing, invalid or expired');
    const retryAfter = ctx.rateLimiter.hit(`za-dha:${creds.clientId}`);
    if (retryAfter !== undefined) return error(429, 'RATE_LIMITED', 'Too many requests', { 'retry-after': String(retryAfter) });
    const body = (await request.json().catch(() => undefined)) as { id_number?: unknown; consent?: unknown } | undefined;
    if (!body) return error(400, 'BAD_REQUEST', 'Body must be JSON');
    if (body.consent !== true) return error(400, 'CONSENT_REQUIRED', 'Explicit consent (consent: true) is required');
    const id = typeof body.id_number === 'string' ? body.id_number : '';
    if (!validateZaId(id).ok) return error(422, 'INVALID_ID_NUMBER', 'id_number is not a valid South African ID number');
    ctx.bump('za-dha');
    const special = ctx.special('za-dha', id);
    const placeholder = () => ctx.placeholder('ZA_ID', id);
    switch (special) {
      case 'not_found':
        return error(404, 'NOT_FOUND', 'No record at the National Population Register');
      case 'remote_invalid':
        return error(422, 'INVALID_ID_NUMBER', 'ID number has not been issued');
      case 'rate_limited':
        return error(429, 'RATE_LIMITED', 'Too many requests', { 'retry-after': '60' });
      case 'server_error':
        return error(503, 'UPSTREAM_UNAVAILABLE', 'DHA is not reachable');
      case 'hang':
        await ctx.hang(request.signal);
        return error(504, 'UPSTREAM_TIMEOUT', 'DHA did not answer');
      case 'malformed':
        return gatewayPage(200);
      case 'restricted':
        return found(placeholder(), { photo_url: null }, { deceased: true });
      case 'photo_missing':
        return found(placeholder(), { photo_url: null });
      case 'photo_not_image':
        return found(placeholder(), issueLink(notAnImage()));
      case 'expired_link':
        return found(placeholder(), issueLink(placeholder().photo, true));
      case 'flaky':
        if (ctx.bump('za-dha:flaky') % 2 === 1) return error(503, 'UPSTREAM_UNAVAILABLE', 'DHA is not reachable');
        return found(placeholder(), issueLink(placeholder().photo));
      default:
        break;
    }
    const person = ctx.findPerson('ZA_ID', id);
    if (!person) return error(404, 'NOT_FOUND', 'No record at the National Population Register');
    return found(person, issueLink(person.photo));
  });

  const linkRoute = http.get(`${baseUrl}/v1/photos/:id`, async ({ params }) => {
    await ctx.latency('rest');
    const link = state.links.get(String(params.id));
    if (!link) return new HttpResponse('<Error><Code>NoSuchKey</Code></Error>', { status: 404, headers: { 'content-type': 'application/xml' } });
    if (link.expiresAt <= ctx.now()) {
      return new HttpResponse('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>', {
        status: 403,
        headers: { 'content-type': 'application/xml' },
      });
    }
    return new HttpResponse(link.bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': 'image/jpeg' } });
  });

  return [tokenRoute, photoRoute, linkRoute];
}

export const conformance: ConformanceFixture = {
  idType: 'ZA_ID',
  foundId: '8507145123085',
  foundInput: '850714 5123 085',
  // wrong Luhn digit; impossible date (Feb 30); bad citizenship digit; too short
  invalidLocal: ['8507145123086', '8502305123085', '8507145123385', '850714512308'],
  badCredentials: { clientSecret: 'wrong-secret' },
};

export function createMock(ctx: MockContext, baseUrl: string): MockInstance {
  const state: DhaMockState = { tokens: new Map(), links: new Map() };
  return {
    handlers: dhaHandlers(ctx, baseUrl, state),
    revokeTokens: () => state.tokens.clear(),
    expirePhotoLinks: () => {
      for (const link of state.links.values()) link.expiresAt = 0;
    },
    reset: () => {
      state.tokens.clear();
      state.links.clear();
    },
  };
}
