/**
 * NIBSS BVNR mock: `Reset` issues throwaway AES-128-CBC keys and a password in response headers;
 * GetSingleBVN checks OrganisationCode, Authorization, SIGNATURE and SIGNATURE_METH, decrypts the hex
 * body, and answers an encrypted hex JSON with ResponseCode. Non-200 on bad auth.
 */
import { randomBytes } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import { nibssAuthorization, nibssDecrypt, nibssEncrypt, nibssSignature, type NibssSession } from './crypto.ts';
import type { ConformanceFixture, MockInstance } from '../../src/registry/plugin.ts';
import { MOCK_CREDENTIALS } from './index.ts';
import { dMonYDate, encodePhoto, hangThen504, type MockContext } from '../../mocks/common.ts';
import { notAnImage } from '../../mocks/fixtures.ts';
import type { MockPerson } from '../../mocks/types.ts';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

function token(n: number): string {
  return Array.from(randomBytes(n), (b) => ALPHABET[b % ALPHABET.length]).join('');
}

interface NibssMockState {
  sessions: Map<string, NibssSession>;
}

function payload(p: MockPerson, image: unknown, extra: Record<string, unknown> = {}) {
  return {
    ResponseCode: '00',
    BVN: p.id_number,
    FirstName: p.first_name.toUpperCase(),
    MiddleName: (p.middle_name ?? '').toUpperCase(),
    LastName: p.last_name.toUpperCase(),
    DateOfBirth: dMonYDate(p.date_of_birth),
    PhoneNumber: '0805' + p.id_number.slice(-7),
    RegistrationDate: '12-Jun-2015',
    EnrollmentBank: '058',
    EnrollmentBranch: 'VICTORIA ISLAND',
    WatchListed: 'NO',
    Gender: p.gender === 'M' ? 'Male' : 'Female',
    levelOfAccount: 'Level 2 - Medium Level Accounts',
    nameOnCard: `${p.first_name} ${p.last_name}`.toUpperCase(),
    base64Image: image,
    ...extra,
  };
}

function bvnHandlers(ctx: MockContext, baseUrl: string, state: NibssMockState) {
  const orgCode = MOCK_CREDENTIALS.organisationCode;

  const decodeOrg = (h: string | null) => (h ? Buffer.from(h, 'base64').toString('utf8') : '');

  const reset = http.post(`${baseUrl}/nibss/bvnr/Reset`, async ({ request }) => {
    await ctx.latency('rest');
    const code = decodeOrg(request.headers.get('organisationcode'));
    if (code !== orgCode) return new HttpResponse('Invalid OrganisationCode', { status: 401 });
    const session = { aesKey: token(16), ivKey: token(16), password: token(24) };
    state.sessions.set(code, session);
    return new HttpResponse('Reset successful', {
      headers: { aes_key: session.aesKey, ivkey: session.ivKey, password: session.password, 'content-type': 'text/plain' },
    });
  });

  const getSingle = http.post(`${baseUrl}/nibss/bvnr/GetSingleBVN`, async ({ request }) => {
    await ctx.latency('rest');
    const code = decodeOrg(request.headers.get('organisationcode'));
    const session = state.sessions.get(code);
    if (!session) return new HttpResponse('Unauthorized', { status: 401 });
    const now = new Date(ctx.now());
    const signatures = [-1, 0, 1].map((d) => nibssSignature(code, session.password, new Date(now.getTime() + d * 86_400_000)));
    if (
      request.headers.get('authorization') !== nibssAuthorization(code, session.password) ||
      !signatures.includes(request.headers.get('signature') ?? '') ||
      request.headers.get('signature_meth') !== 'SHA256'
    ) {
      return new HttpResponse('Unauthorized', { status: 401 });
    }
    let bvn = '';
    try {
      const body = JSON.parse(nibssDecrypt(await request.text(), session)) as { BVN?: unknown };
      bvn = String(body.BVN ?? '');
    } catch {
      return new HttpResponse('Bad Request: body could not be decrypted', { status: 400 });
    }
    const enc = (obj: object, status = 200) =>
      new HttpResponse(nibssEncrypt(JSON.stringify(obj), session), { status, headers: { 'content-type': 'text/plain' } });
    if (!/^\d{11}$/.test(bvn)) return enc({ ResponseCode: '02' });
    ctx.bump('ng-bvn');
    const retryAfter = ctx.rateLimiter.hit(`ng-bvn:${code}`);
    if (retryAfter !== undefined) return new HttpResponse('Too Many Requests', { status: 429, headers: { 'retry-after': String(retryAfter) } });

    const special = ctx.special('ng-bvn', bvn);
    const placeholder = () => ctx.placeholder('NG_BVN', bvn);
    switch (special) {
      case 'not_found':
        return enc({ ResponseCode: '01' });
      case 'remote_invalid':
        return enc({ ResponseCode: '02' });
      case 'rate_limited':
        return new HttpResponse('Too Many Requests', { status: 429, headers: { 'retry-after': '60' } });
      case 'server_error':
        return new HttpResponse('Internal Server Error', { status: 500 });
      case 'hang':
        return hangThen504(ctx, request);
      case 'malformed': {
        // Tampered ciphertext: the last block is altered, so padding/decryption fails.
        const good = nibssEncrypt(JSON.stringify(payload(placeholder(), '')), session);
        return new HttpResponse(good.slice(0, -32) + 'f'.repeat(32), { headers: { 'content-type': 'text/plain' } });
      }
      case 'restricted':
        return enc(payload(placeholder(), encodePhoto(placeholder().photo), { WatchListed: 'YES' }));
      case 'photo_missing':
        return enc(payload(placeholder(), ''));
      case 'photo_not_image':
        return enc(payload(placeholder(), encodePhoto(notAnImage())));
      case 'flaky':
        if (ctx.bump('ng-bvn:flaky') % 2 === 1) return new HttpResponse('Service Unavailable', { status: 503 });
        return enc(payload(placeholder(), encodePhoto(placeholder().photo)));
      default:
        break;
    }
    const person = ctx.findPerson('NG_BVN', bvn);
    if (!person) return enc({ ResponseCode: '01' });
    return enc(payload(person, encodePhoto(person.photo, person.photo_encoding ?? 'base64')));
  });

  return [reset, getSingle];
}

export const conformance: ConformanceFixture = {
  idType: 'NG_BVN',
  foundId: '22314159265',
  invalidLocal: ['2231415926', '223141592651', 'BVN22314159'],
  badCredentials: { organisationCode: '99999' },
};

export function createMock(ctx: MockContext, baseUrl: string): MockInstance {
  const state: NibssMockState = { sessions: new Map() };
  return {
    handlers: bvnHandlers(ctx, baseUrl, state),
    rotateSessionKeys: () => {
      for (const [code, s] of state.sessions) state.sessions.set(code, { ...s, password: `${s.password}x` });
    },
    reset: () => state.sessions.clear(),
  };
}
