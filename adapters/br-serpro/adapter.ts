/**
 * CPF + face (Brazil) through Serpro Datavalid: OAuth2 client credentials (token reused, one
 * refresh on 401), `POST …/validate/pf-face` with the CPF and the selfie; Datavalid compares the
 * selfie with the CNH portrait it holds and answers a similarity and a `probabilidade` band. It
 * never returns an image, so BR_CPF is matched at source only.
 */
import { adapterKit, isRecord, str, type AdapterDeps } from '../../src/registry/adapter-kit.ts';
import { maskIdNumber } from '../../src/registry/mask.ts';
import { OAuthClientCredentials } from '../../src/registry/oauth.ts';
import { bandFor } from '../../src/registry/score-table.ts';
import { SingleIdTypeAdapter } from '../../src/registry/single-type-adapter.ts';
import type { LookupContext, LookupResult, MatchAtSourceResult, RegistryScoreBand } from '../../src/registry/types.ts';
import { validateBrCpf } from './id-number.ts';

export interface DatavalidConfig {
  /** API gateway, e.g. https://gateway.apiserpro.serpro.gov.br */
  baseUrl: string;
  /** Token endpoint; defaults to `${baseUrl}/token`. */
  tokenUrl?: string;
  consumerKey: string;
  consumerSecret: string;
  /** The validate path (trial: /datavalid-trial/biometria/vbeta1/validate/pf-face). */
  validatePath: string;
}

const ID = 'br-serpro';
const kit = adapterKit(ID);
export const DATAVALID_VALIDATE_PATH = '/datavalid/biometria/vbeta1/validate/pf-face';

/**
 * Datavalid's published `probabilidade` bands [doc FAQ] placed on our 0–1 score. Chosen so that
 * the suggested thresholds keep their meaning: "Altíssima" (≥ 93 %) is STRONG_MATCH territory
 * (≥ 0.85), "Alta" (85–92.99 %) confirms at the default 0.75, and "Baixa"/"Baixíssima" never reach
 * the permissive 0.60, whatever threshold down to that floor the caller picks.
 */
export const DATAVALID_SCORE_TABLE: readonly RegistryScoreBand[] = [
  { from: 0, to: 0.32, scoreFrom: 0, scoreTo: 0.3, label: 'Baixíssima probabilidade' },
  { from: 0.32, to: 0.85, scoreFrom: 0.3, scoreTo: 0.59, label: 'Baixa probabilidade' },
  { from: 0.85, to: 0.93, scoreFrom: 0.75, scoreTo: 0.85, label: 'Alta probabilidade' },
  { from: 0.93, to: 1, scoreFrom: 0.85, scoreTo: 1, label: 'Altíssima probabilidade' },
];

/** Datavalid's 422 body: `[{ property?, message, code? }]` [doc]; DV040 = no face image on record. */
function validationIssues(body: unknown): Array<{ property: string; message: string; code: string }> {
  const list = Array.isArray(body) ? body : isRecord(body) && Array.isArray(body.errors) ? body.errors : isRecord(body) ? [body] : [];
  return list.filter(isRecord).map((e) => ({ property: str(e.property) ?? '', message: str(e.message) ?? '', code: str(e.code) ?? '' }));
}

export class DatavalidAdapter extends SingleIdTypeAdapter {
  readonly matchAtSourceIdTypes = ['BR_CPF'] as const;
  private readonly oauth: OAuthClientCredentials;

  constructor(
    private readonly config: DatavalidConfig,
    deps: AdapterDeps,
  ) {
    super(ID, 'Serpro Datavalid CPF + face (Brazil)', 'BR_CPF', validateBrCpf, deps);
    this.oauth = new OAuthClientCredentials(
      { tokenUrl: config.tokenUrl ?? new URL('/token', config.baseUrl), clientId: config.consumerKey, clientSecret: config.consumerSecret, party: 'Serpro' },
      { adapterId: ID, http: deps.http, timeoutMs: deps.timeoutMs, now: () => this.now() },
    );
  }

