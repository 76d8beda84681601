/** GET /metrics (token, counters moving) and GET /ready (checks, draining), through the app. */
import { describe, expect, it } from 'vitest';
import { AdmissionControl } from '../../src/limits/admission.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { IDS } from '../support/registry.ts';
import { createHarness, validBody } from '../support/app.ts';
import { selfieWithSimilarity } from '../support/fake-engine.ts';
import { createLimitsHarness } from './support.ts';

const TOKEN = 'metrics-token-for-tests-0001';

function scrape(app: { request: (path: string, init?: RequestInit) => Response | Promise<Response> }, token: string | null = TOKEN) {
  return Promise.resolve(app.request('/metrics', token ? { headers: { authorization: `Bearer ${token}` } } : {}));
}

/** The value of one sample line, e.g. value(text, 'facematch_charged_results_total{endpoint="/v1/face-comparison"}'). */
function value(text: string, sample: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(sample + ' '));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}

describe('GET /metrics', () => {
  it('does not exist without a configured token, and needs the token when configured', async () => {
    const plain = createHarness({ metrics: createMetrics({ processMetrics: false }) });
    expect((await scrape(plain.app)).status).toBe(404);
    const h = createHarness({ metrics: createMetrics({ processMetrics: false }), metricsToken: TOKEN });
    expect((await scrape(h.app, null)).status).toBe(401);
    expect((await scrape(h.app, 'wrong-token-wrong-token')).status).toBe(401);
    const ok = await scrape(h.app);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('text/plain');
  });

  it('counts requests by route and status, stage latencies, registry outcomes, cache hits, charges, limit refusals and breaker state', async () => {
    const metrics = createMetrics({ breakers: () => [['test-registry', 'open']] });
    const h = createLimitsHarness({
      services: { metrics, metricsToken: TOKEN, admission: new AdmissionControl({ maxActive: 2, maxQueued: 0, deadlineMs: 5000, retryAfterSeconds: 1 }) },
      policy: { idAttempts: { points: 3, windowSeconds: 3600 } },
    });
    await h.compare(validBody({ selfie: selfieWithSimilarity(0.95) })); // miss, CONFIRMED, charged
    await h.compare(validBody({ selfie: selfieWithSimilarity(0.1) })); // hit, MISMATCH
    await h.compare(validBody({ selfie: selfieWithSimilarity(0.95) })); // hit, CONFIRMED
    await h.compare(validBody({ selfie: selfieWithSimilarity(0.95) })); // 429 ID_ATTEMPTS
    await h.compare(validBody({ id_number: IDS.noRecord, selfie: selfieWithSimilarity(0.95) })); // 404
    await h.compare(validBody({ id_number: IDS.down, selfie: selfieWithSimilarity(0.95) })); // 503
    const text = await (await scrape(h.app)).text();
    const route = 'route="/v1/face-comparison",method="POST"';
    expect(value(text, `facematch_http_requests_total{${route},status="200"}`)).toBe(3);
    expect(value(text, `facematch_http_requests_total{${route},status="429"}`)).toBe(1);
    expect(value(text, `facematch_http_requests_total{${route},status="404"}`)).toBe(1);
    expect(value(text, `facematch_http_requests_total{${route},status="503"}`)).toBe(1);
    expect(value(text, 'facematch_http_request_duration_seconds_count{route="/v1/face-comparison",status="200"}')).toBe(3);
    expect(value(text, 'facematch_http_request_duration_seconds_count{route="/v1/face-comparison",status="429"}')).toBe(1);
    expect(value(text, 'facematch_stage_duration_seconds_count{stage="registry"}')).toBe(3);
    expect(value(text, 'facematch_registry_lookups_total{adapter="test-registry",outcome="found"}')).toBe(1);
    expect(value(text, 'facematch_registry_lookups_total{adapter="test-registry",outcome="not_found"}')).toBe(1);
    expect(value(text, 'facematch_registry_lookups_total{adapter="test-registry",outcome="unavailable"}')).toBe(1);
    expect(value(text, 'facematch_reference_cache_lookups_total{result="hit"}')).toBe(2);
    expect(value(text, 'facematch_reference_cache_lookups_total{result="miss"}')).toBe(3);
    expect(value(text, 'facematch_charged_results_total{endpoint="/v1/face-comparison"}')).toBe(2);
    expect(value(text, 'facematch_ledger_records_total{endpoint="/v1/face-comparison",result="MISMATCH",charged="false"}')).toBe(1);
    expect(value(text, 'facematch_limit_refusals_total{reason="ID_ATTEMPTS"}')).toBe(1);
    expect(value(text, 'facematch_registry_breaker_state{adapter="test-registry"}')).toBe(2);
    expect(value(text, 'facematch_process_resident_memory_bytes')).toBeGreaterThan(0);
    // Labels never carry ID numbers.
    expect(text).not.toContain(IDS.found);
  });
});

describe('GET /ready', () => {
  it('is ready with the models loaded and every backend reachable, and says which check fails', async () => {
    let databaseUp = true;
    const admission = new AdmissionControl({ maxActive: 1, maxQueued: 0, deadlineMs: 1000, retryAfterSeconds: 1 });
    const h = createHarness({
      admission,
      readiness: [
        {
          name: 'database',
          check: async () => {
            if (!databaseUp) throw new Error('down');
          },
        },
        { name: 'redis', check: async () => undefined },
      ],
    });
    const ready = await h.app.request('/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { models: 'ok', accepting: 'ok', database: 'ok', redis: 'ok' } });
    databaseUp = false;
    const down = await h.app.request('/ready');
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'not_ready', checks: { database: 'failed', redis: 'ok' } });
    databaseUp = true;
    expect((await h.app.request('/ready')).status).toBe(200);
    admission.drain();
    const draining = await h.app.request('/ready');
    expect(draining.status).toBe(503);
    expect(await draining.json()).toMatchObject({ checks: { accepting: 'failed' } });
    // Liveness is a different question: still 200.
    expect((await h.app.request('/health')).status).toBe(200);
  });
});
