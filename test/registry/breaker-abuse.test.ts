/**
 * A registry record whose photo is not an image, and a registry outage seen by one caller only,
 * through the real adapters, the SDK's retries and breakers, and the msw mocks (no fake registry).
 * Before: 9 requests for NG_NIN 70000000415 answered 503 and opened the ng-nin circuit for every
 * tenant. Now: each is the documented 404 PHOTO_UNUSABLE and the circuit stays closed.
 */
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../adapters/index.ts';
import { createRegistryMocks, SPECIAL_IDS } from '../../mocks/index.ts';
import { createRegistry, type Registry } from '../../src/registry/index.ts';
import { createHarness, KEYS } from '../support/app.ts';
import { selfieWithSimilarity } from '../support/fake-engine.ts';
import { NIN_PERSON as PERSON } from '../support/mock-person.ts';

const NIN = SPECIAL_IDS['ng-nin']!;

const server = setupServer();
let registry: Registry;

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(async () => {
  server.close();
  await registry?.close();
});
beforeEach(async () => {
  await registry?.close();
  server.resetHandlers(...createRegistryMocks({ people: [PERSON] }).handlers);
  // The production breaker defaults (8 faults, 2 distinct callers), retries without waiting.
  registry = createRegistry({ timeouts: { requestMs: 2_000 } }, { adapters: ADAPTERS, retryDeps: { sleep: async () => {} } });
});

const body = (id_number: string) => ({ selfie: selfieWithSimilarity(0.93), id_type: 'NG_NIN', id_number });

describe('registry faults and the circuit breaker, end to end', () => {
  it('NG_NIN 70000000415 (photo not an image) → 404 ID_NOT_FOUND / PHOTO_UNUSABLE, never a 503', async () => {
    expect(NIN.photo_not_image).toBe('70000000415');
    const h = createHarness({ registry: registry.router });
    const res = await h.compare(body(NIN.photo_not_image));
    expect(res.status).toBe(404);
    const json = await res.json();
    expect(json.code).toBe('ID_NOT_FOUND');
    expect(json.details.reason).toBe('PHOTO_UNUSABLE');
    expect(res.headers.get('retry-after')).toBeNull();
  });

  it('20 requests for the broken record do not open the circuit: a valid number still answers 200', async () => {
    const h = createHarness({ registry: registry.router });
    for (let i = 0; i < 20; i++) expect((await h.compare(body(NIN.photo_not_image))).status).toBe(404);
    expect(registry.breakers.get('ng-nin')!.currentState).toBe('closed');
    const ok = await h.compare(body(PERSON.id_number));
    expect(ok.status).toBe(200);
  });

  it('not-found and malformed replies never open the circuit either', async () => {
    const h = createHarness({ registry: registry.router });
    for (let i = 0; i < 10; i++) expect((await h.compare(body(NIN.malformed))).status).toBe(503);
    for (let i = 0; i < 10; i++) expect((await h.compare(body(NIN.not_found))).status).toBe(404);
    expect(registry.breakers.get('ng-nin')!.currentState).toBe('closed');
    expect((await h.compare(body(PERSON.id_number))).status).toBe(200);
  });

  it('registry 5xx seen by one key alone does not open the circuit; the same outage seen by a second key does', async () => {
    const h = createHarness({ registry: registry.router });
    // 5 requests × 3 attempts = 15 counted faults, all from one caller.
    for (let i = 0; i < 5; i++) expect((await h.compare(body(NIN.server_error))).status).toBe(503);
    expect(registry.breakers.get('ng-nin')!.currentState).toBe('closed');
    expect((await h.compare(body(NIN.server_error), { key: KEYS.other })).status).toBe(503);
    expect(registry.breakers.get('ng-nin')!.currentState).toBe('open');
    // Open: even a valid number fails fast with a retryable 503 until the reset timeout.
    const blocked = await h.compare(body(PERSON.id_number));
    expect(blocked.status).toBe(503);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
