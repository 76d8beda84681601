/**
 * `npm start`: the HTTP service on PORT (default 3000) with the real face engine and, unless
 * FACEMATCH_REGISTRY_MOCKS=off, the demo registries (msw mocks intercepting the registry hosts in-process).
 * The environment is parsed once here (src/config/env.ts) and passed on as typed options.
 */
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { accountsConfigPath, demoConfig, loadAccountsConfig } from './accounts/config.ts';
import { createAccountStore } from './accounts/store.ts';
import { parseEnv } from './config/env.ts';
import { fromRepoRoot } from './config/paths.ts';
import { createDocumentChecker } from './document/check.ts';
import { readEngineConfig } from './engine/config.ts';
import { createFaceEngine } from './engine/index.ts';
import { createLogger } from './logging/logger.ts';
import { createPolicy } from './policy/policy.ts';
import { loadCalibration } from './policy/calibration.ts';
import { createRegistry } from './registry/index.ts';
import { createApp } from './server/app.ts';
import { systemClock } from './server/services.ts';
import { openStateBackends } from './state/backends.ts';

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

  const accounts = loadAccountsConfig(accountsConfigPath(env.FACEMATCH_CONFIG), demoConfig(env.FACEMATCH_DEMO_API_KEY));
  if (accounts.source === 'demo') {
    logger.warn('no accounts file; using the built-in demo organisation and demo API key (see README)', { config: 'built-in demo' });
  }
  // Ledger and idempotency: file, or PostgreSQL (DATABASE_URL); cache and image links: memory, or Redis (REDIS_URL).
  const state = await openStateBackends(
    {
      databaseUrl: env.DATABASE_URL,
      redisUrl: env.REDIS_URL,
      cacheSecret: env.FACEMATCH_CACHE_SECRET,
      mediaSecret: env.FACEMATCH_MEDIA_SECRET,
      ledgerFile: fromRepoRoot(env.FACEMATCH_LEDGER),
      ledgerMaxBytes: env.FACEMATCH_LEDGER_MAX_BYTES,
      cacheTtlMs: env.FACEMATCH_CACHE_TTL_SECONDS * 1000,
      cacheMaxEntries: env.FACEMATCH_CACHE_MAX_ENTRIES,
    },
    { clock: systemClock, logger: logger.child({ component: 'state' }) },
  );
  logger.info('state backends', state.summary);
  const { ledger } = state;

  const app = createApp({
    registry: registry.router,
    engine,
    policy: createPolicy(calibration),
    cache: state.cache,
    accounts: createAccountStore(accounts.config),
    ledger,
    logger,
    clock: systemClock,
    limits: { maxBodyBytes: env.FACEMATCH_MAX_BODY_BYTES },
    media: state.media,
    idempotency: state.idempotency,
    documents: createDocumentChecker(),
    publicBaseUrl: env.FACEMATCH_PUBLIC_BASE_URL,
  });

  const server = serve({ fetch: app.fetch, port: env.PORT }, (info) => {
    logger.info('facematch listening', { port: info.port, engine: engine.version, calibration: calibration.version, id_types: registry.router.idTypes() });
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    server.close(async () => {
      await state.close();
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
