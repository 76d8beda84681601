/**
 * NIA Ghana Card mock: POST /api/v1/person/lookup [inf] with the `NIa_merchantKey` header and a JSON
 * body `{ pinNumber }`; replies in the `{success, code, msg, data}` envelope, a failed verification
 * as HTTP 404 code "05" (with NIA's own spelling), rate limits as 429 + Retry-After.
 */
import { http, HttpResponse } from 'msw';
import { NIA_DEFAULT_LOOKUP_PATH } from './adapter.ts';
import type { ConformanceFixture, MockInstance } from '../../src/registry/plugin.ts';
import { MOCK_CREDENTIALS } from './index.ts';
import { encodePhoto, gatewayPage, hangThen504, type MockContext } from '../../mocks/common.ts';
import { notAnImage } from '../../mocks/fixtures.ts';
import type { MockPerson } from '../../mocks/types.ts';

function ok(p: MockPerson, portrait: unknown) {
  return HttpResponse.json({
    success: true,
    code: '00',
    msg: 'Verification successful',
    data: {
      person: {
        nationalId: p.id_number,
        forenames: [p.first_name, p.middle_name].filter(Boolean).join(' '),
        surname: p.last_name,
        birthDate: p.date_of_birth,
        gender: p.gender === 'M' ? 'Male' : 'Female',
        nationality: 'Ghanaian',
        cardValidTo: '2031-06-30',
        portrait,
      },
    },
  });
}

const fail = (status: number, code: string, msg: string, headers?: Record<string, string>) =>
  HttpResponse.json({ success: false, code, msg }, { status, headers });

function niaHandlers(ctx: MockContext, baseUrl: string) {
  const key = MOCK_CREDENTIALS.merchantKey;
  return [
    http.post(`${baseUrl}${NIA_DEFAULT_LOOKUP_PATH}`, async ({ request }) => {
      await ctx.latency('rest');
      if (request.headers.get('nia_merchantkey') !== key) return fail(401, '01', 'Invalid merchant key');
      const retryAfter = ctx.rateLimiter.hit(`gh-nia:${key}`);
      if (retryAfter !== undefined) return fail(429, '09', 'Too many requests', { 'retry-after': String(retryAfter) });
      const body = (await request.json().catch(() => undefined)) as { pinNumber?: unknown } | undefined;
      const pin = typeof body?.pinNumber === 'string' ? body.pinNumber : '';
      if (!/^GHA-\d{9}-\d$/.test(pin)) return fail(400, '03', 'Invalid pinNumber');
      ctx.bump('gh-nia');
      const special = ctx.special('gh-nia', pin);
      const placeholder = () => ctx.placeholder('GH_GHANA_CARD', pin);
      switch (special) {
        case 'not_found':
          return fail(404, '05', 'Error in Verifiation Process');
        case 'remote_invalid':
          return fail(400, '03', 'Invalid pinNumber');
        case 'restricted':
          return fail(200, '06', 'Card revoked');
        case 'rate_limited':
          return fail(429, '09', 'Too many requests', { 'retry-after': '60' });
        case 'server_error':
          return fail(500, '99', 'Internal server error');
        case 'hang':
          return hangThen504(ctx, request);
        case 'malformed':
          return gatewayPage(200);
        case 'photo_missing':
          return ok(placeholder(), null);
        case 'photo_not_image':
          return ok(placeholder(), encodePhoto(notAnImage()));
        case 'flaky':
          if (ctx.bump('gh-nia:flaky') % 2 === 1) return fail(503, '99', 'Service temporarily unavailable');
          return ok(placeholder(), encodePhoto(placeholder().photo));
        default:
          break;
      }
      const person = ctx.findPerson('GH_GHANA_CARD', pin);
      if (!person) return fail(404, '05', 'Error in Verifiation Process');
      return ok(person, encodePhoto(person.photo, person.photo_encoding ?? 'base64'));
    }),
  ];
}

export function createMock(ctx: MockContext, baseUrl: string): MockInstance {
  return { handlers: niaHandlers(ctx, baseUrl) };
}

export const conformance: ConformanceFixture = {
  idType: 'GH_GHANA_CARD',
  foundId: 'GHA-314159265-3',
  foundInput: 'gha3141592653',
  invalidLocal: ['GHA-31415926-3', 'GHB-314159265-3', 'GHA-314159265-X', '314159265'],
  badCredentials: { merchantKey: 'wrong-key' },
  person: { photo_encoding: 'data_url' },
};
