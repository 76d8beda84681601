/**
 * The adapter plug-in contract. Each registry lives in `adapters/<id>/` and exports one
 * `AdapterPlugin` from its `index.ts`; the registry SDK only ever loops over a list of them, so
 * adding a registry touches its own folder and one line of that list — never this folder.
 */
import type { z } from 'zod';
import type { AdapterDeps } from './adapter-kit.ts';
import type { RegistryAdapter, SubmittedDocument } from './types.ts';

/** Fields every adapter's configuration carries (added by the SDK, not by the adapter). */
export interface CommonAdapterConfig {
  enabled: boolean;
  /** Per-call timeout for this adapter, overriding timeouts.requestMs. */
  timeoutMs?: number;
}

/** One running mock: its msw handlers and the switches tests use to steer it (all optional). */
export interface MockInstance {
  handlers: readonly unknown[];
  /** Invalidate every OAuth token or session the mock issued. */
  revokeTokens?(): void;
  /** Rotate session keys as if another client had reset them. */
  rotateSessionKeys?(): void;
  /** Expire every signed photo link issued so far. */
  expirePhotoLinks?(): void;
  reset?(): void;
}

/** What the mock module of an adapter (`adapters/<id>/mock.ts`) exports; loaded lazily (msw is a dev dependency). */
export interface AdapterMockModule {
  /** `ctx` is the shared mock context (mocks/common.ts: latency, rate limits, people, special numbers). */
  createMock(ctx: never, baseUrl: string): MockInstance;
  /** Data the conformance suite needs to drive this adapter through its mock. */
  conformance: ConformanceFixture;
}

export interface ConformanceFixture {
  idType: string;
  /** A number the mock serves as found (normalised form). */
  foundId: string;
  /** How a caller may type it (exercises normalisation); defaults to foundId. */
  foundInput?: string;
  /** Numbers the local validator must refuse. */
  invalidLocal: readonly string[];
  /** Adapter config overrides with credentials the mock refuses. */
  badCredentials: Record<string, unknown>;
  /** Special cases this registry has no signal for (see mocks/special-ids.ts). */
  unsupported?: readonly string[];
  /** Overrides for the found person (e.g. the photo encoding this registry uses). */
  person?: Record<string, unknown>;
  /** Adapter config the suite needs on top of the defaults (e.g. a test signing certificate). */
  config?: Record<string, unknown>;
  /** Document-based id_types: the signed document a caller would send for this person. */
  document?(person: { idNumber: string; fullName: string; dateOfBirth: string; gender: 'M' | 'F'; photo: Uint8Array }): Promise<SubmittedDocument>;
}

export interface AdapterMockDefaults {
  /** Base URL the mock intercepts; the config default. Use the reserved `.test` TLD. */
  baseUrl: string;
  /** Turn a 3-digit special-case code into a number that passes this adapter's validator. */
  specialId(code: string): string;
  load(): Promise<AdapterMockModule>;
}

export interface AdapterPlugin<S extends z.ZodObject = z.ZodObject> {
  /** Stable adapter id, e.g. 'pe-reniec' (also the config key and the breaker name). */
  readonly id: string;
  readonly displayName: string;
  /** The id_type values served. */
  readonly idTypes: readonly string[];
  /**
   * Adapter-specific settings (zod). Every field has a default (the mock's credentials) except
   * `baseUrl`, which the SDK defaults to `mock.baseUrl`.
   */
  readonly configSchema: S;
  readonly mock: AdapterMockDefaults;
  create(config: z.output<S> & CommonAdapterConfig & { baseUrl: string }, deps: AdapterDeps): RegistryAdapter;
}

/** Identity helper that keeps the config type flowing from `configSchema` into `create`. */
export function defineAdapter<S extends z.ZodObject>(plugin: AdapterPlugin<S>): AdapterPlugin<S> {
  return plugin;
}
