/**
 * `npm start`: the HTTP service on PORT (default 3000) with the real face engine and, unless
 * FACEMATCH_REGISTRY_MOCKS=off, the demo registries (msw mocks intercepting the registry hosts in-process).
 * The environment is parsed once here (src/config/env.ts) and passed on as typed options.
 */
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { resolveAccountsConfig } from './accounts/config.ts';
import { createAccountStore } from './accounts/store.ts';
import { parseEnv } from './config/env.ts';
import { fromRepoRoot } from './config/paths.ts';
import { createDocumentChecker } from './document/check.ts';
import { readEngineConfig } from './engine/config.ts';
import { createFaceEngine } from './engine/index.ts';
import { createLogger } from './logging/logger.ts';
import { createPolicy } from './policy/policy.ts';
import { loadCalibration } from './policy/calibration.ts';
import { ADAPTERS } from '../adapters/index.ts';
import { createRegistry } from './registry/index.ts';
import { createApp } from './server/app.ts';
import { httpServerOptions } from './server/http-server.ts';
import { systemClock } from './server/services.ts';
import { openStateBackends } from './state/backends.ts';
import { availableParallelism } from 'node:os';
import { AdmissionControl, createRequestLimits, createShutdown, limitsSettings, memoryLimiterBackend, redisLimiterBackend } from './limits/index.ts';
import { createMetrics } from './observability/metrics.ts';
import { readKeyFile } from './receipts/keys.ts';
import { createEphemeralReceiptSigner, createReceiptSigner } from './receipts/signer.ts';
import { decisionLogPathBeside, openFileDecisionLog } from './review/decision-log.ts';
import { createMemoryReviewQueue } from './review/queue.ts';
import { createRedisReviewQueue } from './review/redis-queue.ts';
import { createPostgresDecisionLog } from './review/postgres-decision-log.ts';

import type { FaceEngine } from './engine/types.ts';

