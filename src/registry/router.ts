/**
 * Maps the contract's id_type onto the adapter that serves it. An unknown id_type is an
 * UnknownIdTypeError, which the API layer turns into VALIDATION_ERROR.
 */
import { RegistryError, type IdValidation, type LookupContext, type LookupResult, type MatchAtSourceResult, type RegistryAdapter } from './types.ts';

export class UnknownIdTypeError extends Error {
  readonly code = 'UNKNOWN_ID_TYPE';
  constructor(
    readonly idType: string,
    readonly supported: readonly string[],
  ) {
    super(`unsupported id_type; supported: ${supported.join(', ')}`);
    this.name = 'UnknownIdTypeError';
  }
}

export class RegistryRouter {
  private readonly byIdType = new Map<string, RegistryAdapter>();

  constructor(adapters: readonly RegistryAdapter[]) {
    for (const adapter of adapters) {
      for (const idType of adapter.idTypes) {
        const existing = this.byIdType.get(idType);
        if (existing) throw new Error(`id_type ${idType} is served by both ${existing.id} and ${adapter.id}`);
        this.byIdType.set(idType, adapter);
      }
    }
  }

  /** The id_type values served, sorted. */
  idTypes(): string[] {
    return [...this.byIdType.keys()].sort();
  }

  has(idType: string): boolean {
    return this.byIdType.has(idType);
  }

  adapterFor(idType: string): RegistryAdapter {
    const adapter = this.byIdType.get(idType);
    if (!adapter) throw new UnknownIdTypeError(idType, this.idTypes());
    return adapter;
  }

  adapters(): RegistryAdapter[] {
    return [...new Set(this.byIdType.values())];
  }

  /** Format and check-digit validation only (no network). */
  validate(idType: string, idNumber: string): IdValidation {
    return this.adapterFor(idType).validateIdNumber(idType, idNumber);
  }

  /** True when the registry for `idType` compares the selfie itself (no reference photo). */
  matchesAtSource(idType: string): boolean {
    return this.byIdType.get(idType)?.matchAtSourceIdTypes?.includes(idType) ?? false;
  }

  /** Validate, then let the registry compare the selfie (JPEG bytes) with its own reference. */
  async verifyFace(idType: string, idNumber: string, selfieJpeg: Uint8Array, ctx: LookupContext): Promise<MatchAtSourceResult> {
    const adapter = this.adapterFor(idType);
    const normalised = this.validOrThrow(adapter, idType, idNumber);
    if (!adapter.verifyFace || !this.matchesAtSource(idType)) {
      throw new RegistryError('FACE_MATCH_UNSUPPORTED', `${idType} is not matched at source`, { adapterId: adapter.id, retryable: false });
    }
    return adapter.verifyFace(idType, normalised, selfieJpeg, ctx);
  }

  private validOrThrow(adapter: RegistryAdapter, idType: string, idNumber: string): string {
    const validation = adapter.validateIdNumber(idType, idNumber);
    if (!validation.ok) throw new RegistryError('INVALID_ID', validation.reason, { adapterId: adapter.id, retryable: false });
    return validation.normalised;
  }

  /**
   * Validate, then look up. Throws UnknownIdTypeError for an unserved id_type, RegistryError
   * ('INVALID_ID') when the number fails validation, or the adapter's RegistryError.
   */
  async lookup(idType: string, idNumber: string, ctx: LookupContext): Promise<LookupResult> {
    const adapter = this.adapterFor(idType);
    return adapter.lookup(idType, this.validOrThrow(adapter, idType, idNumber), ctx);
  }
}
