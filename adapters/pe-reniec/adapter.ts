/**
 * RENIEC through PIDE (Peru): REST JSON, credentials in the body, business result codes inside
 * HTTP 200. See README.md for the interface and the evidence behind it.
 */
import {
  compact,
  errorForStatus,
  isRecord,
  joinName,
  parseJson,
  scrub,
  str,
  type AdapterDeps,
} from '../../src/registry/adapter-kit.ts';
import { maskIdNumber } from '../../src/registry/mask.ts';
import { decodePhoto } from '../../src/registry/photo.ts';
import { SingleIdTypeAdapter } from '../../src/registry/single-type-adapter.ts';
import { RegistryError, type LookupContext, type LookupResult } from '../../src/registry/types.ts';
import { validatePeDni } from './id-number.ts';

export interface ReniecConfig {
  /** e.g. https://ws2.pide.gob.pe */
  baseUrl: string;
  /** DNI of the authorised user at the consuming entity. */
  nuDniUsuario: string;
  /** RUC of the consuming entity. */
  nuRucUsuario: string;
  password: string;
}

const ID = 'pe-reniec';

/** Seconds until the next midnight in Lima (UTC−5, no DST): when the daily quota resets. */
export function secondsUntilLimaMidnight(now: Date): number {
  const limaMs = now.getTime() - 5 * 3600_000;
  const dayMs = 86_400_000;
  return Math.ceil((dayMs - (((limaMs % dayMs) + dayMs) % dayMs)) / 1000);
}

export class ReniecAdapter extends SingleIdTypeAdapter {
  constructor(
    private readonly config: ReniecConfig,
    deps: AdapterDeps,
  ) {
    super(ID, 'RENIEC via PIDE (Peru)', 'PE_DNI', validatePeDni, deps);
  }

  async lookup(idType: string, idNumber: string, ctx: LookupContext): Promise<LookupResult> {
    const { normalised: dni, log } = this.prepare(idType, idNumber);
    const url = new URL('/Rest/RENIEC/Consultar', this.config.baseUrl);
    url.searchParams.set('out', 'json');
    const res = await this.deps.http.request({
      adapterId: ID,
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        PIDE: {
          nuDniConsulta: dni,
          nuDniUsuario: this.config.nuDniUsuario,
          nuRucUsuario: this.config.nuRucUsuario,
          password: this.config.password,
        },
      }),
      timeoutMs: this.deps.timeoutMs,
      signal: ctx.signal,
    });
    if (res.status !== 200) throw errorForStatus(res, ID, 'PIDE');

    const body = parseJson(res, ID);
    const ret = isRecord(body) && isRecord(body.consultarResponse) ? body.consultarResponse.return : undefined;
    if (!isRecord(ret) || typeof ret.coResultado !== 'string') {
      throw new RegistryError('MALFORMED', 'PIDE reply lacks consultarResponse.return.coResultado', { adapterId: ID });
    }
    const code = ret.coResultado;
    log.info('reniec reply', { requestId: ctx.requestId, id: maskIdNumber(dni), coResultado: code });
    const message = scrub(str(ret.deResultado) ?? code);
    switch (code) {
      case '0000':
        break;
      case '0001':
        throw new RegistryError('RESTRICTED', `RENIEC: subject is a minor (${message})`, { adapterId: ID });
      case '0999':
        throw new RegistryError('NOT_FOUND', `RENIEC: no record (${message})`, { adapterId: ID });
      case '1000':
        throw new RegistryError('INVALID_ID', `RENIEC rejected the input (${message})`, { adapterId: ID, retryable: false });
      case '1001':
        throw new RegistryError('UNAUTHORISED', `RENIEC: invalid credentials (${message})`, { adapterId: ID });
      case '1002':
        throw new RegistryError('UNAUTHORISED', `RENIEC: password expired, rotate it via Actualizar (${message})`, { adapterId: ID });
      case '1003':
        throw new RegistryError('RATE_LIMITED', `RENIEC: daily quota reached (${message})`, {
          adapterId: ID,
          retryable: false,
          retryAfterSeconds: secondsUntilLimaMidnight(this.deps.now?.() ?? new Date()),
        });
      default:
        throw new RegistryError('MALFORMED', `RENIEC: unknown coResultado ${code}`, { adapterId: ID, retryable: false });
    }

    const p = ret.datosPersona;
    if (!isRecord(p)) throw new RegistryError('MALFORMED', 'RENIEC 0000 without datosPersona', { adapterId: ID });
    const restriction = str(p.restriccion);
    if (restriction && !/^(ninguna|sin restricci[oó]n|-)$/i.test(restriction)) {
      throw new RegistryError('RESTRICTED', 'RENIEC: record carries a restriction', { adapterId: ID });
    }
    const first = str(p.prenombres);
    const last = joinName(str(p.apPrimer), str(p.apSegundo)) || undefined;
    const fullName = joinName(first, last);
    if (!fullName) throw new RegistryError('MALFORMED', 'RENIEC record has no name', { adapterId: ID });
    const photo = decodePhoto(p.foto, { adapterId: ID });
    return {
      identity: compact({
        full_name: fullName,
        first_name: first,
        last_name: last,
        paternal_surname: str(p.apPrimer),
        maternal_surname: str(p.apSegundo),
        address: str(p.direccion),
        marital_status: str(p.estadoCivil),
        ubigeo: str(p.ubigeo),
        nationality: 'PE',
      }),
      photo,
      source: ID,
      fetchedAt: this.deps.now?.() ?? new Date(),
    };
  }
}
