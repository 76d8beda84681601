/**
 * The registry adapter SDK's core types. Adapters know no faces: they turn an ID number into an
 * identity record and a reference photo, or a typed failure.
 */

/** The identity record as returned to the client in data.identity (registry-specific extras allowed). */
export interface IdentityRecord {
  full_name: string;
  first_name?: string;
  middle_name?: string;
  last_name?: string;
  date_of_birth?: string; // ISO 8601 date
  gender?: string;
  nationality?: string;
  address?: string;
  /** Registry-specific attributes, already mapped to snake_case. */
  [extra: string]: unknown;
}

export type PhotoMediaType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/jp2';

export interface ReferencePhoto {
  bytes: Uint8Array;
  /** Sniffed from the magic bytes, never the registry's declared type. */
  mediaType: PhotoMediaType;
}

export interface LookupResult {
  identity: IdentityRecord;
  photo: ReferencePhoto;
  /** Adapter id that answered, e.g. 'pe-reniec'. */
  source: string;
  fetchedAt: Date;
}

export type RegistryFailureKind =
  | 'INVALID_ID' // rejected by format / check digit (before or by the registry)
  | 'NOT_FOUND' // no record for this number
  | 'PHOTO_MISSING' // record found but it holds no reference photo
  | 'PHOTO_UNUSABLE' // record found, but its photo is not a decodable image (a fault of that record, not of the registry)
  | 'RESTRICTED' // record blocked, deceased, minor, etc.
  | 'UNAUTHORISED' // our credentials were refused
  | 'RATE_LIMITED' // quota or 429
  | 'UNAVAILABLE' // timeout, connection error, 5xx (retryable)
  | 'MALFORMED'; // reply we could not parse, bad signature

export class RegistryError extends Error {
  constructor(
    readonly kind: RegistryFailureKind,
    message: string,
    readonly options: { adapterId?: string; retryable?: boolean; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'RegistryError';
  }

  get retryable(): boolean {
    return this.options.retryable ?? (this.kind === 'UNAVAILABLE' || this.kind === 'MALFORMED');
  }
}

export type IdValidation = { ok: true; normalised: string } | { ok: false; reason: string };

export interface LookupContext {
  /** Propagated to logs and, where a registry accepts one, to its request. */
  requestId: string;
  signal?: AbortSignal;
  /**
   * Who asked (the API key id; never the secret). The circuit breaker counts distinct callers, so
   * one caller alone cannot open a registry's circuit for everyone.
   */
  callerId?: string;
}

/**
 * Result of a match-at-source check (Datavalid, INE, NIA selfie flows): the registry compares the
 * selfie itself and returns a score on its own scale, never the reference photo.
 */
export interface MatchAtSourceResult {
  identity?: IdentityRecord;
  /** The registry's score, on its own scale (see `scale`). */
  score: number;
  scale: { min: number; max: number };
  /** The registry's own band or verdict label, if any (e.g. "Alta probabilidade"). */
  band?: string;
  source: string;
  fetchedAt: Date;
}

export interface RegistryAdapter {
  /** Stable adapter id, e.g. 'pe-reniec'. */
  readonly id: string;
  readonly displayName: string;
  /** The contract's id_type values this adapter serves, e.g. ['PE_DNI']. */
  readonly idTypes: readonly string[];
  validateIdNumber(idType: string, idNumber: string): IdValidation;
  lookup(idType: string, idNumber: string, ctx: LookupContext): Promise<LookupResult>;
  /** Optional: registries that only match at source. None of the current adapters implement it. */
  verifyFace?(idType: string, idNumber: string, selfie: Uint8Array, ctx: LookupContext): Promise<MatchAtSourceResult>;
}