  /** Datavalid never returns an image: there is nothing to look up. */
  async lookup(idType: string, idNumber: string): Promise<LookupResult> {
    this.prepare(idType, idNumber);
    throw kit.fail('FACE_MATCH_UNSUPPORTED', 'Datavalid returns no photo; BR_CPF is matched at source', { retryable: false });
  }

  async verifyFace(idType: string, idNumber: string, selfieJpeg: Uint8Array, ctx: LookupContext): Promise<MatchAtSourceResult> {
    const { normalised: cpf, log } = this.prepare(idType, idNumber);
    // Only what the comparison needs: the key and the face; no name or other attributes are sent.
    const body = JSON.stringify({ key: { cpf }, answer: { biometria_face: Buffer.from(selfieJpeg).toString('base64') } });
    const res = await this.oauth.withToken(
      ctx,
      (token) =>
        this.send(
          {
            method: 'POST',
            url: new URL(this.config.validatePath, this.config.baseUrl),
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
            body,
          },
          ctx,
        ),
      () => log.warn('Datavalid 401, refreshing the token once', { requestId: ctx.requestId }),
    );
    log.info('datavalid reply', { requestId: ctx.requestId, id: maskIdNumber(cpf), status: res.status });

    if (res.status === 401 || res.status === 403 || res.status === 429 || res.status >= 500) throw kit.statusError(res, 'Datavalid');
    if (res.status === 404) throw kit.fail('NOT_FOUND', 'Datavalid: CPF not found');
    if (res.status === 400) throw kit.fail('MALFORMED', 'Datavalid refused the request as malformed (HTTP 400)', { retryable: false });
    if (res.status === 422) throw this.unprocessable(kit.json(res));
    if (res.status !== 200) throw kit.statusError(res, 'Datavalid');

    const reply = kit.json(res);
    if (!isRecord(reply)) throw kit.fail('MALFORMED', 'Datavalid reply is not an object');
    if (reply.cpf_disponivel === false) throw kit.fail('NOT_FOUND', 'Datavalid: CPF not found');
    const face = reply.biometria_face;
    if (!isRecord(face)) throw kit.fail('MALFORMED', 'Datavalid reply lacks biometria_face');
    if (face.disponivel === false) throw kit.fail('NO_REFERENCE_FACE', 'Datavalid holds no face image for this CPF');
    const similarity = typeof face.similaridade === 'number' ? face.similaridade : NaN;
    if (!(similarity >= 0 && similarity <= 1)) throw kit.fail('MALFORMED', 'Datavalid similaridade is not a number in [0, 1]');
    const band = str(face.probabilidade) ?? bandFor(similarity, DATAVALID_SCORE_TABLE).label;
    return {
      // Datavalid confirms the CPF exists and answers about the face; it returns no attributes we did not send.
      identity: { id_number_masked: maskIdNumber(cpf), cpf_found: true },
      similarity,
      band,
      scoreTable: DATAVALID_SCORE_TABLE,
      source: ID,
      fetchedAt: this.now(),
    };
  }

  private unprocessable(body: unknown) {
    const issues = validationIssues(body);
    if (issues.some((i) => i.code === 'DV040')) return kit.fail('NO_REFERENCE_FACE', 'Datavalid DV040: no face image on record for this CPF');
    const text = issues.map((i) => `${i.property} ${i.message}`.trim()).join('; ');
    if (issues.some((i) => /cpf/i.test(i.property) && /n[ãa]o encontrad/i.test(i.message))) return kit.fail('NOT_FOUND', 'Datavalid: CPF not found');
    if (issues.some((i) => /cpf/i.test(i.property))) return kit.fail('INVALID_ID', `Datavalid rejected the CPF: ${text}`, { retryable: false });
    return kit.fail('MALFORMED', `Datavalid could not process the request: ${text || 'HTTP 422'}`, { retryable: false });
  }
}
