/**
 * The registry configuration schema (zod). Every field has a default so `{}` is valid: the
 * defaults point at the mock hosts that `createRegistryMocks` serves, with the mocks' credentials.
 */
import { z } from 'zod';
import { DEFAULT_BREAKER_OPTIONS, DEFAULT_RETRY_POLICY } from './resilience.ts';

/** Hosts under the reserved `.test` TLD: they never resolve, so an unmocked call fails fast. */
export const MOCK_BASE_URLS = {
  'pe-reniec': 'https://ws2.pide.registry.test',
  'ke-iprs': 'https://iprs.registry.test/IPRSServiceInterface/ServiceIPRS.svc',
  'ng-nin': 'https://nin-aggregator.registry.test',
  'ng-bvn': 'https://nibss.registry.test',
  'gh-nia': 'https://nia.registry.test',
  'za-dha': 'https://dha-provider.registry.test',
} as const;

/** The credentials the mocks accept (throwaway, for the demo and tests only). */
export const MOCK_CREDENTIALS = {
  'pe-reniec': { nuDniUsuario: '40000001', nuRucUsuario: '20100000001', password: 'pide-demo-password' },
  'ke-iprs': { username: 'demo-bank', password: 'iprs-demo-password' },
  'ng-nin': { appId: 'demo-app-id', secretKey: 'test_sk_demo' },
  'ng-bvn': { organisationCode: '11111' },
  'gh-nia': { merchantKey: 'nia-demo-merchant-key' },
  'za-dha': { clientId: 'demo-client', clientSecret: 'demo-client-secret' },
} as const;

const url = z.url();
const ms = z.number().int().positive();

const common = {
  enabled: z.boolean().default(true),
  /** Per-call timeout for this adapter, overriding timeouts.requestMs. */
  timeoutMs: ms.optional(),
};

export const registryConfigSchema = z.object({
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
      failureThreshold: z.number().int().min(1).default(DEFAULT_BREAKER_OPTIONS.failureThreshold),
      resetTimeoutMs: ms.default(DEFAULT_BREAKER_OPTIONS.resetTimeoutMs),
      halfOpenMaxCalls: z.number().int().min(1).default(DEFAULT_BREAKER_OPTIONS.halfOpenMaxCalls),
    })
    .prefault({}),
  maxResponseBytes: z.number().int().positive().default(8 * 1024 * 1024),
  adapters: z
    .object({
      'pe-reniec': z
        .object({
          ...common,
          baseUrl: url.default(MOCK_BASE_URLS['pe-reniec']),
          nuDniUsuario: z.string().regex(/^\d{8}$/).default(MOCK_CREDENTIALS['pe-reniec'].nuDniUsuario),
          nuRucUsuario: z.string().regex(/^\d{11}$/).default(MOCK_CREDENTIALS['pe-reniec'].nuRucUsuario),
          password: z.string().min(1).default(MOCK_CREDENTIALS['pe-reniec'].password),
        })
        .prefault({}),
      'ke-iprs': z
        .object({
          ...common,
          baseUrl: url.default(MOCK_BASE_URLS['ke-iprs']),
          username: z.string().min(1).default(MOCK_CREDENTIALS['ke-iprs'].username),
          password: z.string().min(1).default(MOCK_CREDENTIALS['ke-iprs'].password),
        })
        .prefault({}),
      'ng-nin': z
        .object({
          ...common,
          baseUrl: url.default(MOCK_BASE_URLS['ng-nin']),
          appId: z.string().min(1).default(MOCK_CREDENTIALS['ng-nin'].appId),
          secretKey: z.string().min(1).default(MOCK_CREDENTIALS['ng-nin'].secretKey),
        })
        .prefault({}),
      'ng-bvn': z
        .object({
          ...common,
          baseUrl: url.default(MOCK_BASE_URLS['ng-bvn']),
          organisationCode: z.string().min(1).default(MOCK_CREDENTIALS['ng-bvn'].organisationCode),
        })
        .prefault({}),
      'gh-nia': z
        .object({
          ...common,
          baseUrl: url.default(MOCK_BASE_URLS['gh-nia']),
          merchantKey: z.string().min(1).default(MOCK_CREDENTIALS['gh-nia'].merchantKey),
          lookupPath: z.string().startsWith('/').optional(),
        })
        .prefault({}),
      'za-dha': z
        .object({
          ...common,
          baseUrl: url.default(MOCK_BASE_URLS['za-dha']),
          tokenUrl: url.optional(),
          clientId: z.string().min(1).default(MOCK_CREDENTIALS['za-dha'].clientId),
          clientSecret: z.string().min(1).default(MOCK_CREDENTIALS['za-dha'].clientSecret),
          scope: z.string().optional(),
        })
        .prefault({}),
    })
    .prefault({}),
});

/** What callers pass (everything optional). */
export type RegistryConfigInput = z.input<typeof registryConfigSchema>;
/** After defaults. */
export type RegistryConfig = z.output<typeof registryConfigSchema>;

export function parseRegistryConfig(input: unknown = {}): RegistryConfig {
  return registryConfigSchema.parse(input);
}
