/**
 * NIN aggregator mock (Dojah-style): GET /api/v1/kyc/nin?nin=, headers AppId + Authorization,
 * `{ entity: {...} }` on success with a bare base64 JPEG photo, `{ error }` bodies otherwise,
 * per-AppId rate limit with 429 + Retry-After.
 */
import { http, HttpResponse } from 'msw';
import type { ConformanceFixture, MockInstance } from '../../src/registry/plugin.ts';
import { MOCK_CREDENTIALS } from './index.ts';
import { encodePhoto, gatewayPage, hangThen504, type MockContext } from '../../mocks/common.ts';
import { notAnImage } from '../../mocks/fixtures.ts';
import type { MockPerson } from '../../mocks/types.ts';

function entity(p: MockPerson, photo: unknown) {
  return {
    entity: {
      first_name: p.first_name,
      last_name: p.last_name,
      middle_name: p.middle_name ?? '',
      gender: p.gender === 'M' ? 'Male' : 'Female',
      date_of_birth: p.date_of_birth,
      phone_number: '0803' + p.id_number.slice(-7),
      photo,
    },
  };
}

function ninHandlers(ctx: MockContext, baseUrl: string) {
  const creds = MOCK_CREDENTIALS;
  return [
    http.get(`${baseUrl}/api/v1/kyc/nin`, async ({ request }) => {
      await ctx.latency('rest');
      if (request.headers.get('appid') !== creds.appId || request.headers.get('authorization') !== creds.secretKey) {
        return HttpResponse.json({ error: 'Unauthorized: invalid AppId or secret key' }, { status: 401 });
      }
      const retryAfter = ctx.rateLimiter.hit(`ng-nin:${creds.appId}`);
      if (retryAfter !== undefined) {
        return HttpResponse.json({ error: 'Too many requests' }, { status: 429, headers: { 'retry-after': String(retryAfter) } });
      }
      const nin = new URL(request.url).searchParams.get('nin') ?? '';
      if (!/^\d{11}$/.test(nin)) return HttpResponse.json({ error: 'Invalid NIN: must be 11 digits' }, { status: 400 });
      ctx.bump('ng-nin');
      const special = ctx.special('ng-nin', nin);
      switch (special) {
        case 'not_found':
          return HttpResponse.json({ error: 'NIN not found' }, { status: 404 });
        case 'remote_invalid':
          return HttpResponse.json({ error: 'Invalid NIN supplied' }, { status: 400 });
        case 'rate_limited':
          return HttpResponse.json({ error: 'Too many requests' }, { status: 429, headers: { 'retry-after': '60' } });
        case 'server_error':
          return gatewayPage(502);
        case 'hang':
          return hangThen504(ctx, request);
        case 'malformed':
          return gatewayPage(200);
        case 'photo_missing':
          return HttpResponse.json(entity(ctx.placeholder('NG_NIN', nin), ''));
        case 'photo_not_image':
          return HttpResponse.json(entity(ctx.placeholder('NG_NIN', nin), encodePhoto(notAnImage())));
        case 'flaky':
          if (ctx.bump('ng-nin:flaky') % 2 === 1) return HttpResponse.json({ error: 'Service unavailable' }, { status: 503 });
          return HttpResponse.json(entity(ctx.placeholder('NG_NIN', nin), encodePhoto(ctx.placeholder('', '').photo)));
        default:
          break;
      }
      const person = ctx.findPerson('NG_NIN', nin);
      if (!person) return HttpResponse.json({ error: 'NIN not found' }, { status: 404 });
      return HttpResponse.json(entity(person, encodePhoto(person.photo, person.photo_encoding ?? 'base64')));
    }),
  ];
}

export function createMock(ctx: MockContext, baseUrl: string): MockInstance {
  return { handlers: ninHandlers(ctx, baseUrl) };
}

export const conformance: ConformanceFixture = {
  idType: 'NG_NIN',
  foundId: '31415926535',
  invalidLocal: ['3141592653', '314159265351', '3141592653X'],
  badCredentials: { secretKey: 'test_sk_wrong' },
  unsupported: ['restricted'],
  person: { photo_encoding: 'wrapped' },
};
