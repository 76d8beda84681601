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
  | 'MALFORMED' // reply we could not parse, bad signature
  | 'FACE_MATCH_UNSUPPORTED' // this id_type's registry returns no photo and does no face match (e.g. MX_CURP)
  | 'NO_REFERENCE_FACE' // match at source: the registry holds no face for this record (Datavalid DV040)
  | 'DOCUMENT_REJECTED'; // a signed document the caller sent (Aadhaar offline e-KYC) failed its checks; see `reason`

export class RegistryError extends Error {
  constructor(
    readonly kind: RegistryFailureKind,
    message: string,
    readonly options: { adapterId?: string; retryable?: boolean; retryAfterSeconds?: number; cause?: unknown; reason?: DocumentRejection } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'RegistryError';
  }

  get retryable(): boolean {
    return this.options.retryable ?? (this.kind === 'UNAVAILABLE' || this.kind === 'MALFORMED');
  }
}

/** Why a caller's signed document was refused: each is a distinct contract code. */
export type DocumentRejection =
  | 'DOCUMENT_REQUIRED' // the id_type needs a document and none was sent
  | 'DOCUMENT_INVALID' // not a ZIP, no XML inside, not the expected XML
  | 'SHARE_CODE_INVALID' // the share code does not open the ZIP
  | 'DOCUMENT_UNSIGNED' // no XML signature
  | 'DOCUMENT_TAMPERED' // the signature does not cover the content any more
  | 'DOCUMENT_WRONG_SIGNER' // intact, but not signed with the configured certificate
  | 'DOCUMENT_ID_MISMATCH'; // the id_number sent is not the one in the document

/** A document the caller submits instead of an ID-number lookup (Aadhaar offline e-KYC). */
export interface SubmittedDocument {
  /** The ZIP file as sent. */
  zip: Uint8Array;
  /** The share code that opens it. */
  shareCode: string;
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
  /** For document-based id_types: the signed document the caller sent (never logged, never cached). */
  document?: SubmittedDocument;
}

/**
 * One row of a registry's documented score table: registry similarities in [from, to) (the last row
 * includes `to`) map linearly onto our 0–1 scale [scoreFrom, scoreTo]. Rows cover [0, 1] without gaps.
 */
export interface RegistryScoreBand {
  from: number;
  to: number;
  scoreFrom: number;
  scoreTo: number;
  /** The registry's own label for this band, e.g. "Alta probabilidade". */
  label: string;
}

/**
 * Result of a match-at-source check (Datavalid, INE): the registry compares the selfie itself and
 * returns a similarity on its own scale, never the reference photo.
 */
export interface MatchAtSourceResult {
  /** What the registry confirms about the record (no photo; often no name): snake_case attributes. */
  identity: Record<string, unknown>;
  /** The registry's similarity, normalised by the adapter to [0, 1] on the registry's own scale. */
  similarity: number;
  /** The registry's own band or verdict label (e.g. "Alta probabilidade"). */
  band: string;
  /** The adapter's documented table from `similarity` to our 0–1 score (see its README). */
  scoreTable: readonly RegistryScoreBand[];
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
  /** Identity record + reference photo. Match-at-source adapters refuse it for those id_types (FACE_MATCH_UNSUPPORTED). */
  lookup(idType: string, idNumber: string, ctx: LookupContext): Promise<LookupResult>;
  /** The id_types this adapter matches at source (it compares the selfie itself and never returns a photo). */
  readonly matchAtSourceIdTypes?: readonly string[];
  /** Match at source: send the selfie (JPEG) to the registry, get its similarity and band back. */
  verifyFace?(idType: string, idNumber: string, selfieJpeg: Uint8Array, ctx: LookupContext): Promise<MatchAtSourceResult>;
}
