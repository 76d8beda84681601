/**
 * `npm start`: the HTTP service on PORT (default 3000) with the real face engine and, unless
 * FACEMATCH_REGISTRY_MOCKS=off, the demo registries (msw mocks intercepting the registry hosts in-process).
 * The environment is parsed once here (src/config/env.ts) and passed on as typed options.
 */
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { resolveAccountsConfig } from './accounts/config.ts';
import { createAccountStore } from './accounts/store.ts';
import { openUsageLedger } from './billing/ledger.ts';
import { parseEnv } from './config/env.ts';
import { fromRepoRoot } from './config/paths.ts';
import { createDocumentChecker } from './document/check.ts';
import { readEngineConfig } from './engine/config.ts';
import { createFaceEngine } from './engine/index.ts';
import { createLogger } from './logging/logger.ts';
import { createMediaStore } from './media/store.ts';
import { createPolicy } from './policy/policy.ts';
import { loadCalibration } from './policy/calibration.ts';
import { createReferenceCache, createRegistry } from './registry/index.ts';
import { createApp } from './server/app.ts';
import { httpServerOptions } from './server/http-server.ts';
import { systemClock } from './server/services.ts';
import type { CachedReference } from './service/face-comparison.ts';

async function main(): Promise<void> {
  const env = parseEnv();
  const logger = createLogger({ level: env.LOG_LEVEL });

  // msw is a devDependency: the mocks are loaded only when enabled.
  const mocks = env.FACEMATCH_REGISTRY_MOCKS === 'on' ? await (await import('../mocks/index.ts')).startRegistryMocks({ latency: 'demo' }) : undefined;
  if (mocks) logger.info('demo registries active (msw mocks)', { people: mocks.people.length });

  const registryConfigFile = env.FACEMATCH_REGISTRY_CONFIG;
  const registryConfig: unknown = registryConfigFile ? JSON.parse(readFileSync(registryConfigFile, 'utf8')) : {};
  const registry = createRegistry(registryConfig as Parameters<typeof createRegistry>[0], { logger: logger.child({ component: 'registry' }) });

  const engineConfigFile = env.FACEMATCH_ENGINE_CONFIG;
  const engineConfig = engineConfigFile ? readEngineConfig(engineConfigFile) : undefined;
  const engine = await createFaceEngine(engineConfig);
  const calibration = loadCalibration(engineConfig?.calibration ?? fromRepoRoot(env.FACEMATCH_CALIBRATION));

  // The public demo key works only on purpose: `npm start` (--demo) or FACEMATCH_DEMO=on, and no accounts file.
  const demo = env.FACEMATCH_DEMO === 'on' || process.argv.includes('--demo');
  const accounts = resolveAccountsConfig({ configured: env.FACEMATCH_CONFIG, demo, demoKey: env.FACEMATCH_DEMO_API_KEY });
  if (accounts.source === 'demo') {
    logger.warn('demo mode: no accounts file; the built-in demo organisation and its public API key are active (see README)', { config: 'built-in demo' });
  }
  const ledger = await openUsageLedger(fromRepoRoot(env.FACEMATCH_LEDGER));

  const app = createApp({
    registry: registry.router,
    engine,
    policy: createPolicy(calibration),
    cache: createReferenceCache<CachedReference>({
      ttlMs: env.FACEMATCH_CACHE_TTL_SECONDS * 1000,
      maxEntries: env.FACEMATCH_CACHE_MAX_ENTRIES,
    }),
    accounts: createAccountStore(accounts.config),
    ledger,
    logger,
    clock: systemClock,
    limits: { maxBodyBytes: env.FACEMATCH_MAX_BODY_BYTES },
    // Report image links: in memory, 60 minutes; signed with a per-process random key unless a secret is set.
    media: createMediaStore({ clock: systemClock, secret: env.FACEMATCH_MEDIA_SECRET }),
    documents: createDocumentChecker(),
    publicBaseUrl: env.FACEMATCH_PUBLIC_BASE_URL,
    corsOrigins: env.FACEMATCH_CORS_ORIGINS,
  });

  const serverOptions = httpServerOptions({ headersTimeoutMs: env.FACEMATCH_HEADERS_TIMEOUT_MS, requestTimeoutMs: env.FACEMATCH_REQUEST_TIMEOUT_MS });
  const server = serve({ fetch: app.fetch, port: env.PORT, serverOptions }, (info) => {
    logger.info('facematch listening', { port: info.port, engine: engine.version, calibration: calibration.version, id_types: registry.router.idTypes() });
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    server.close(async () => {
      await ledger.close();
      await registry.close();
      mocks?.close();
      const closable = engine as { close?: () => Promise<void> };
      await closable.close?.();
      process.exit(0);
    });
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`facematch: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
