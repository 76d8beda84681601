/**
 * The Prometheus metrics of one process (prom-client), on a registry of its own (no global state, so
 * tests and several apps in one process do not mix). Names follow Prometheus conventions: seconds,
 * `_total` counters. Labels never carry ID numbers, keys or anything from an image.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds; from a cached face comparison (~50 ms) to the request deadline. */
const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const STAGE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export type BreakerStateName = 'closed' | 'half-open' | 'open';
const BREAKER_VALUE: Record<BreakerStateName, number> = { closed: 0, 'half-open': 1, open: 2 };

/** Where the breaker states are read at scrape time (the registry SDK's breakers). */
export type BreakerSource = () => Iterable<[adapter: string, state: BreakerStateName]>;

export interface Metrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'route' | 'method' | 'status'>;
  readonly httpDuration: Histogram<'route' | 'status'>;
  readonly stageDuration: Histogram<'stage'>;
  readonly admissionActive: Gauge;
  readonly admissionQueued: Gauge;
  readonly admissionRefusals: Counter<'cause'>;
  readonly limitRefusals: Counter<'reason'>;
  readonly registryLookups: Counter<'adapter' | 'outcome'>;
  readonly cacheLookups: Counter<'result'>;
  readonly ledgerRecords: Counter<'endpoint' | 'result' | 'charged'>;
  readonly charged: Counter<'endpoint'>;
  /** Prometheus text exposition of everything above plus the process metrics. */
  render(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsOptions {
  /** Process metrics (RSS, CPU, event-loop lag, heap). Default true. */
  processMetrics?: boolean;
  breakers?: BreakerSource;
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'facematch_' });
  const registers = [registry];
  const breakers = options.breakers;
  new Gauge({
    name: 'facematch_registry_breaker_state',
    help: 'Circuit breaker state per registry adapter: 0 closed, 1 half-open, 2 open.',
    labelNames: ['adapter'],
    registers,
    collect() {
      this.reset();
      if (breakers) for (const [adapter, state] of breakers()) this.set({ adapter }, BREAKER_VALUE[state]);
    },
  });
  const metrics: Metrics = {
    registry,
    contentType: registry.contentType,
    httpRequests: new Counter({ name: 'facematch_http_requests_total', help: 'HTTP requests answered, by route pattern, method and status code.', labelNames: ['route', 'method', 'status'], registers }),
    httpDuration: new Histogram({ name: 'facematch_http_request_duration_seconds', help: 'Time to answer an HTTP request (queueing included), by route pattern and status code: refusals (503, 429) apart from answers.', labelNames: ['route', 'status'], buckets: LATENCY_BUCKETS, registers }),
    stageDuration: new Histogram({
      name: 'facematch_stage_duration_seconds',
      help: 'Time per processing stage: decode, detect, landmarks, embed, quality, liveness, crop (per image analysed) and registry (per lookup).',
      labelNames: ['stage'],
      buckets: STAGE_BUCKETS,
      registers,
    }),
    admissionActive: new Gauge({ name: 'facematch_admission_active', help: 'Requests holding an admission slot.', registers }),
    admissionQueued: new Gauge({ name: 'facematch_admission_queued', help: 'Requests waiting for an admission slot (queue depth).', registers }),
    admissionRefusals: new Counter({ name: 'facematch_admission_refusals_total', help: 'Requests refused with 503 by admission control, by cause: full, draining, timeout (deadline).', labelNames: ['cause'], registers }),
    limitRefusals: new Counter({ name: 'facematch_limit_refusals_total', help: 'Requests refused with 429 by the limit policy, by reason.', labelNames: ['reason'], registers }),
    registryLookups: new Counter({ name: 'facematch_registry_lookups_total', help: 'Registry lookups by adapter and outcome (found, or the failure kind).', labelNames: ['adapter', 'outcome'], registers }),
    cacheLookups: new Counter({ name: 'facematch_reference_cache_lookups_total', help: 'Reference cache lookups: hit or miss.', labelNames: ['result'], registers }),
    ledgerRecords: new Counter({ name: 'facematch_ledger_records_total', help: 'Usage ledger entries written, by endpoint, result and whether charged.', labelNames: ['endpoint', 'result', 'charged'], registers }),
    charged: new Counter({ name: 'facematch_charged_results_total', help: 'Charged results written to the usage ledger, by endpoint.', labelNames: ['endpoint'], registers }),
    render: () => registry.metrics(),
  };
  return metrics;
}
