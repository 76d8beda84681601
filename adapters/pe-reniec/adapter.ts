/**
 * RENIEC through PIDE (Peru): REST JSON, credentials in the body, business result codes inside
 * HTTP 200. See README.md for the interface and the evidence behind it.
 */
import { adapterKit, compact, isRecord, joinName, scrub, str, type AdapterDeps } from '../../src/registry/adapter-kit.ts';
import { maskIdNumber } from '../../src/registry/mask.ts';
import { SingleIdTypeAdapter } from '../../src/registry/single-type-adapter.ts';
import { type LookupContext, type LookupResult } from '../../src/registry/types.ts';
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
const kit = adapterKit(ID);

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
    const res = await this.send({
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
    }, ctx);
    if (res.status !== 200) throw kit.statusError(res, 'PIDE');

    const body = kit.json(res);
    const ret = isRecord(body) && isRecord(body.consultarResponse) ? body.consultarResponse.return : undefined;
    if (!isRecord(ret) || typeof ret.coResultado !== 'string') {
      throw kit.fail('MALFORMED', 'PIDE reply lacks consultarResponse.return.coResultado');
    }
    const code = ret.coResultado;
    log.info('reniec reply', { requestId: ctx.requestId, id: maskIdNumber(dni), coResultado: code });
    const message = scrub(str(ret.deResultado) ?? code);
    switch (code) {
      case '0000':
        break;
      case '0001':
        throw kit.fail('RESTRICTED', `RENIEC: subject is a minor (${message})`);
      case '0999':
        throw kit.fail('NOT_FOUND', `RENIEC: no record (${message})`);
      case '1000':
        throw kit.fail('INVALID_ID', `RENIEC rejected the input (${message})`, { retryable: false });
      case '1001':
        throw kit.fail('UNAUTHORISED', `RENIEC: invalid credentials (${message})`);
      case '1002':
        throw kit.fail('UNAUTHORISED', `RENIEC: password expired, rotate it via Actualizar (${message})`);
      case '1003':
        throw kit.fail('RATE_LIMITED', `RENIEC: daily quota reached (${message})`, {
          retryable: false,
          retryAfterSeconds: secondsUntilLimaMidnight(this.deps.now?.() ?? new Date()),
        });
      default:
        throw kit.fail('MALFORMED', `RENIEC: unknown coResultado ${code}`, { retryable: false });
    }

    const p = ret.datosPersona;
    if (!isRecord(p)) throw kit.fail('MALFORMED', 'RENIEC 0000 without datosPersona');
    const restriction = str(p.restriccion);
    if (restriction && !/^(ninguna|sin restricci[oó]n|-)$/i.test(restriction)) {
      throw kit.fail('RESTRICTED', 'RENIEC: record carries a restriction');
    }
    const first = str(p.prenombres);
    const last = joinName(str(p.apPrimer), str(p.apSegundo)) || undefined;
    const fullName = joinName(first, last);
    if (!fullName) throw kit.fail('MALFORMED', 'RENIEC record has no name');
    const photo = kit.photo(p.foto);
    return this.found(compact({
        full_name: fullName,
        first_name: first,
        last_name: last,
        paternal_surname: str(p.apPrimer),
        maternal_surname: str(p.apSegundo),
        address: str(p.direccion),
        marital_status: str(p.estadoCivil),
        ubigeo: str(p.ubigeo),
        nationality: 'PE',
      }), photo);
  }
}
