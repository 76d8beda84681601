/**
 * One conformance suite, run for every adapter in adapters/index.ts against its msw mock: found, not found, invalid
 * (local and remote), wrong credentials, timeout, 5xx (retried), malformed, rate limit, photo
 * missing, photo not an image, restricted — plus each adapter's own auth quirks.
 */
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../adapters/index.ts';
import { createRegistryMocks, MOCK_MODULES, SPECIAL_IDS, syntheticJpeg, type MockPerson, type RegistryMocks, type SpecialCase } from '../../mocks/index.ts';
import { createAdapter, type AdapterPlugin, type ConformanceFixture } from '../../src/registry/index.ts';
import { parseRegistryConfig } from '../../src/registry/config.ts';
import { createHttpClient, type HttpClient } from '../../src/registry/http.ts';
import { CircuitBreaker, withResilience } from '../../src/registry/resilience.ts';
import { RegistryError, type RegistryAdapter } from '../../src/registry/types.ts';
import type { RegistryLogger } from '../../src/registry/adapter-kit.ts';

/** One target per plug-in in the list, with the fixture its mock module publishes. */
interface Target extends ConformanceFixture {
  adapterId: string;
  plugin: AdapterPlugin;
}

const TARGETS: Target[] = ADAPTERS.map((plugin) => {
  const mock = MOCK_MODULES.find((m) => m.id === plugin.id);
  if (!mock) throw new Error(`no mock module for ${plugin.id}`);
  return { ...mock.module.conformance, adapterId: plugin.id, plugin };
});

const PHOTO = syntheticJpeg();

function personFor(t: Target): MockPerson {
  return {
    id_type: t.idType,
    id_number: t.foundId,
    first_name: 'Ada',
    middle_name: 'Grace',
    last_name: 'Lovelace',
    date_of_birth: '1985-07-14',
    gender: 'F',
    address: '1 Test Road',
    photo: PHOTO,
    ...t.person,
  };
}

const server = setupServer();
let mocks: RegistryMocks;
let http: HttpClient;

beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
  http = createHttpClient({ timeoutMs: 250 });
});
afterAll(async () => {
  server.close();
  await http.close();
});

function useMocks(options: Parameters<typeof createRegistryMocks>[0] = {}) {
  mocks = createRegistryMocks({ people: TARGETS.map(personFor), ...options });
  server.resetHandlers(...mocks.handlers);
}

beforeEach(() => useMocks());

interface Built {
  adapter: RegistryAdapter;
  logs: Array<Record<string, unknown> | undefined>;
}

function build(t: Target, opts: { config?: Record<string, unknown>; maxAttempts?: number } = {}): Built {
  const logs: Built['logs'] = [];
  const logger: RegistryLogger = { info: (m, f) => logs.push({ m, ...f }), warn: (m, f) => logs.push({ m, ...f }) };
  const config = parseRegistryConfig(ADAPTERS, { adapters: { [t.adapterId]: opts.config ?? {} } });
  const raw = createAdapter(t.plugin, config, { http, logger });
  const adapter = withResilience(raw, {
    retry: { maxAttempts: opts.maxAttempts ?? 3, baseDelayMs: 1, maxDelayMs: 4, maxRetryAfterSeconds: 0 },
    breaker: new CircuitBreaker(t.adapterId, { failureThreshold: 1000, resetTimeoutMs: 1000, halfOpenMaxCalls: 1 }),
  });
  return { adapter, logs };
}

async function failure(p: Promise<unknown>): Promise<RegistryError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(RegistryError);
    return err as RegistryError;
  }
  throw new Error('expected the lookup to fail');
}

const ctx = { requestId: 'req-conformance' };

