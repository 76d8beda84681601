/**
 * Mexico through an INE verification provider (Veriff and Didit document this product [client]):
 * the provider forwards the credential's keys and the selfie to INE's biometric service, which
 * compares the face with the one on the voter register and answers validity flags and a face
 * result, never data or a photo — so MX_INE is matched at source. The request and reply shapes
 * below are our provider profile [inf]; the fields are what both providers document. MX_CURP is
 * validated locally only: RENAPO's CURP service holds no photo, so it cannot serve a face match.
 */
import { adapterKit, isRecord, scrub, str, type AdapterDeps } from '../../src/registry/adapter-kit.ts';
import { maskIdNumber } from '../../src/registry/mask.ts';
import { bandFor } from '../../src/registry/score-table.ts';
import { AdapterBase } from '../../src/registry/single-type-adapter.ts';
import type { LookupContext, LookupResult, MatchAtSourceResult, RegistryScoreBand } from '../../src/registry/types.ts';
import { parseIneKey, validateMxCurp, validateMxIne } from './id-number.ts';

export interface IneProviderConfig {
  baseUrl: string;
  apiKey: string;
}

const ID = 'mx-ine';
const kit = adapterKit(ID);
export const INE_VERIFY_PATH = '/v1/mx/ine/biometric-verification';

/**
 * The provider's face similarity (0–100 [client]) placed on our 0–1 score. The cut points are our
 * reading of the providers' documented default (a match from 80) [inf]; below 80 never reaches
 * the permissive 0.60 floor.
 */
export const INE_SCORE_TABLE: readonly RegistryScoreBand[] = [
  { from: 0, to: 0.5, scoreFrom: 0, scoreTo: 0.3, label: 'no_match' },
  { from: 0.5, to: 0.8, scoreFrom: 0.3, scoreTo: 0.59, label: 'inconclusive' },
  { from: 0.8, to: 0.9, scoreFrom: 0.75, scoreTo: 0.85, label: 'match' },
  { from: 0.9, to: 1, scoreFrom: 0.85, scoreTo: 1, label: 'strong_match' },
];

/** INE "vigencia": is the credential current, expired, or reported stolen or lost [client]. */
const VIGENCIA: Record<string, string> = { VIGENTE: 'valid', NO_VIGENTE: 'expired', REPORTE_DE_ROBO_O_EXTRAVIO: 'reported_lost' };

export class IneProviderAdapter extends AdapterBase {
  readonly matchAtSourceIdTypes = ['MX_INE'] as const;

  constructor(
    private readonly config: IneProviderConfig,
    deps: AdapterDeps,
  ) {
    super(ID, 'INE biometric verification via provider (Mexico)', { MX_INE: validateMxIne, MX_CURP: validateMxCurp }, deps);
  }

  /** Neither INE nor RENAPO returns a photo. */
  async lookup(idType: string, idNumber: string): Promise<LookupResult> {
    this.prepare(idType, idNumber);
    const why = idType === 'MX_CURP' ? "RENAPO's CURP service holds no photo and compares no faces; use MX_INE" : 'INE returns no photo; MX_INE is matched at source';
    throw kit.fail('FACE_MATCH_UNSUPPORTED', why, { retryable: false });
  }

  async verifyFace(idType: string, idNumber: string, selfieJpeg: Uint8Array, ctx: LookupContext): Promise<MatchAtSourceResult> {
    const { normalised, log } = this.prepare(idType, idNumber);
    if (idType !== 'MX_INE') throw kit.fail('FACE_MATCH_UNSUPPORTED', `${idType} is not matched at source`, { retryable: false });
    const key = parseIneKey(normalised);
    const credential =
      key.kind === 'cic' ? { cic: key.cic, identificador_ciudadano: key.identificadorCiudadano } : { clave_elector: key.claveDeElector, numero_emision: key.numeroEmision };
    const res = await this.send(
      {
        method: 'POST',
        url: new URL(INE_VERIFY_PATH, this.config.baseUrl),
        headers: { 'x-api-key': this.config.apiKey, 'content-type': 'application/json', accept: 'application/json', 'x-request-id': ctx.requestId },
        body: JSON.stringify({ credential, selfie: Buffer.from(selfieJpeg).toString('base64'), consent: true }),
      },
      ctx,
    );
    log.info('ine provider reply', { requestId: ctx.requestId, id: maskIdNumber(normalised), status: res.status });
    if (res.status === 401 || res.status === 403 || res.status === 429 || res.status >= 500) throw kit.statusError(res, 'INE provider');
    const body = kit.json(res);
    const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
    const message = scrub(str(error?.message) ?? '');
    if (res.status === 404) throw kit.fail('NOT_FOUND', `INE: ${message || 'credential not on the register'}`);
    if (res.status === 400 || res.status === 422) throw kit.fail('INVALID_ID', `INE provider rejected the credential: ${message || `HTTP ${res.status}`}`, { retryable: false });
    if (res.status !== 200) throw kit.statusError(res, 'INE provider');

    if (!isRecord(body) || !isRecord(body.face_match)) throw kit.fail('MALFORMED', 'INE provider reply lacks face_match');
    const face = body.face_match;
    if (face.available === false) throw kit.fail('NO_REFERENCE_FACE', 'INE holds no face for this credential');
    const similarity = typeof face.similarity === 'number' ? face.similarity / 100 : NaN;
    if (!(similarity >= 0 && similarity <= 1)) throw kit.fail('MALFORMED', 'INE provider similarity is not a number in [0, 100]');
    const vigencia = isRecord(body.vigencia) ? str(body.vigencia.status) : undefined;
    return {
      identity: { id_number_masked: maskIdNumber(normalised.replace('-', '')), ine_vigencia: (vigencia && VIGENCIA[vigencia]) ?? 'unknown' },
      similarity,
      band: str(face.result) ?? bandFor(similarity, INE_SCORE_TABLE).label,
      scoreTable: INE_SCORE_TABLE,
      source: ID,
      fetchedAt: this.now(),
    };
  }
}
