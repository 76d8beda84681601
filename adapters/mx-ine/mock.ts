/**
 * INE verification provider mock (our profile of the Veriff/Didit product [inf]): `POST
 * /v1/mx/ine/biometric-verification` with `x-api-key`, `{ credential, selfie, consent }` →
 * `{ vigencia: { status }, face_match: { available, similarity (0–100), result } }`; `{ error }`
 * bodies otherwise. Records are the demo people with id_type MX_INE; a CIC ending in 001 is
 * reported lost and one ending in 002 is expired.
 */
import { http, HttpResponse } from 'msw';
import { gatewayPage, hangThen504, type MockContext } from '../../mocks/common.ts';
import type { ConformanceFixture, MockInstance } from '../../src/registry/plugin.ts';
import { bandFor } from '../../src/registry/score-table.ts';
import { INE_SCORE_TABLE, INE_VERIFY_PATH } from './adapter.ts';
import { MOCK_CREDENTIALS } from './index.ts';

const ID = 'mx-ine';
const error = (status: number, code: string, message: string, headers?: Record<string, string>) => HttpResponse.json({ error: { code, message } }, { status, headers });

function vigencia(key: string): string {
  if (key.endsWith('001')) return 'REPORTE_DE_ROBO_O_EXTRAVIO';
  if (key.endsWith('002')) return 'NO_VIGENTE';
  return 'VIGENTE';
}

function verdict(key: string, similarity: number) {
  const s = Math.round(Math.min(1, Math.max(0, similarity)) * 1000) / 10;
  return { vigencia: { status: vigencia(key) }, face_match: { available: true, similarity: s, result: bandFor(s / 100, INE_SCORE_TABLE).label } };
}

/** The normalised MX_INE form of the credential in a request, or undefined. */
function credentialKey(c: Record<string, unknown> | undefined): string | undefined {
  if (!c) return undefined;
  if (typeof c.cic === 'string' && typeof c.identificador_ciudadano === 'string') return `${c.cic}-${c.identificador_ciudadano}`;
  if (typeof c.clave_elector === 'string' && typeof c.numero_emision === 'string') return `${c.clave_elector}-${c.numero_emision}`;
  return undefined;
}

export function createMock(ctx: MockContext, baseUrl: string): MockInstance {
  const verify = http.post(`${baseUrl}${INE_VERIFY_PATH}`, async ({ request }) => {
    await ctx.latency('rest');
    if (request.headers.get('x-api-key') !== MOCK_CREDENTIALS.apiKey) return error(401, 'UNAUTHORIZED', 'Invalid API key');
    const retryAfter = ctx.rateLimiter.hit(`${ID}:${MOCK_CREDENTIALS.apiKey}`);
    if (retryAfter !== undefined) return error(429, 'RATE_LIMITED', 'Too many requests', { 'retry-after': String(retryAfter) });
    let body: { credential?: Record<string, unknown>; selfie?: unknown; consent?: unknown };
    try {
      body = (await request.json()) as typeof body;
    } catch {
      return error(400, 'BAD_REQUEST', 'Body is not JSON');
    }
    const key = credentialKey(body.credential);
    if (!key) return error(422, 'INVALID_CREDENTIAL', 'Provide cic + identificador_ciudadano or clave_elector + numero_emision');
    if (body.consent !== true) return error(422, 'CONSENT_REQUIRED', 'Consent of the credential holder is required');
    const selfie = typeof body.selfie === 'string' ? Buffer.from(body.selfie, 'base64') : undefined;
    if (!selfie || selfie.length === 0) return error(422, 'SELFIE_REQUIRED', 'selfie is required');
    ctx.bump(ID);
    switch (ctx.special(ID, key)) {
      case 'not_found':
        return error(404, 'NOT_FOUND', 'Credential not found on the register');
      case 'remote_invalid':
        return error(422, 'INVALID_CREDENTIAL', 'CIC and identificador ciudadano do not belong together');
      case 'photo_missing':
        return HttpResponse.json({ vigencia: { status: 'VIGENTE' }, face_match: { available: false } });
      case 'rate_limited':
        return error(429, 'RATE_LIMITED', 'Too many requests', { 'retry-after': '60' });
      case 'server_error':
        return gatewayPage(502);
      case 'hang':
        return hangThen504(ctx, request);
      case 'malformed':
        return gatewayPage(200);
      case 'flaky':
        if (ctx.bump(`${ID}:flaky`) % 2 === 1) return error(503, 'UNAVAILABLE', 'INE service unavailable');
        return HttpResponse.json(verdict(key, await ctx.faceSimilarity(selfie, selfie)));
      default:
        break;
    }
    const person = ctx.findPerson('MX_INE', key);
    if (!person) return error(404, 'NOT_FOUND', 'Credential not found on the register');
    return HttpResponse.json(verdict(key, await ctx.faceSimilarity(selfie, person.photo)));
  });
  return { handlers: [verify] };
}

export const conformance: ConformanceFixture = {
  idType: 'MX_INE',
  foundId: '314159265-358979323',
  foundInput: '314159265 358979323',
  // CIC too short; impossible birth date in the clave; unknown state 33; neither form
  invalidLocal: ['31415926-358979323', 'GMVLMR80133201M100-02', 'GMVLMR80070533M100-02', 'INE-12345'],
  badCredentials: { apiKey: 'wrong-key' },
  // INE's validity outcome is reported as an identity field, not a failure; it never returns a photo.
  unsupported: ['restricted', 'photo_not_image'],
};
