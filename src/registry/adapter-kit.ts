/**
 * Small helpers every adapter uses: the collaborators an adapter receives, JSON parsing that maps
 * garbage onto MALFORMED, the generic HTTP-status mapping, and date/name normalisation.
 */
import type { HttpClient, HttpResponse } from './http.ts';
import { parseRetryAfter } from './http.ts';
import { maskIdNumber } from './mask.ts';
import { decodePhoto, type DecodePhotoOptions } from './photo.ts';
import { RegistryError, type IdValidation, type ReferencePhoto, type RegistryFailureKind } from './types.ts';

/** Structured logger; fields must never contain ID numbers, photos or decrypted payloads. */
export interface RegistryLogger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: RegistryLogger = { info() {}, warn() {} };

/** What every adapter constructor receives. */
export interface AdapterDeps {
  http: HttpClient;
  logger?: RegistryLogger;
  now?: () => Date;
  /** Per-call timeout override for this adapter, ms. */
  timeoutMs?: number;
}

export function parseJson(res: HttpResponse, adapterId: string): unknown {
  const text = res.text();
  try {
    return JSON.parse(text);
  } catch (cause) {
    const hint = /^\s*</.test(text) ? ' (got markup)' : '';
    throw new RegistryError('MALFORMED', `registry reply is not JSON${hint}`, { adapterId, cause });
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Generic status mapping for replies an adapter has no registry-specific rule for. */
export function errorForStatus(res: HttpResponse, adapterId: string, what = 'registry'): RegistryError {
  const s = res.status;
  if (s === 401 || s === 403) return new RegistryError('UNAUTHORISED', `${what} refused our credentials (HTTP ${s})`, { adapterId });
  if (s === 429) {
    return new RegistryError('RATE_LIMITED', `${what} rate limit (HTTP 429)`, {
      adapterId,
      retryAfterSeconds: parseRetryAfter(res.headers.get('retry-after')),
    });
  }
  if (s === 408 || s >= 500) return new RegistryError('UNAVAILABLE', `${what} unavailable (HTTP ${s})`, { adapterId });
  return new RegistryError('MALFORMED', `${what} answered HTTP ${s} unexpectedly`, { adapterId, retryable: false });
}

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };

function iso(y: number, m: number, d: number): string | undefined {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Normalise the date styles registries use to ISO 8601 (YYYY-MM-DD), or undefined:
 * ISO (with or without time), .NET `M/D/YYYY h:mm:ss AM` (order given by `slashOrder`),
 * `DD-MM-YYYY`, `DD-Mon-YYYY`/`DD-Mon-YY`.
 */
export function toIsoDate(value: unknown, slashOrder: 'MDY' | 'DMY' = 'MDY'): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const v = value.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(v);
  if (m) return iso(+m[1]!, +m[2]!, +m[3]!);
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s.*)?$/.exec(v);
  if (m) return slashOrder === 'MDY' ? iso(+m[3]!, +m[1]!, +m[2]!) : iso(+m[3]!, +m[2]!, +m[1]!);
  m = /^(\d{2})-(\d{2})-(\d{4})$/.exec(v);
  if (m) return iso(+m[3]!, +m[2]!, +m[1]!);
  m = /^(\d{1,2})-([A-Za-z]{3})-(\d{2}|\d{4})$/.exec(v);
  if (m) {
    const month = MONTHS[m[2]!.toLowerCase()];
    if (!month) return undefined;
    let year = +m[3]!;
    if (m[3]!.length === 2) year += year > (new Date().getUTCFullYear() % 100) ? 1900 : 2000;
    return iso(year, month, +m[1]!);
  }
  return undefined;
}

/**
 * Scrub registry-supplied text before it goes into an error message (errors get logged): any run
 * of five or more digits, possibly with a letter prefix (GHA-…), is masked.
 */
export function scrub(text: string): string {
  return text.replace(/[A-Z]{0,3}-?\d[\d\- ]{3,}\d(?:-[0-9A-Z])?/g, (m) => maskIdNumber(m.replace(/[\s-]/g, '')));
}

/** Join name parts, dropping empties and collapsing whitespace. */
export function joinName(...parts: Array<string | null | undefined>): string {
  return parts
    .filter((p): p is string => typeof p === 'string' && p.trim() !== '')
    .map((p) => p.trim().replace(/\s+/g, ' '))
    .join(' ');
}

/** A string field or undefined (registries send null, nil objects and empty strings). */
export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** Drop undefined values so identity records stay compact. */
export function compact<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

/** Throw INVALID_ID from a failed validation (adapters re-validate inside lookup). */
export function assertValid(v: IdValidation, adapterId: string): string {
  if (!v.ok) throw new RegistryError('INVALID_ID', v.reason, { adapterId, retryable: false });
  return v.normalised;
}

export function unsupportedIdType(adapterId: string, idType: string): RegistryError {
  return new RegistryError('INVALID_ID', `adapter ${adapterId} does not serve ${idType}`, { adapterId, retryable: false });
}

/** Normalise gender spellings to 'M' | 'F' where unambiguous; otherwise pass the registry value through. */
export function normaliseGender(value: unknown): string | undefined {
  const s = str(value);
  if (!s) return undefined;
  if (/^(m|male|masculino|h)$/i.test(s)) return 'M';
  if (/^(f|female|femenino)$/i.test(s)) return 'F';
  return s;
}

export type FailureOptions = Omit<RegistryError['options'], 'adapterId'>;

/** The kit bound to one adapter id, so adapters never repeat `{ adapterId }` in every failure. */
export interface AdapterKit {
  readonly adapterId: string;
  /** A typed failure attributed to this adapter (throw it). */
  fail(kind: RegistryFailureKind, message: string, options?: FailureOptions): RegistryError;
  /** The reply as JSON, or MALFORMED. */
  json(res: HttpResponse): unknown;
  /** The generic status mapping (401/403, 429 with Retry-After, 408/5xx, anything else). */
  statusError(res: HttpResponse, what?: string): RegistryError;
  /** Decode a registry photo value (see decodePhoto). */
  photo(value: unknown, options?: Omit<DecodePhotoOptions, 'adapterId'>): ReferencePhoto;
}

export function adapterKit(adapterId: string): AdapterKit {
  return {
    adapterId,
    fail: (kind, message, options = {}) => new RegistryError(kind, message, { ...options, adapterId }),
    json: (res) => parseJson(res, adapterId),
    statusError: (res, what) => errorForStatus(res, adapterId, what),
    photo: (value, options = {}) => decodePhoto(value, { ...options, adapterId }),
  };
}
