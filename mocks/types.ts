/** Shared types of the registry mocks. */

/** An adapter id (adapters/index.ts). */
export type MockAdapterId = string;

/** How a mock serialises a photo (where the registry's format allows the variant). */
export type PhotoEncoding = 'base64' | 'data_url' | 'wrapped' | 'byte_array';

/** A person a mock serves as "found". Attributes are fictional; the photo is JPEG bytes. */
export interface MockPerson {
  id_type: string;
  /** In the adapter's normalised form (e.g. `GHA-123456789-0`, 8-digit DNI). */
  id_number: string;
  first_name: string;
  middle_name?: string;
  last_name: string;
  /** ISO date. */
  date_of_birth: string;
  gender: 'M' | 'F';
  address?: string;
  photo: Uint8Array;
  photo_encoding?: PhotoEncoding;
}

export type LatencyOption = 'none' | 'demo' | { min: number; max: number };

export interface RateLimitOption {
  /** Requests allowed per key per window. */
  limit: number;
  windowMs: number;
}

export interface RegistryMocksOptions {
  /** Records served as found (e.g. from `loadDemoPeople`). Default: none. */
  people?: readonly MockPerson[];
  /** Base URL per adapter; defaults to MOCK_BASE_URLS (the config defaults). */
  baseUrls?: Partial<Record<MockAdapterId, string>>;
  /** 'none' (default, tests) or 'demo' (REST 50–300 ms, SOAP/VPN 200–900 ms, jittered) or a fixed range. */
  latency?: LatencyOption;
  /** How long the "hang" special case waits before answering (default 120 s; aborted requests end it). */
  hangMs?: number;
  /** Per-key rate limit for the HTTP-429 registries (default 600 per minute). */
  rateLimit?: RateLimitOption;
  /** RENIEC daily quota per user (default 1000, as documented). */
  reniecDailyQuota?: number;
  /** Lifetime of DHA signed photo links, ms (default 60 s). */
  photoLinkTtlMs?: number;
  /** Lifetime of OAuth tokens, s (default 3300). */
  tokenTtlSeconds?: number;
  random?: () => number;
  now?: () => number;
  /**
   * How match-at-source mocks (Datavalid, INE) score a selfie against the record's photo, in [0, 1]
   * on the registry's scale. `npm start` passes the face engine; the default says 0.99 for the very
   * same bytes and 0.10 otherwise.
   */
  faceSimilarity?: (selfie: Uint8Array, reference: Uint8Array) => Promise<number>;
}

/** Counters and switches the tests and the demo use to observe and steer the mocks. */
export interface MockState {
  /** Lookup requests received per adapter (token, Reset and photo-link calls not counted). */
  lookups(adapter: MockAdapterId): number;
  /** Invalidate all issued OAuth tokens and sessions (every mock that issues them). */
  revokeTokens(): void;
  /** Rotate session keys as if another client had reset them (NIBSS). */
  rotateNibssKeys(): void;
  /** Expire every signed photo link issued so far (DHA). */
  expirePhotoLinks(): void;
  /** Reset counters, quotas and tokens. */
  reset(): void;
}
