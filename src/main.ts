/**
 * `npm start`: the HTTP service on PORT (default 3000) with the real face engine and, unless
 * FACEMATCH_REGISTRY_MOCKS=off, the demo registries (msw mocks intercepting the registry hosts in-process).
 */
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { loadAccountsConfig, defaultConfigPath } from './accounts/config.ts';
import { createAccountStore } from './accounts/store.ts';
import { defaultLedgerPath, openUsageLedger } from './billing/ledger.ts';
import { createDocumentChecker } from './document/check.ts';
import { readEngineConfig } from './engine/config.ts';
import { createFaceEngine } from './engine/index.ts';
import { createLogger, type LogLevel } from './logging/logger.ts';
import { createMediaStore } from './media/store.ts';
import { createPolicy } from './policy/policy.ts';
import { loadCalibration } from './policy/calibration.ts';
import { ADAPTERS } from '../adapters/index.ts';
import { createReferenceCache, createRegistry } from './registry/index.ts';
import { createApp } from './server/app.ts';
import { systemClock } from './server/services.ts';
import type { CachedReference } from './service/face-comparison.ts';
import { engineFaceSimilarity, startRegistryMocks } from '../mocks/index.ts';
import type { FaceEngine } from './engine/types.ts';

const numberEnv = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number`);
  return n;
};

async function main(): Promise<void> {
  const logger = createLogger({ level: (process.env.LOG_LEVEL as LogLevel | undefined) ?? 'info' });
  const port = numberEnv('PORT', 3000);

  const useMocks = (process.env.FACEMATCH_REGISTRY_MOCKS ?? 'on') !== 'off';
  // The match-at-source mocks (Datavalid, INE) compare faces with the engine once it is loaded.
  let loaded: { engine: FaceEngine; toScore: (raw: number) => number } | undefined;
  const faceSimilarity = engineFaceSimilarity(() => loaded?.engine, (raw) => loaded?.toScore(raw) ?? 0);
  const mocks = useMocks ? await startRegistryMocks({ latency: 'demo', faceSimilarity }) : undefined;
  if (mocks) logger.info('demo registries active (msw mocks)', { people: mocks.people.length });

  const registryConfigFile = process.env.FACEMATCH_REGISTRY_CONFIG;
  const registryConfig: unknown = registryConfigFile ? JSON.parse(readFileSync(registryConfigFile, 'utf8')) : {};
  const registry = createRegistry(registryConfig as Parameters<typeof createRegistry>[0], { adapters: ADAPTERS, logger: logger.child({ component: 'registry' }) });

  const engineConfigFile = process.env.FACEMATCH_ENGINE_CONFIG;
  const engineConfig = engineConfigFile ? readEngineConfig(engineConfigFile) : undefined;
  const engine = await createFaceEngine(engineConfig);
  const calibration = loadCalibration(engineConfig?.calibration);
  loaded = { engine, toScore: (raw) => calibration.toScore(raw) };

  const accounts = loadAccountsConfig(defaultConfigPath());
  if (accounts.source === 'demo') {
    logger.warn('no accounts file; using the built-in demo organisation and demo API key (see README)', { config: 'built-in demo' });
  }
  const ledger = await openUsageLedger(defaultLedgerPath());

  const app = createApp({
    registry: registry.router,
    engine,
    policy: createPolicy(calibration),
    cache: createReferenceCache<CachedReference>({
      ttlMs: numberEnv('FACEMATCH_CACHE_TTL_SECONDS', 600) * 1000,
      maxEntries: numberEnv('FACEMATCH_CACHE_MAX_ENTRIES', 10_000),
    }),
    accounts: createAccountStore(accounts.config),
    ledger,
    logger,
    clock: systemClock,
    limits: { maxBodyBytes: numberEnv('FACEMATCH_MAX_BODY_BYTES', 15 * 1024 * 1024) },
    // Report image links: in memory, 60 minutes; signed with a per-process random key unless a secret is set.
    media: createMediaStore({ clock: systemClock, secret: process.env.FACEMATCH_MEDIA_SECRET || undefined }),
    documents: createDocumentChecker(),
    publicBaseUrl: process.env.FACEMATCH_PUBLIC_BASE_URL || undefined,
  });

  const server = serve({ fetch: app.fetch, port }, (info) => {
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
