/**
 * Base for adapters that serve exactly one id_type: holds the identity fields and the validator, so
 * each adapter keeps only its registry-specific request and reply handling.
 */
import { assertValid, silentLogger, unsupportedIdType, type AdapterDeps, type RegistryLogger } from './adapter-kit.ts';
import type { IdValidation, LookupContext, LookupResult, RegistryAdapter } from './types.ts';

export abstract class SingleIdTypeAdapter implements RegistryAdapter {
  readonly idTypes: readonly [string];

  constructor(
    readonly id: string,
    readonly displayName: string,
    private readonly idType: string,
    private readonly validator: (idNumber: string) => IdValidation,
    protected readonly deps: AdapterDeps,
  ) {
    this.idTypes = [idType];
  }

  validateIdNumber(idType: string, idNumber: string): IdValidation {
    if (idType !== this.idType) return { ok: false, reason: `unsupported id_type ${idType}` };
    return this.validator(idNumber);
  }

  abstract lookup(idType: string, idNumber: string, ctx: LookupContext): Promise<LookupResult>;

  /** The checks every lookup starts with: callers may bypass validateIdNumber, so validate again. */
  protected prepare(idType: string, idNumber: string): { normalised: string; log: RegistryLogger } {
    if (idType !== this.idType) throw unsupportedIdType(this.id, idType);
    return { normalised: assertValid(this.validator(idNumber), this.id), log: this.deps.logger ?? silentLogger };
  }
}
