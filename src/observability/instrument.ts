/**
 * Feeds the metrics from the collaborators the routes already use, without touching the use cases:
 * the engine reports its per-stage timings, the registry its outcomes, the cache its hits, the
 * ledger its charges. Each decorator delegates everything else to the original.
 */
import type { UsageLedger } from '../billing/ledger.ts';
import { isCharged } from '../policy/charges.ts';
import type { FaceEngine } from '../engine/types.ts';
import { override } from '../lib/override.ts';
import type { ReferenceStore, RegistryLookup } from '../service/face-comparison.ts';
import type { Metrics } from './metrics.ts';

export function instrumentEngine(engine: FaceEngine, metrics: Metrics): FaceEngine {
  return override(engine, {
    analyze: async (image, options) => {
      const analysis = await engine.analyze(image, options);
      for (const [stage, ms] of Object.entries(analysis.timings ?? {})) metrics.stageDuration.observe({ stage }, ms / 1000);
      return analysis;
    },
  });
}

/** The adapter a failure came from, when the registry SDK says so. */
function failure(err: unknown): { adapter?: string; outcome: string } {
  const e = err as { kind?: unknown; options?: { adapterId?: unknown }; name?: unknown };
  return {
    ...(typeof e?.options?.adapterId === 'string' ? { adapter: e.options.adapterId } : {}),
    outcome: typeof e?.kind === 'string' ? e.kind.toLowerCase() : 'error',
  };
}

export function instrumentRegistry(registry: RegistryLookup, metrics: Metrics): RegistryLookup {
  return override(registry, {
    lookup: async (idType, idNumber, ctx) => {
      const end = metrics.stageDuration.startTimer({ stage: 'registry' });
      try {
        const found = await registry.lookup(idType, idNumber, ctx);
        metrics.registryLookups.inc({ adapter: found.source, outcome: 'found' });
        return found;
      } catch (err) {
        const f = failure(err);
        metrics.registryLookups.inc({ adapter: f.adapter ?? idType, outcome: f.outcome });
        throw err;
      } finally {
        end();
      }
    },
  });
}

export function instrumentCache(cache: ReferenceStore, metrics: Metrics): ReferenceStore {
  return override(cache, {
    get: ((idType: string, idNumber: string) => {
      const count = <T>(found: T): T => {
        metrics.cacheLookups.inc({ result: found ? 'hit' : 'miss' });
        return found;
      };
      // A shared (Redis) cache answers asynchronously.
      const found: unknown = cache.get(idType, idNumber);
      return found instanceof Promise ? found.then(count) : count(found);
    }) as ReferenceStore['get'],
  });
}

export function instrumentLedger<L extends UsageLedger>(ledger: L, metrics: Metrics): L {
  const record: UsageLedger['record'] = async (entry) => {
    const written = await ledger.record(entry);
    const charged = written.charged ?? entry.charged ?? isCharged(entry.endpoint, entry.result);
    metrics.ledgerRecords.inc({ endpoint: entry.endpoint, result: entry.result, charged: String(charged) });
    if (charged) metrics.charged.inc({ endpoint: entry.endpoint });
    return written;
  };
  return override(ledger, { record } as Partial<L>);
}

/** The services with every collaborator above instrumented. */
export function instrumentServices<S extends { engine: FaceEngine; registry: RegistryLookup; cache: ReferenceStore; ledger: UsageLedger }>(services: S, metrics: Metrics): S {
  return {
    ...services,
    engine: instrumentEngine(services.engine, metrics),
    registry: instrumentRegistry(services.registry, metrics),
    cache: instrumentCache(services.cache, metrics),
    ledger: instrumentLedger(services.ledger, metrics),
  };
}
