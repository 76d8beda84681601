/**
 * BVN (Nigeria) against NIBSS BVNR: `Reset` issues session keys in response headers, then each call
 * carries signed headers and an AES-128-CBC hex body; business result in `ResponseCode`.
 */
import { adapterKit, compact, isRecord, joinName, normaliseGender, str, toIsoDate, type AdapterDeps } from '../../src/registry/adapter-kit.ts';
import { maskIdNumber } from '../../src/registry/mask.ts';
import { SingleIdTypeAdapter } from '../../src/registry/single-type-adapter.ts';
import { RegistryError, type LookupContext, type LookupResult } from '../../src/registry/types.ts';
import { nibssAuthorization, nibssDecrypt, nibssEncrypt, nibssSignature, type NibssSession } from './crypto.ts';
import { validateNgBvn } from './id-number.ts';

export interface NibssConfig {
  /** Host serving /nibss/bvnr/* */
  baseUrl: string;
  organisationCode: string;
}

const ID = 'ng-bvn';
const kit = adapterKit(ID);

/** NIBSS ResponseCode → typed failure [inf except '00' = success, which is client-confirmed]. */
function errorForResponseCode(code: string): RegistryError {
  switch (code) {
    case '01':
      return kit.fail('NOT_FOUND', 'NIBSS: BVN not found');
    case '02':
      return kit.fail('INVALID_ID', 'NIBSS: invalid BVN', { retryable: false });
    case '03':
      return kit.fail('UNAUTHORISED', 'NIBSS: organisation not permitted');
    case '51':
      return kit.fail('RATE_LIMITED', 'NIBSS: request limit exceeded', { retryable: false });
    case '96':
    case '99':
      return kit.fail('UNAVAILABLE', `NIBSS system error (${code})`);
    default:
      return kit.fail('MALFORMED', `NIBSS: unknown ResponseCode ${code}`, { retryable: false });
  }
}

export class NibssBvnAdapter extends SingleIdTypeAdapter {
  private session: Promise<NibssSession> | undefined;

  constructor(
    private readonly config: NibssConfig,
    deps: AdapterDeps,
  ) {
    super(ID, 'NIBSS BVN (Nigeria)', 'NG_BVN', validateNgBvn, deps);
  }

  /** One Reset per adapter instance, shared by concurrent callers; dropped on failure or 401. */
  private getSession(ctx: LookupContext): Promise<NibssSession> {
    if (!this.session) {
      const pending = this.reset(ctx);
      this.session = pending;
      pending.catch(() => {
        if (this.session === pending) this.session = undefined;
      });
    }
    return this.session;
  }

  private async reset(ctx: LookupContext): Promise<NibssSession> {
    const res = await this.send({
      method: 'POST',
      url: new URL('/nibss/bvnr/Reset', this.config.baseUrl),
      headers: { OrganisationCode: Buffer.from(this.config.organisationCode).toString('base64') },
    }, ctx);
    if (res.status !== 200) throw kit.statusError(res, 'NIBSS Reset');
    const aesKey = res.headers.get('aes_key');
    const ivKey = res.headers.get('ivkey');
    const password = res.headers.get('password');
    if (!aesKey || !ivKey || !password || Buffer.byteLength(aesKey) !== 16 || Buffer.byteLength(ivKey) !== 16) {
      throw kit.fail('MALFORMED', 'NIBSS Reset did not return usable keys');
    }
    return { aesKey, ivKey, password };
  }

  private async call(operation: string, payload: object, ctx: LookupContext, session: NibssSession) {
    const code = this.config.organisationCode;
    return this.send({
      method: 'POST',
      url: new URL(`/nibss/bvnr/${operation}`, this.config.baseUrl),
      headers: {
        OrganisationCode: Buffer.from(code).toString('base64'),
        Authorization: nibssAuthorization(code, session.password),
        SIGNATURE: nibssSignature(code, session.password, this.now()),
        SIGNATURE_METH: 'SHA256',
        'content-type': 'text/plain',
        accept: 'text/plain',
      },
      body: nibssEncrypt(JSON.stringify(payload), session),
    }, ctx);
  }

  async lookup(idType: string, idNumber: string, ctx: LookupContext): Promise<LookupResult> {
    const { normalised: bvn, log } = this.prepare(idType, idNumber);

    let session = await this.getSession(ctx);
    let res = await this.call('GetSingleBVN', { BVN: bvn }, ctx, session);
    if (res.status === 401) {
      // Keys may have been rotated by another Reset: reset once, then give up.
      log.warn('nibss 401, resetting session once', { requestId: ctx.requestId });
      this.session = undefined;
      session = await this.getSession(ctx);
      res = await this.call('GetSingleBVN', { BVN: bvn }, ctx, session);
    }
    log.info('nibss reply', { requestId: ctx.requestId, id: maskIdNumber(bvn), status: res.status });
    if (res.status !== 200) throw kit.statusError(res, 'NIBSS');

    let payload: unknown;
    try {
      payload = JSON.parse(nibssDecrypt(res.text(), session));
    } catch (cause) {
      throw kit.fail('MALFORMED', 'NIBSS reply could not be decrypted or parsed', { cause });
    }
    if (!isRecord(payload) || typeof payload.ResponseCode !== 'string') {
      throw kit.fail('MALFORMED', 'NIBSS reply lacks ResponseCode');
    }
    if (payload.ResponseCode !== '00') throw errorForResponseCode(payload.ResponseCode);
    if (/^(y|yes|true|1)$/i.test(str(payload.WatchListed) ?? '')) {
      throw kit.fail('RESTRICTED', 'NIBSS: BVN is watch-listed');
    }
    const fullName = joinName(str(payload.FirstName), str(payload.MiddleName), str(payload.LastName));
    if (!fullName) throw kit.fail('MALFORMED', 'NIBSS record has no name');
    const photo = kit.photo(payload.base64Image);
    return this.found(compact({
        full_name: fullName,
        first_name: str(payload.FirstName),
        middle_name: str(payload.MiddleName),
        last_name: str(payload.LastName),
        date_of_birth: toIsoDate(str(payload.DateOfBirth), 'DMY'),
        gender: normaliseGender(payload.Gender ?? payload.gender),
        phone_number: str(payload.PhoneNumber),
        registration_date: toIsoDate(str(payload.RegistrationDate), 'DMY'),
        enrollment_bank: str(payload.EnrollmentBank),
        enrollment_branch: str(payload.EnrollmentBranch),
        level_of_account: str(payload.levelOfAccount),
        name_on_card: str(payload.nameOnCard),
      }), photo);
  }
}
