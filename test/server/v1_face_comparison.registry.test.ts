/**
 * The route against the real registry SDK (createRegistry: adapters, retries, breaker) and the msw
 * registry mocks, with the test-double engine. Checks the wiring main.ts relies on.
 */
import { ADAPTERS } from '../../adapters/index.ts';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRegistryMocks, SPECIAL_IDS, type RegistryMocks } from '../../mocks/index.ts';
import { createRegistry, type Registry } from '../../src/registry/index.ts';
import { createHarness } from '../support/app.ts';
import { selfieWithSimilarity } from '../support/fake-engine.ts';
import { NIN_PERSON } from '../support/mock-person.ts';

const PERSON = NIN_PERSON;

const server = setupServer();
let mocks: RegistryMocks;
let registry: Registry;

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(async () => {
  server.close();
  await registry?.close();
});
beforeEach(async () => {
  await registry?.close();
  mocks = createRegistryMocks({ people: [PERSON] });
  server.resetHandlers(...mocks.handlers);
  registry = createRegistry(
    { retry: { maxAttempts: 1 }, timeouts: { requestMs: 2_000, lookupBudgetMs: 3_000 } },
    { adapters: ADAPTERS, retryDeps: { sleep: async () => {} } },
  );
});

const body = (id_number: string, cos = 0.93) => ({ selfie: selfieWithSimilarity(cos), id_type: 'NG_NIN', id_number });

describe('POST /v1/face-comparison with the registry SDK and mocks', () => {
  it('confirms against a mocked NIN record, and the second request is served from the cache', async () => {
    const h = createHarness({ registry: registry.router });
    const res = await h.compare(body(PERSON.id_number));
    expect(res.status).toBe(200);
    const json = await res.json();
    expect(json.data.match_result).toBe('CONFIRMED');
    expect(json.data.identity).toMatchObject({ first_name: 'Ada', last_name: 'Lovelace', date_of_birth: '1985-07-14' });
    expect(json.data.details.source).toBe('ng-nin');
    const again = await (await h.compare(body(PERSON.id_number, 0.2))).json();
    expect(again.meta.cache).toBe('hit');
    expect(again.data.match_result).toBe('MISMATCH');
    expect(mocks.state.lookups('ng-nin')).toBe(1);
  });

  it('maps not-found and no-photo records to ID_NOT_FOUND', async () => {
    const h = createHarness({ registry: registry.router });
    const notFound = await h.compare(body(SPECIAL_IDS['ng-nin']!.not_found));
    expect(notFound.status).toBe(404);
    expect((await notFound.json()).details.reason).toBe('NO_RECORD');
    const noPhoto = await h.compare(body(SPECIAL_IDS['ng-nin']!.photo_missing));
    expect(noPhoto.status).toBe(404);
    expect((await noPhoto.json()).details.reason).toBe('NO_PHOTO');
  });

  it('turns a registry 5xx into a retryable 503 with Retry-After, never a MISMATCH', async () => {
    const h = createHarness({ registry: registry.router });
    const res = await h.compare(body(SPECIAL_IDS['ng-nin']!.server_error));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    const json = await res.json();
    expect(json).toMatchObject({ success: false, code: 'SERVICE_ERROR', retryable: true, data: null });
  });

  it('rejects an id_number that fails the NIN validator without calling the registry', async () => {
    const h = createHarness({ registry: registry.router });
    const res = await h.compare(body('12345'));
    expect(res.status).toBe(400);
    expect((await res.json()).details.id_number).toBeDefined();
    expect(mocks.state.lookups('ng-nin')).toBe(0);
  });
});
