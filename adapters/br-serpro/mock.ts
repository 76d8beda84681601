/**
 * Serpro Datavalid mock, after the published swagger and FAQ: `POST /token` (client credentials,
 * Basic consumerKey:consumerSecret), `POST …/validate/pf-face` with `{ key: { cpf }, answer:
 * { biometria_face } }` → `{ cpf_disponivel, biometria_face: { disponivel, probabilidade,
 * similaridade } }`; 401 on a missing or expired token, 422 `[{ property, message }]` (code `DV040`
 * when there is no face on record), 503 when an upstream base is down, 429 over the quota.
 */
import { http, HttpResponse } from 'msw';
import { gatewayPage, hangThen504, type MockContext } from '../../mocks/common.ts';
import { hasValidBearer, tokenEndpoint, type TokenStore } from '../../mocks/oauth.ts';
import type { ConformanceFixture, MockInstance } from '../../src/registry/plugin.ts';
import { cpfValid } from '../../src/registry/validators.ts';
import { DATAVALID_SCORE_TABLE, DATAVALID_VALIDATE_PATH } from './adapter.ts';
import { MOCK_CREDENTIALS } from './index.ts';

const ID = 'br-serpro';

const unprocessable = (issues: Array<Record<string, string>>) => HttpResponse.json(issues, { status: 422 });

/** The FAQ's bands: Altíssima ≥ 93 %, Alta 85–92.99 %, Baixa 32–84.99 %, Baixíssima < 32 %. */
function probabilidade(similarity: number): string {
  return [...DATAVALID_SCORE_TABLE].reverse().find((b) => similarity >= b.from)?.label ?? 'Baixíssima probabilidade';
}

function validateHandler(ctx: MockContext, baseUrl: string, tokens: TokenStore) {
  return http.post(`${baseUrl}${DATAVALID_VALIDATE_PATH}`, async ({ request }) => {
    await ctx.latency('rest');
    if (!hasValidBearer(ctx, request, tokens)) {
      return HttpResponse.json({ fault: { code: 900901, message: 'Invalid Credentials', description: 'Access failure for API' } }, { status: 401 });
    }
    const retryAfter = ctx.rateLimiter.hit(`${ID}:${MOCK_CREDENTIALS.consumerKey}`);
    if (retryAfter !== undefined) return HttpResponse.json({ message: 'Quota exceeded' }, { status: 429, headers: { 'retry-after': String(retryAfter) } });
    let body: { key?: { cpf?: unknown }; answer?: { biometria_face?: unknown } };
    try {
      body = (await request.json()) as typeof body;
    } catch {
      return HttpResponse.json({ message: 'Malformed request body' }, { status: 400 });
    }
    const cpf = typeof body?.key?.cpf === 'string' ? body.key.cpf : '';
    if (!/^\d{11}$/.test(cpf)) return unprocessable([{ property: 'key.cpf', message: 'CPF deve conter 11 dígitos' }]);
    const face = typeof body.answer?.biometria_face === 'string' ? Buffer.from(body.answer.biometria_face, 'base64') : undefined;
    if (!face || face.length === 0) return unprocessable([{ property: 'answer.biometria_face', message: 'Imagem não informada' }]);
    ctx.bump(ID);
    switch (ctx.special(ID, cpf)) {
      case 'not_found':
        return HttpResponse.json({ cpf_disponivel: false });
      case 'remote_invalid':
        return unprocessable([{ property: 'key.cpf', message: 'CPF inválido' }]);
      case 'photo_missing':
        return unprocessable([{ code: 'DV040', message: 'Não foi possível validar a biometria: não há imagem de face na base' }]);
      case 'rate_limited':
        return HttpResponse.json({ message: 'Quota exceeded' }, { status: 429, headers: { 'retry-after': '60' } });
      case 'server_error':
        return HttpResponse.json({ message: 'Base de dados temporariamente indisponível' }, { status: 503 });
      case 'hang':
        return hangThen504(ctx, request);
      case 'malformed':
        return gatewayPage(200);
      case 'flaky':
        if (ctx.bump(`${ID}:flaky`) % 2 === 1) return HttpResponse.json({ message: 'Base de dados temporariamente indisponível' }, { status: 503 });
        return HttpResponse.json(answer(await ctx.faceSimilarity(face, face)));
      default:
        break;
    }
    if (!cpfValid(cpf)) return unprocessable([{ property: 'key.cpf', message: 'CPF inválido' }]);
    const person = ctx.findPerson('BR_CPF', cpf);
    if (!person) return HttpResponse.json({ cpf_disponivel: false });
    return HttpResponse.json(answer(await ctx.faceSimilarity(face, person.photo)));
  });
}

function answer(similarity: number) {
  const s = Math.round(Math.min(1, Math.max(0, similarity)) * 10_000) / 10_000;
  return { cpf_disponivel: true, biometria_face: { disponivel: true, probabilidade: probabilidade(s), similaridade: s } };
}

export function createMock(ctx: MockContext, baseUrl: string): MockInstance {
  const tokens: TokenStore = new Map();
  return {
    handlers: [
      tokenEndpoint(ctx, `${baseUrl}/token`, { id: MOCK_CREDENTIALS.consumerKey, secret: MOCK_CREDENTIALS.consumerSecret }, tokens, 'am_application_scope default'),
      validateHandler(ctx, baseUrl, tokens),
    ],
    revokeTokens: () => tokens.clear(),
    reset: () => tokens.clear(),
  };
}

export const conformance: ConformanceFixture = {
  idType: 'BR_CPF',
  // A Serpro demo CPF (passes mod 11).
  foundId: '81845995104',
  foundInput: '818.459.951-04',
  // wrong second check digit; too short; repeated digits; a letter
  invalidLocal: ['818.459.951-05', '8184599510', '111.111.111-11', '8184599510X'],
  badCredentials: { consumerSecret: 'wrong-secret' },
  // Datavalid has no restricted-record signal and never returns a photo.
  unsupported: ['restricted', 'photo_not_image'],
};
