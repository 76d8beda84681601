/**
 * The registry configuration schema (zod), built from the adapter plug-ins it is given: the SDK's
 * own settings (timeouts, retries, breaker) plus one block per adapter from its `configSchema`.
 * Every field has a default so `{}` is valid: the defaults point at the mock hosts with the mocks'
 * credentials.
 */
import { z } from 'zod';
import type { AdapterPlugin } from './plugin.ts';
import { DEFAULT_BREAKER_OPTIONS, DEFAULT_RETRY_POLICY } from './resilience.ts';

const ms = z.number().int().positive();

const sdkSettings = {
  timeouts: z
    .object({
      /** One HTTP call (connect + headers + body). */
      requestMs: ms.default(10_000),
      connectMs: ms.default(5_000),
      /** One lookup including retries and backoff. */
      lookupBudgetMs: ms.default(25_000),
    })
    .prefault({}),
  retry: z
    .object({
      maxAttempts: z.number().int().min(1).max(10).default(DEFAULT_RETRY_POLICY.maxAttempts),
      baseDelayMs: z.number().int().min(0).default(DEFAULT_RETRY_POLICY.baseDelayMs),
      maxDelayMs: z.number().int().min(0).default(DEFAULT_RETRY_POLICY.maxDelayMs),
      maxRetryAfterSeconds: z.number().min(0).default(DEFAULT_RETRY_POLICY.maxRetryAfterSeconds),
    })
    .prefault({}),
  breaker: z
    .object({
      /** Counted registry faults (timeouts, 5xx, transport) that open the circuit. */
      failureThreshold: z.number().int().min(1).default(DEFAULT_BREAKER_OPTIONS.failureThreshold),
      /** Distinct callers (API keys) among those faults: one caller alone cannot open a circuit for everyone. */
      minDistinctCallers: z.number().int().min(1).default(DEFAULT_BREAKER_OPTIONS.minDistinctCallers),
      resetTimeoutMs: ms.default(DEFAULT_BREAKER_OPTIONS.resetTimeoutMs),
      halfOpenMaxCalls: z.number().int().min(1).default(DEFAULT_BREAKER_OPTIONS.halfOpenMaxCalls),
    })
    .prefault({}),
  maxResponseBytes: z.number().int().positive().default(8 * 1024 * 1024),
};

/** The per-adapter block: the SDK's common fields, a base URL defaulting to the mock host, then the adapter's own. */
function adapterBlock(plugin: AdapterPlugin) {
  return plugin.configSchema
    .extend({
      enabled: z.boolean().default(true),
      timeoutMs: ms.optional(),
      baseUrl: z.url().default(plugin.mock.baseUrl),
    })
    .prefault({});
}

export function registryConfigSchemaFor(plugins: readonly AdapterPlugin[]) {
  const adapters = Object.fromEntries(plugins.map((p) => [p.id, adapterBlock(p)]));
  return z.object({ ...sdkSettings, adapters: z.object(adapters).strict().prefault({}) });
}

/** After defaults. `adapters` holds one parsed block per plug-in, keyed by adapter id. */
export type RegistryConfig = Omit<z.output<ReturnType<typeof registryConfigSchemaFor>>, 'adapters'> & {
  adapters: Record<string, { enabled: boolean; timeoutMs?: number; baseUrl: string } & Record<string, unknown>>;
};

/** What callers pass (everything optional). */
export type RegistryConfigInput = {
  [K in keyof typeof sdkSettings]?: z.input<(typeof sdkSettings)[K]>;
} & { adapters?: Record<string, Record<string, unknown>> };

export function parseRegistryConfig(plugins: readonly AdapterPlugin[], input: unknown = {}): RegistryConfig {
  return registryConfigSchemaFor(plugins).parse(input) as RegistryConfig;
}
