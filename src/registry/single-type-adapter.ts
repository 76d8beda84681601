/**
 * Base classes for adapters: they hold the identity fields and the validators, so each adapter
 * keeps only its registry-specific request and reply handling.
 */
import { assertValid, silentLogger, unsupportedIdType, type AdapterDeps, type RegistryLogger } from './adapter-kit.ts';
import type { HttpRequest, HttpResponse } from './http.ts';
import type { IdValidation, IdentityRecord, LookupContext, LookupResult, ReferencePhoto, RegistryAdapter } from './types.ts';

/** Base for adapters: the identity fields, one validator per id_type served, and the shared call helpers. */
export abstract class AdapterBase implements RegistryAdapter {
  readonly idTypes: readonly string[];

  constructor(
    readonly id: string,
    readonly displayName: string,
    private readonly validators: Readonly<Record<string, (idNumber: string) => IdValidation>>,
    protected readonly deps: AdapterDeps,
  ) {
    this.idTypes = Object.keys(validators);
  }

  validateIdNumber(idType: string, idNumber: string): IdValidation {
    const validator = this.validators[idType];
    if (!validator) return { ok: false, reason: `unsupported id_type ${idType}` };
    return validator(idNumber);
  }

  abstract lookup(idType: string, idNumber: string, ctx: LookupContext): Promise<LookupResult>;

  /** The checks every lookup starts with: callers may bypass validateIdNumber, so validate again. */
  protected prepare(idType: string, idNumber: string): { normalised: string; log: RegistryLogger } {
    const validator = this.validators[idType];
    if (!validator) throw unsupportedIdType(this.id, idType);
    return { normalised: assertValid(validator(idNumber), this.id), log: this.deps.logger ?? silentLogger };
  }

  /** One HTTP call on the shared client, attributed to this adapter, with its timeout and the lookup's signal. */
  protected send(req: Omit<HttpRequest, 'adapterId' | 'signal'>, ctx: LookupContext): Promise<HttpResponse> {
    return this.deps.http.request({ timeoutMs: this.deps.timeoutMs, ...req, adapterId: this.id, signal: ctx.signal });
  }

  protected now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** The successful lookup result. */
  protected found(identity: IdentityRecord, photo: ReferencePhoto): LookupResult {
    return { identity, photo, source: this.id, fetchedAt: this.now() };
  }
}

/** Base for adapters that serve exactly one id_type. */
export abstract class SingleIdTypeAdapter extends AdapterBase {
  constructor(id: string, displayName: string, idType: string, validator: (idNumber: string) => IdValidation, deps: AdapterDeps) {
    super(id, displayName, { [idType]: validator }, deps);
  }
}
