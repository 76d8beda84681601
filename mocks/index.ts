/**
 * Registry mocks: the msw v2 handlers of every adapter's mock (adapters/<id>/mock.ts), imitating the registries (auth, request shapes, error
 * bodies, business codes, rate limits, latency, special failure numbers), and helpers to run them.
 *
 *   const mocks = createRegistryMocks({ people: await loadDemoPeople(), latency: 'demo' });
 *   setupServer(...mocks.handlers).listen({ onUnhandledRequest: 'bypass' });
 * or simply `await startRegistryMocks({ latency: 'demo' })`.
 */
import type { RequestHandler } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';
import { ADAPTERS } from '../adapters/index.ts';
import type { AdapterMockModule, MockInstance } from '../src/registry/plugin.ts';
import { createMockContext, type MockContext } from './common.ts';
import { loadDemoPeople, type LoadDemoPeopleOptions } from './demo-identities.ts';
import type { MockPerson, MockState, RegistryMocksOptions } from './types.ts';

export * from './types.ts';
export { SPECIAL_IDS, specialCaseFor, type SpecialCase } from './special-ids.ts';
export { loadDemoPeople, readDemoIdentities, demoFacesDir, resolveFacePath, DEMO_IDENTITIES_FILE, type DemoIdentity } from './demo-identities.ts';
export { syntheticJpeg, notAnImage } from './fixtures.ts';
export { engineFaceSimilarity } from './face-similarity.ts';

/** Every adapter's mock module, loaded once (a dynamic import per plug-in keeps msw out of production). */
export const MOCK_MODULES: ReadonlyArray<{ id: string; baseUrl: string; module: AdapterMockModule }> = await Promise.all(
  ADAPTERS.map(async (plugin) => ({ id: plugin.id, baseUrl: plugin.mock.baseUrl, module: await plugin.mock.load() })),
);

export interface RegistryMocks {
  handlers: RequestHandler[];
  state: MockState;
}

export function createRegistryMocks(options: RegistryMocksOptions = {}): RegistryMocks {
  const ctx = createMockContext(options);
  const instances: MockInstance[] = MOCK_MODULES.map(({ id, baseUrl, module }) => {
    const createMock = module.createMock as (ctx: MockContext, baseUrl: string) => MockInstance;
    return createMock(ctx, (options.baseUrls?.[id] ?? baseUrl).replace(/\/+$/, ''));
  });
  const handlers = instances.flatMap((m) => m.handlers as RequestHandler[]);
  const state: MockState = {
    lookups: (adapter) => ctx.counters.get(adapter) ?? 0,
    revokeTokens: () => instances.forEach((m) => m.revokeTokens?.()),
    rotateNibssKeys: () => instances.forEach((m) => m.rotateSessionKeys?.()),
    expirePhotoLinks: () => instances.forEach((m) => m.expirePhotoLinks?.()),
    reset: () => {
      ctx.counters.clear();
      ctx.rateLimiter.reset();
      instances.forEach((m) => m.reset?.());
    },
  };
  return { handlers, state };
}

export interface StartRegistryMocksOptions extends RegistryMocksOptions, LoadDemoPeopleOptions {
  /** Load the demo identities' photos (default true when `people` is not given). */
  loadDemo?: boolean;
}

export interface RunningRegistryMocks extends RegistryMocks {
  server: SetupServer;
  people: readonly MockPerson[];
  close(): void;
}

/**
 * Load the demo people (unless `people` is given) and intercept the registries' hosts in this
 * process; other requests pass through untouched.
 */
export async function startRegistryMocks(options: StartRegistryMocksOptions = {}): Promise<RunningRegistryMocks> {
  const people = options.people ?? (options.loadDemo === false ? [] : await loadDemoPeople(options));
  const mocks = createRegistryMocks({ ...options, people });
  const server = setupServer(...mocks.handlers);
  server.listen({ onUnhandledRequest: 'bypass' });
  return { ...mocks, server, people, close: () => server.close() };
}
