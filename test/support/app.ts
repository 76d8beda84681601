/** Builds the app for HTTP-layer tests: fake engine, scripted registry, memory logger, chosen accounts. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AccountsConfig } from '../../src/accounts/config.ts';
import { hashApiKey } from '../../src/accounts/keys.ts';
import { createAccountStore } from '../../src/accounts/store.ts';
import { createMemoryLedger, openUsageLedger, type UsageLedger } from '../../src/billing/ledger.ts';
import { createMemoryLogger } from '../../src/logging/logger.ts';
import { createPolicy } from '../../src/policy/policy.ts';
import { createReferenceCache } from '../../src/registry/reference-cache.ts';
import { createApp } from '../../src/server/app.ts';
import type { Services } from '../../src/server/services.ts';
import type { CachedReference } from '../../src/service/face-comparison.ts';
import { createFakeEngine, type FakeEngine } from './fake-engine.ts';
import { createTestRegistry, TEST_ID_TYPE, type TestRegistry } from './registry.ts';

export const KEYS = {
  approved: 'fm_test_approved_key_0000000000000001',
  other: 'fm_test_other_org_key_00000000000000002',
  unapproved: 'fm_test_unapproved_key_000000000000003',
  unsubscribed: 'fm_test_unsubscribed_key_0000000000004',
  revoked: 'fm_test_revoked_key_000000000000000005',
} as const;

export function testAccounts(): AccountsConfig {
  return {
    organisations: [
      { id: 'acme', name: 'Acme Bank', approved: true, services: ['face_match'] },
      { id: 'globex', name: 'Globex', approved: true, services: ['face_match'] },
      { id: 'pending', name: 'Pending Ltd', approved: false, services: ['face_match'] },
      { id: 'nosub', name: 'No Subscription Ltd', approved: true, services: ['liveness'] },
    ],
    api_keys: [
      { id: 'k1', org_id: 'acme', hash: hashApiKey(KEYS.approved), revoked: false },
      { id: 'k2', org_id: 'globex', hash: hashApiKey(KEYS.other), revoked: false },
      { id: 'k3', org_id: 'pending', hash: hashApiKey(KEYS.unapproved), revoked: false },
      { id: 'k4', org_id: 'nosub', hash: hashApiKey(KEYS.unsubscribed), revoked: false },
      { id: 'k5', org_id: 'acme', hash: hashApiKey(KEYS.revoked), revoked: true },
    ],
  };
}

export interface TestHarness {
  app: ReturnType<typeof createApp>;
  services: Services;
  engine: FakeEngine;
  registry: TestRegistry;
  logLines: string[];
  ledger: UsageLedger;
  /** POST /v1/face-comparison with a JSON body (or a raw string) and the approved key unless given. */
  compare(body: unknown, opts?: { key?: string | null; headers?: Record<string, string> }): Promise<Response>;
}

export function createHarness(overrides: Partial<Services> = {}): TestHarness {
  const engine = createFakeEngine();
  const registry = createTestRegistry();
  const { logger, lines } = createMemoryLogger('debug');
  const ledger = overrides.ledger ?? createMemoryLedger();
  const services: Services = {
    registry: registry.router,
    engine,
    policy: createPolicy(),
    cache: createReferenceCache<CachedReference>({ ttlMs: 60_000, maxEntries: 100 }),
    accounts: createAccountStore(testAccounts()),
    ledger,
    logger,
    clock: { now: () => new Date('2026-11-23T12:00:00.000Z') },
    ...overrides,
  };
  const app = createApp(services);
  const compare: TestHarness['compare'] = (body, opts = {}) => {
    const key = opts.key === undefined ? KEYS.approved : opts.key;
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...opts.headers };
    return Promise.resolve(app.request('/v1/face-comparison', { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) }));
  };
  return { app, services, engine: services.engine as FakeEngine, registry, logLines: lines, ledger, compare };
}

export function validBody(extra: Record<string, unknown> = {}) {
  return { id_type: TEST_ID_TYPE, id_number: '12345678', ...extra };
}

export async function tempLedger() {
  const dir = mkdtempSync(path.join(tmpdir(), 'facematch-ledger-'));
  const file = path.join(dir, 'usage.jsonl');
  return { file, ledger: await openUsageLedger(file) };
}