async function main(): Promise<void> {
  const env = parseEnv();
  const logger = createLogger({ level: env.LOG_LEVEL });

  // The public demo key works only on purpose: `npm start` (--demo) or FACEMATCH_DEMO=on, and no accounts file.
  const demo = env.FACEMATCH_DEMO === 'on' || process.argv.includes('--demo');
  const accounts = resolveAccountsConfig({ configured: env.FACEMATCH_CONFIG, demo, demoKey: env.FACEMATCH_DEMO_API_KEY });
  if (accounts.source === 'demo') {
    logger.warn('demo mode: no accounts file; the built-in demo organisation and its public API key are active (see README)', { config: 'built-in demo' });
  }

  // msw is a devDependency: the mocks are loaded only when enabled. The match-at-source mocks
  // (Datavalid, INE) compare faces with the engine once it is loaded.
  let loaded: { engine: FaceEngine; toScore: (raw: number) => number } | undefined;
  const demoRegistries = env.FACEMATCH_REGISTRY_MOCKS === 'on' ? await import('../mocks/index.ts') : undefined;
  const mocks = demoRegistries
    ? await demoRegistries.startRegistryMocks({ latency: 'demo', faceSimilarity: demoRegistries.engineFaceSimilarity(() => loaded?.engine, (raw) => loaded?.toScore(raw) ?? 0) })
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

  // Admission control, limits (fleet-wide in Redis when REDIS_URL is set), metrics: README "Limits", "Metrics".
  const ops = limitsSettings(env, engineConfig?.workers ?? availableParallelism());
  // One Redis client per replica (src/state/redis.ts) serves the cache, the image links and the limits.
  const { redis, pool } = state;
  const metrics = createMetrics({ breakers: () => [...registry.breakers].map(([id, b]) => [id, b.currentState] as const) });
  const admission = new AdmissionControl(ops.admission, {
    onChange: ({ active, queued }) => {
      metrics.admissionActive.set(active);
      metrics.admissionQueued.set(queued);
    },
  });
  // Receipts: keys from FACEMATCH_RECEIPT_KEYS (a JWK Set; the last private key signs), else an in-memory key.
  const receiptKeyFile = env.FACEMATCH_RECEIPT_KEYS;
  const receipts = receiptKeyFile ? createReceiptSigner(readKeyFile(fromRepoRoot(receiptKeyFile))) : createEphemeralReceiptSigner();
  // Resolving the key now makes a key file without a usable signing key a start-up error, not a failed request.
  const receiptKid = await receipts.activeKid();
  if (!receiptKeyFile) {
    logger.warn('no FACEMATCH_RECEIPT_KEYS: receipts are signed with a key generated in memory; they stop verifying against this service after a restart, and replicas do not share it (see README)', { kid: receiptKid });
  }
  // Review queue: cases and crops in memory (or Redis); decisions durable: PostgreSQL with DATABASE_URL, else a file beside the usage ledger.
  const reviewDecisions = pool
    ? createPostgresDecisionLog(pool)
    : await openFileDecisionLog(env.FACEMATCH_REVIEW_DECISIONS ? fromRepoRoot(env.FACEMATCH_REVIEW_DECISIONS) : decisionLogPathBeside(fromRepoRoot(env.FACEMATCH_LEDGER)));
  const review = {
    // With REDIS_URL the cases and crops live in Redis memory, shared by the replicas.
    queue: redis
      ? createRedisReviewQueue({ redis, ttlMs: env.FACEMATCH_REVIEW_TTL_MINUTES * 60_000 })
      : createMemoryReviewQueue({ clock: systemClock, ttlMs: env.FACEMATCH_REVIEW_TTL_MINUTES * 60_000 }),
    decisions: reviewDecisions,
    margin: env.FACEMATCH_REVIEW_MARGIN,
  };

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
    corsOrigins: env.FACEMATCH_CORS_ORIGINS,
    admission,
    requestLimits: createRequestLimits({ policy: ops.policy, backend: redis ? redisLimiterBackend(redis) : memoryLimiterBackend(), idKeySecret: ops.idKeySecret }),
    metrics,
    metricsToken: ops.metricsToken,
    readiness: [
      ...(pool ? [{ name: 'postgres', check: async () => void (await pool.query('SELECT 1')) }] : []),
      ...(redis ? [{ name: 'redis', check: async () => void (await redis.ping()) }] : []),
    ],
    receipts,
    review,
  });

  const serverOptions = httpServerOptions({ headersTimeoutMs: env.FACEMATCH_HEADERS_TIMEOUT_MS, requestTimeoutMs: env.FACEMATCH_REQUEST_TIMEOUT_MS });
  // Refused uploads are drained by the admission guard (src/server/middleware/discard-body.ts), not
  // cut off after 500 ms: a reset connection would lose the 503 the client has not read yet.
  const server = serve({ fetch: app.fetch, port: env.PORT, serverOptions, autoCleanupIncoming: false }, (info) => {
    logger.info('facematch listening', { port: info.port, engine: engine.version, calibration: calibration.version, id_types: registry.router.idTypes() });
  });

  const stop = createShutdown({
    server,
    admission,
    deadlineMs: ops.shutdownDeadlineMs,
    logger,
    closers: [
      { name: 'ledger, idempotency, PostgreSQL, Redis', close: () => state.close() },
      { name: 'review decisions', close: () => reviewDecisions.close() },
      { name: 'registry', close: () => registry.close() },
      { name: 'mocks', close: () => mocks?.close() },
      { name: 'engine', close: () => (engine as { close?: () => Promise<void> }).close?.() },
    ],
  });
  const onSignal = (signal: string) => {
    // A closer that hangs must not keep a stopped replica alive.
    setTimeout(() => process.exit(1), ops.shutdownDeadlineMs + 5_000).unref();
    void stop(signal).then((code) => process.exit(code));
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`facematch: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
