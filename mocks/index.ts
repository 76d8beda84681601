/**
 * Registry mocks: msw v2 handlers imitating the six registries (auth, request shapes, error
 * bodies, business codes, rate limits, latency, special failure numbers), and helpers to run them.
 *
 *   const mocks = createRegistryMocks({ people: await loadDemoPeople(), latency: 'demo' });
 *   setupServer(...mocks.handlers).listen({ onUnhandledRequest: 'bypass' });
 * or simply `await startRegistryMocks({ latency: 'demo' })`.
 */
import type { RequestHandler } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';
import { MOCK_BASE_URLS } from '../src/registry/config.ts';
import { bvnHandlers, type NibssMockState } from './bvn.ts';
import { createMockContext } from './common.ts';
import { loadDemoPeople, type LoadDemoPeopleOptions } from './demo-identities.ts';
import { dhaHandlers, type DhaMockState } from './dha.ts';
import { iprsHandlers } from './iprs.ts';
import { niaHandlers } from './nia.ts';
import { ninHandlers } from './nin.ts';
import { reniecHandlers } from './reniec.ts';
import type { MockAdapterId, MockPerson, MockState, RegistryMocksOptions } from './types.ts';

export * from './types.ts';
export { SPECIAL_IDS, specialCaseFor, type SpecialCase } from './special-ids.ts';
export { loadDemoPeople, readDemoIdentities, demoFacesDir, resolveFacePath, DEMO_IDENTITIES_FILE, type DemoIdentity } from './demo-identities.ts';
export { syntheticJpeg, notAnImage } from './fixtures.ts';

export interface RegistryMocks {
  handlers: RequestHandler[];
  state: MockState;
}

export function createRegistryMocks(options: RegistryMocksOptions = {}): RegistryMocks {
  const ctx = createMockContext(options);
  const base = (id: MockAdapterId) => (options.baseUrls?.[id] ?? MOCK_BASE_URLS[id]).replace(/\/+$/, '');
  const nibss: NibssMockState = { sessions: new Map() };
  const dha: DhaMockState = { tokens: new Map(), links: new Map() };
  const handlers: RequestHandler[] = [
    ...reniecHandlers(ctx, base('pe-reniec')),
    ...iprsHandlers(ctx, base('ke-iprs')),
    ...ninHandlers(ctx, base('ng-nin')),
    ...bvnHandlers(ctx, base('ng-bvn'), nibss),
    ...niaHandlers(ctx, base('gh-nia')),
    ...dhaHandlers(ctx, base('za-dha'), dha),
  ];
  const state: MockState = {
    lookups: (adapter) => ctx.counters.get(adapter) ?? 0,
    revokeTokens: () => dha.tokens.clear(),
    rotateNibssKeys: () => {
      for (const [code, s] of nibss.sessions) nibss.sessions.set(code, { ...s, password: `${s.password}x` });
    },
    expirePhotoLinks: () => {
      for (const link of dha.links.values()) link.expiresAt = 0;
    },
    reset: () => {
      ctx.counters.clear();
      ctx.rateLimiter.reset();
      nibss.sessions.clear();
      dha.tokens.clear();
      dha.links.clear();
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