function conformance(t: Target) {
  const special = SPECIAL_IDS[t.adapterId]!;
  const supports = (c: SpecialCase) => !(t.unsupported ?? []).includes(c);

  describe(`${t.adapterId} conformance`, () => {
    it('serves its id_type and validates the found number', () => {
      const { adapter } = build(t);
      expect(adapter.idTypes).toContain(t.idType);
      expect(adapter.validateIdNumber(t.idType, t.foundInput ?? t.foundId)).toEqual({ ok: true, normalised: t.foundId });
      expect(adapter.validateIdNumber('XX_OTHER', t.foundId).ok).toBe(false);
    });

    it('found: returns the identity and the JPEG reference photo with a sniffed media type', async () => {
      const { adapter, logs } = build(t);
      const r = await adapter.lookup(t.idType, t.foundInput ?? t.foundId, ctx);
      expect(r.source).toBe(t.adapterId);
      expect(r.identity.full_name.toLowerCase()).toContain('ada');
      expect(r.identity.full_name.toLowerCase()).toContain('lovelace');
      if (r.identity.date_of_birth !== undefined) expect(r.identity.date_of_birth).toBe('1985-07-14');
      for (const key of Object.keys(r.identity)) expect(key).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(r.photo.mediaType).toBe('image/jpeg');
      expect(Buffer.from(r.photo.bytes).equals(Buffer.from(PHOTO))).toBe(true);
      expect(r.fetchedAt).toBeInstanceOf(Date);
      // Never log the ID number or the photo.
      const logged = JSON.stringify(logs);
      expect(logged).not.toContain(t.foundId);
      expect(logged).not.toContain(Buffer.from(PHOTO).toString('base64').slice(0, 40));
    });

    it('not found → NOT_FOUND', async () => {
      const err = await failure(build(t).adapter.lookup(t.idType, special.not_found, ctx));
      expect(err.kind).toBe('NOT_FOUND');
      // Registry messages are scrubbed: the error (which gets logged) never carries the ID number.
      expect(err.message).not.toContain(special.not_found);
    });

    it('invalid number → INVALID_ID locally, without calling the registry', async () => {
      const { adapter } = build(t);
      for (const bad of t.invalidLocal) {
        expect(adapter.validateIdNumber(t.idType, bad).ok, bad).toBe(false);
        const err = await failure(adapter.lookup(t.idType, bad, ctx));
        expect(err.kind).toBe('INVALID_ID');
      }
      expect(mocks.state.lookups(t.adapterId)).toBe(0);
    });

    it('invalid number rejected by the registry → INVALID_ID, not retried', async () => {
      const err = await failure(build(t).adapter.lookup(t.idType, special.remote_invalid, ctx));
      expect(err.kind).toBe('INVALID_ID');
      expect(mocks.state.lookups(t.adapterId)).toBeLessThanOrEqual(1);
    });

    it('wrong credentials → UNAUTHORISED, not retried', async () => {
      const err = await failure(build(t, { config: t.badCredentials }).adapter.lookup(t.idType, t.foundId, ctx));
      expect(err.kind).toBe('UNAUTHORISED');
      expect(mocks.state.lookups(t.adapterId)).toBe(0);
    });

    it('registry hangs beyond the timeout → UNAVAILABLE', async () => {
      const started = Date.now();
      const err = await failure(build(t, { maxAttempts: 1 }).adapter.lookup(t.idType, special.hang, ctx));
      expect(err.kind).toBe('UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(2_000);
    });

    it('5xx → UNAVAILABLE after retrying', async () => {
      const err = await failure(build(t, { maxAttempts: 3 }).adapter.lookup(t.idType, special.server_error, ctx));
      expect(err.kind).toBe('UNAVAILABLE');
      expect(mocks.state.lookups(t.adapterId)).toBe(3);
    });

    it('a transient 5xx is retried and the lookup succeeds', async () => {
      const r = await build(t, { maxAttempts: 3 }).adapter.lookup(t.idType, special.flaky, ctx);
      expect(r.photo.mediaType).toBe('image/jpeg');
      expect(mocks.state.lookups(t.adapterId)).toBe(2);
    });

    it('malformed body → MALFORMED, not retried', async () => {
      const err = await failure(build(t).adapter.lookup(t.idType, special.malformed, ctx));
      expect(err.kind).toBe('MALFORMED');
      expect(mocks.state.lookups(t.adapterId)).toBe(1);
    });

    it('rate limit → RATE_LIMITED with retryAfterSeconds', async () => {
      const err = await failure(build(t).adapter.lookup(t.idType, special.rate_limited, ctx));
      expect(err.kind).toBe('RATE_LIMITED');
      expect(err.options.retryAfterSeconds).toBeGreaterThan(0);
      expect(mocks.state.lookups(t.adapterId)).toBe(1);
    });

    it('per-key rate limit counters trip after the quota', async () => {
      useMocks({ rateLimit: { limit: 2, windowMs: 60_000 }, reniecDailyQuota: 2 });
      const { adapter } = build(t);
      await adapter.lookup(t.idType, t.foundId, ctx);
      await adapter.lookup(t.idType, t.foundId, ctx);
      const err = await failure(adapter.lookup(t.idType, t.foundId, ctx));
      expect(err.kind).toBe('RATE_LIMITED');
      expect(err.options.retryAfterSeconds).toBeGreaterThan(0);
    });

    it('record without photo → PHOTO_MISSING', async () => {
      const err = await failure(build(t).adapter.lookup(t.idType, special.photo_missing, ctx));
      expect(err.kind).toBe('PHOTO_MISSING');
    });

    it('photo that is not an image → PHOTO_UNUSABLE, not retried', async () => {
      const err = await failure(build(t).adapter.lookup(t.idType, special.photo_not_image, ctx));
      expect(err.kind).toBe('PHOTO_UNUSABLE');
      expect(err.retryable).toBe(false);
      expect(mocks.state.lookups(t.adapterId)).toBe(1);
    });

    it.skipIf(!supports('restricted'))('restricted / deceased / blocked record → RESTRICTED', async () => {
      const err = await failure(build(t).adapter.lookup(t.idType, special.restricted, ctx));
      expect(err.kind).toBe('RESTRICTED');
    });

    it('rejects an id_type it does not serve', async () => {
      const err = await failure(build(t).adapter.lookup('XX_OTHER', t.foundId, ctx));
      expect(err.kind).toBe('INVALID_ID');
    });
  });
}

for (const t of TARGETS) conformance(t);

describe('adapter-specific behaviour', () => {
  const byId = (id: string) => TARGETS.find((t) => t.adapterId === id)!;

  it('za-dha: caches the OAuth token and refreshes it once after a 401', async () => {
    const t = byId('za-dha');
    const { adapter } = build(t);
    await adapter.lookup(t.idType, t.foundId, ctx);
    mocks.state.revokeTokens();
    const r = await adapter.lookup(t.idType, t.foundId, ctx);
    expect(r.identity.full_name).toContain('Lovelace');
  });

  it('za-dha: an expired photo link → UNAVAILABLE', async () => {
    const t = byId('za-dha');
    const err = await failure(build(t, { maxAttempts: 1 }).adapter.lookup(t.idType, SPECIAL_IDS['za-dha']!.expired_link, ctx));
    expect(err.kind).toBe('UNAVAILABLE');
  });

  it('za-dha: the refused client credentials surface as UNAUTHORISED from the token endpoint', async () => {
    const t = byId('za-dha');
    const err = await failure(build(t, { config: t.badCredentials }).adapter.lookup(t.idType, t.foundId, ctx));
    expect(err.message).toMatch(/client credentials/);
  });

  it('ng-bvn: rotated session keys → one Reset, then success', async () => {
    const t = byId('ng-bvn');
    const { adapter } = build(t);
    await adapter.lookup(t.idType, t.foundId, ctx);
    mocks.state.rotateNibssKeys();
    const r = await adapter.lookup(t.idType, t.foundId, ctx);
    expect(r.identity.full_name).toContain('LOVELACE');
  });

  it('pe-reniec: daily quota (1003) is not retried and waits until midnight in Lima', async () => {
    const t = byId('pe-reniec');
    const err = await failure(build(t).adapter.lookup(t.idType, SPECIAL_IDS['pe-reniec']!.rate_limited, ctx));
    expect(err.kind).toBe('RATE_LIMITED');
    expect(err.retryable).toBe(false);
    expect(err.options.retryAfterSeconds).toBeLessThanOrEqual(86_400);
  });

  it('ke-iprs: maps the .NET date of birth to ISO', async () => {
    const t = byId('ke-iprs');
    const r = await build(t).adapter.lookup(t.idType, t.foundId, ctx);
    expect(r.identity.date_of_birth).toBe('1985-07-14');
    expect(r.identity.gender).toBe('F');
  });
});
