/**
 * The registry SDK's public entry point. `createRegistry(config, { adapters })` validates the
 * config against the given adapter plug-ins and builds the id_type router over the enabled ones,
 * each behind retries and its own circuit breaker. This folder imports no adapter: the list of
 * plug-ins is passed in (adapters/index.ts).
 */
import { silentLogger, type AdapterDeps, type RegistryLogger } from './adapter-kit.ts';
import { parseRegistryConfig, type RegistryConfig, type RegistryConfigInput } from './config.ts';
import { createHttpClient, type HttpClient } from './http.ts';
import type { AdapterPlugin } from './plugin.ts';
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
export { parseRegistryConfig, registryConfigSchemaFor } from './config.ts';
export type { RegistryConfig, RegistryConfigInput } from './config.ts';
export type { RegistryLogger, AdapterDeps } from './adapter-kit.ts';
export { defineAdapter, type AdapterPlugin, type AdapterMockModule, type ConformanceFixture } from './plugin.ts';

export interface RegistryDeps {
  /** The adapter plug-ins to serve (adapters/index.ts). */
  adapters: readonly AdapterPlugin[];
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
export function createAdapter(plugin: AdapterPlugin, config: RegistryConfig, deps: AdapterDeps): RegistryAdapter {
  const block = config.adapters[plugin.id];
  if (!block) throw new Error(`no configuration for adapter ${plugin.id}`);
  return plugin.create(block as Parameters<AdapterPlugin['create']>[0], { ...deps, timeoutMs: block.timeoutMs });
}

/** Validate `input` (zod; throws ZodError) and build the router over the enabled adapters. */
export function createRegistry(input: RegistryConfigInput | RegistryConfig, deps: RegistryDeps): Registry {
  const config = parseRegistryConfig(deps.adapters, input);
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
  const adapters = deps.adapters
    .filter((plugin) => config.adapters[plugin.id]?.enabled)
    .map((plugin) => {
      const breaker = new CircuitBreaker(plugin.id, config.breaker, { now });
      breakers.set(plugin.id, breaker);
      return withResilience(createAdapter(plugin, config, adapterDeps), {
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
