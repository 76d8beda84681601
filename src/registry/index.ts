/**
 * The registry SDK's public entry point. `createRegistry(config)` validates the config and builds
 * the id_type router over the six adapters, each behind retries and its own circuit breaker.
 */
import { DhaProviderAdapter } from '../../adapters/za-dha/adapter.ts';
import { IprsAdapter } from '../../adapters/ke-iprs/adapter.ts';
import { NiaGhanaCardAdapter } from '../../adapters/gh-nia/adapter.ts';
import { NibssBvnAdapter } from '../../adapters/ng-bvn/adapter.ts';
import { NinAggregatorAdapter } from '../../adapters/ng-nin/adapter.ts';
import { ReniecAdapter } from '../../adapters/pe-reniec/adapter.ts';
import { silentLogger, type AdapterDeps, type RegistryLogger } from './adapter-kit.ts';
import { parseRegistryConfig, type RegistryConfig, type RegistryConfigInput } from './config.ts';
import { createHttpClient, type HttpClient } from './http.ts';
import { CircuitBreaker, withResilience, type RetryDeps } from './resilience.ts';
import { RegistryRouter } from './router.ts';
import type { RegistryAdapter } from './types.ts';

export * from './types.ts';
export { RegistryRouter, UnknownIdTypeError } from './router.ts';
export { ReferenceCache, createReferenceCache, type ReferenceCacheOptions } from './reference-cache.ts';
export { maskIdNumber } from './mask.ts';
export { decodePhoto, sniffMediaType } from './photo.ts';
export { createHttpClient, type HttpClient, type HttpClientOptions } from './http.ts';
export { CircuitBreaker, withRetry, withResilience, type RetryPolicy, type CircuitBreakerOptions } from './resilience.ts';
export { parseRegistryConfig, registryConfigSchema, MOCK_BASE_URLS, MOCK_CREDENTIALS } from './config.ts';
export type { RegistryConfig, RegistryConfigInput } from './config.ts';
export type { RegistryLogger, AdapterDeps } from './adapter-kit.ts';

export type AdapterId = 'pe-reniec' | 'ke-iprs' | 'ng-nin' | 'ng-bvn' | 'gh-nia' | 'za-dha';
export const ADAPTER_IDS: readonly AdapterId[] = ['pe-reniec', 'ke-iprs', 'ng-nin', 'ng-bvn', 'gh-nia', 'za-dha'];

export interface RegistryDeps {
  logger?: RegistryLogger;
  /** Shared HTTP client; created (and closed by `close()`) when omitted. */
  http?: HttpClient;
  /** Clock for breakers and adapters. */
  now?: () => number;
  retryDeps?: RetryDeps;
}

export interface Registry {
  readonly config: RegistryConfig;
  readonly router: RegistryRouter;
  /** The breaker per adapter id, for health endpoints. */
  readonly breakers: ReadonlyMap<string, CircuitBreaker>;
  /** Release pooled connections. */
  close(): Promise<void>;
}

/** Build one raw adapter (no retries/breaker) from a parsed config. */
export function createAdapter(id: AdapterId, config: RegistryConfig, deps: AdapterDeps): RegistryAdapter {
  const a = config.adapters;
  switch (id) {
    case 'pe-reniec':
      return new ReniecAdapter(a['pe-reniec'], { ...deps, timeoutMs: a['pe-reniec'].timeoutMs });
    case 'ke-iprs':
      return new IprsAdapter(a['ke-iprs'], { ...deps, timeoutMs: a['ke-iprs'].timeoutMs });
    case 'ng-nin':
      return new NinAggregatorAdapter(a['ng-nin'], { ...deps, timeoutMs: a['ng-nin'].timeoutMs });
    case 'ng-bvn':
      return new NibssBvnAdapter(a['ng-bvn'], { ...deps, timeoutMs: a['ng-bvn'].timeoutMs });
    case 'gh-nia':
      return new NiaGhanaCardAdapter(a['gh-nia'], { ...deps, timeoutMs: a['gh-nia'].timeoutMs });
    case 'za-dha':
      return new DhaProviderAdapter(a['za-dha'], { ...deps, timeoutMs: a['za-dha'].timeoutMs });
  }
}

/** Validate `input` (zod; throws ZodError) and build the router over the enabled adapters. */
export function createRegistry(input: RegistryConfigInput | RegistryConfig = {}, deps: RegistryDeps = {}): Registry {
  const config = parseRegistryConfig(input);
  const http =
    deps.http ??
    createHttpClient({
      timeoutMs: config.timeouts.requestMs,
      connectTimeoutMs: config.timeouts.connectMs,
      maxResponseBytes: config.maxResponseBytes,
    });
  const ownsHttp = !deps.http;
  const now = deps.now ?? Date.now;
  const adapterDeps: AdapterDeps = { http, logger: deps.logger ?? silentLogger, now: () => new Date(now()) };
  const breakers = new Map<string, CircuitBreaker>();
  const adapters = ADAPTER_IDS.filter((id) => config.adapters[id].enabled).map((id) => {
    const breaker = new CircuitBreaker(id, config.breaker, { now });
    breakers.set(id, breaker);
    return withResilience(createAdapter(id, config, adapterDeps), {
      retry: config.retry,
      breaker,
      lookupBudgetMs: config.timeouts.lookupBudgetMs,
      retryDeps: deps.retryDeps,
    });
  });
  return {
    config,
    router: new RegistryRouter(adapters),
    breakers,
    async close() {
      if (ownsHttp) await http.close();
    },
  };
}
