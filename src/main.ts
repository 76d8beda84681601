/**
 * `npm start`: the HTTP service on PORT (default 3000) with the real face engine and, unless
 * FACEMATCH_REGISTRY_MOCKS=off, the demo registries (msw mocks intercepting the registry hosts in-process).
 * The environment is parsed once here (src/config/env.ts) and passed on as typed options.
 */
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { accountsConfigPath, demoConfig, loadAccountsConfig } from './accounts/config.ts';
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
import { ADAPTERS } from '../adapters/index.ts';
import { createReferenceCache, createRegistry } from './registry/index.ts';
import { createApp } from './server/app.ts';
import { systemClock } from './server/services.ts';
import type { CachedReference } from './service/face-comparison.ts';
import type { FaceEngine } from './engine/types.ts';

async function main(): Promise<void> {
  const env = parseEnv();
  const logger = createLogger({ level: env.LOG_LEVEL });

  // msw is a devDependency: the mocks are loaded only when enabled. The match-at-source mocks
  // (Datavalid, INE) compare faces with the engine once it is loaded.
  let loaded: { engine: FaceEngine; toScore: (raw: number) => number } | undefined;
  const demo = env.FACEMATCH_REGISTRY_MOCKS === 'on' ? await import('../mocks/index.ts') : undefined;
  const mocks = demo
    ? await demo.startRegistryMocks({ latency: 'demo', faceSimilarity: demo.engineFaceSimilarity(() => loaded?.engine, (raw) => loaded?.toScore(raw) ?? 0) })
    : undefined;
  if (mocks) logger.info('demo registries active (msw mocks)', { people: mocks.people.length });

  const registryConfigFile = env.FACEMATCH_REGISTRY_CONFIG;
  const registryConfig: unknown = registryConfigFile ? JSON.parse(readFileSync(registryConfigFile, 'utf8')) : {};
  const registry = createRegistry(registryConfig as Parameters<typeof createRegistry>[0], { adapters: ADAPTERS, logger: logger.child({ component: 'registry' }) });

  const engineConfigFile = env.FACEMATCH_ENGINE_CONFIG;
  const engineConfig = engineConfigFile ? readEngineConfig(engineConfigFile) : undefined;
  const engine = await createFaceEngine(engineConfig);
  const calibration = loadCalibration(engineConfig?.calibration ?? fromRepoRoot(env.FACEMATCH_CALIBRATION));
  loaded = { engine, toScore: (raw) => calibration.toScore(raw) };

  const accounts = loadAccountsConfig(accountsConfigPath(env.FACEMATCH_CONFIG), demoConfig(env.FACEMATCH_DEMO_API_KEY));
  if (accounts.source === 'demo') {
    logger.warn('no accounts file; using the built-in demo organisation and demo API key (see README)', { config: 'built-in demo' });
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
