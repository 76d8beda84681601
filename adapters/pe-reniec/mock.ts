/**
 * RENIEC via PIDE mock: POST /Rest/RENIEC/Consultar?out=json with credentials in the body;
 * every business outcome is HTTP 200 with coResultado (0000, 0001, 0999, 1000–1003). Without
 * out=json it answers XML, as the real service does.
 */
import { http, HttpResponse } from 'msw';
import type { ConformanceFixture, MockInstance } from '../../src/registry/plugin.ts';
import { MOCK_CREDENTIALS } from './index.ts';
import { encodePhoto, GATEWAY_HTML, gatewayPage, hangThen504, type MockContext } from '../../mocks/common.ts';
import { notAnImage } from '../../mocks/fixtures.ts';
import type { MockPerson } from '../../mocks/types.ts';

const CODES = {
  '0000': 'Consulta realizada correctamente',
  '0001': 'El DNI consultado corresponde a un menor de edad',
  '0999': 'No se encontraron datos para el DNI consultado',
  '1000': 'Uno o más datos de la petición no son válidos',
  '1001': 'DNI, RUC o contraseña no válidos',
  '1002': 'La contraseña ha caducado; actualícela',
  '1003': 'Se alcanzó el límite de consultas del día',
} as const;

type Code = keyof typeof CODES;

function reply(code: Code, datosPersona?: Record<string, unknown>) {
  return HttpResponse.json({
    consultarResponse: { return: { coResultado: code, deResultado: CODES[code], ...(datosPersona ? { datosPersona } : {}) } },
  });
}

function datos(p: MockPerson, foto: unknown, restriccion = ''): Record<string, unknown> {
  const [apPrimer, ...rest] = p.last_name.toUpperCase().split(/\s+/);
  return {
    prenombres: [p.first_name, p.middle_name].filter(Boolean).join(' ').toUpperCase(),
    apPrimer: apPrimer ?? '',
    apSegundo: rest.join(' '),
    direccion: (p.address ?? '').toUpperCase(),
    estadoCivil: 'SOLTERO',
    ubigeo: 'LIMA/LIMA/MIRAFLORES',
    restriccion,
    foto,
  };
}

function reniecHandlers(ctx: MockContext, baseUrl: string) {
  const creds = MOCK_CREDENTIALS;
  const consultar = http.post(`${baseUrl}/Rest/RENIEC/Consultar`, async ({ request }) => {
    await ctx.latency('rest');
    const url = new URL(request.url);
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      body = undefined;
    }
    const pide = (body as { PIDE?: Record<string, unknown> } | undefined)?.PIDE;
    if (url.searchParams.get('out') !== 'json') {
      return new HttpResponse(
        `<?xml version="1.0"?><consultarResponse><return><coResultado>1000</coResultado><deResultado>${CODES['1000']}</deResultado></return></consultarResponse>`,
        { headers: { 'content-type': 'application/xml' } },
      );
    }
    if (!pide || typeof pide !== 'object') return reply('1000');
    const { nuDniConsulta, nuDniUsuario, nuRucUsuario, password } = pide;
    if (nuDniUsuario !== creds.nuDniUsuario || nuRucUsuario !== creds.nuRucUsuario || password !== creds.password) {
      return reply('1001');
    }
    if (typeof nuDniConsulta !== 'string' || !/^\d{8}$/.test(nuDniConsulta)) return reply('1000');
    ctx.bump('pe-reniec');
    const quota = ctx.options.reniecDailyQuota ?? 1000;
    if (ctx.rateLimiter.hit(`pe-reniec:${nuDniUsuario}`, { limit: quota, windowMs: 86_400_000 }) !== undefined) return reply('1003');

    const special = ctx.special('pe-reniec', nuDniConsulta);
    switch (special) {
      case 'not_found':
        return reply('0999');
      case 'restricted':
        return reply('0001');
      case 'remote_invalid':
        return reply('1000');
      case 'rate_limited':
        return reply('1003');
      case 'server_error':
        return gatewayPage(503);
      case 'hang':
        return hangThen504(ctx, request);
      case 'malformed':
        return new HttpResponse('{"consultarResponse":{"return":{"coResultado":"0000","datosPersona":{"prenombres":"TRU', {
          headers: { 'content-type': 'application/json' },
        });
      case 'flaky':
        if (ctx.bump(`pe-reniec:flaky`) % 2 === 1) return new HttpResponse(GATEWAY_HTML, { status: 502 });
        break;
      default:
        break;
    }
    if (special === 'photo_missing') return reply('0000', datos(ctx.placeholder('PE_DNI', nuDniConsulta), ''));
    if (special === 'photo_not_image') {
      return reply('0000', datos(ctx.placeholder('PE_DNI', nuDniConsulta), encodePhoto(notAnImage())));
    }
    const person = ctx.findPerson('PE_DNI', nuDniConsulta) ?? (special === 'flaky' ? ctx.placeholder('PE_DNI', nuDniConsulta) : undefined);
    if (!person) return reply('0999');
    return reply('0000', datos(person, encodePhoto(person.photo, person.photo_encoding ?? 'base64')));
  });

  const actualizar = http.post(`${baseUrl}/Rest/RENIEC/Actualizar`, async ({ request }) => {
    await ctx.latency('rest');
    const body = (await request.json().catch(() => ({}))) as Record<string, unknown>;
    const ok = body.credencialAnterior === creds.password && typeof body.credencialNueva === 'string' && body.credencialNueva.length >= 8;
    return HttpResponse.json({
      actualizarcredencialResponse: { return: { coResultado: ok ? '0000' : '1001', deResultado: ok ? CODES['0000'] : CODES['1001'] } },
    });
  });

  return [consultar, actualizar];
}

export function createMock(ctx: MockContext, baseUrl: string): MockInstance {
  return { handlers: reniecHandlers(ctx, baseUrl) };
}

export const conformance: ConformanceFixture = {
  idType: 'PE_DNI',
  foundId: '41592653',
  foundInput: '41592653-2',
  invalidLocal: ['4159265', '41592653-9', '4159265A', '41592653K'],
  badCredentials: { password: 'wrong-password' },
  person: { photo_encoding: 'byte_array' },
};
