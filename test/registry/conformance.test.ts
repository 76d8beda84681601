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

function built(t: Target): RegistryAdapter {
  return createAdapter(t.plugin, parseRegistryConfig(ADAPTERS, { adapters: { [t.adapterId]: t.config ?? {} } }), { http });
}

interface Built {
  adapter: RegistryAdapter;
  logs: Array<Record<string, unknown> | undefined>;
}

function build(t: Target, opts: { config?: Record<string, unknown>; maxAttempts?: number } = {}): Built {
  const logs: Built['logs'] = [];
  const logger: RegistryLogger = { info: (m, f) => logs.push({ m, ...f }), warn: (m, f) => logs.push({ m, ...f }) };
  const config = parseRegistryConfig(ADAPTERS, { adapters: { [t.adapterId]: { ...t.config, ...opts.config } } });
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
  const supports = (c: SpecialCase | 'wrong_credentials') => !(t.unsupported ?? []).includes(c);
  const atSource = built(t).matchAtSourceIdTypes?.includes(t.idType) === true;
  /** The registry call under test: a lookup, or (match at source) a face check with the found person's photo as the selfie. */
  const call = async (adapter: RegistryAdapter, idNumber: string) => {
    if (atSource) return adapter.verifyFace!(t.idType, idNumber, PHOTO, ctx);
    // Document-based id_types: the caller sends the person's signed document with the number.
    const p = personFor(t);
    const document = await t.document?.({ idNumber, fullName: `${p.first_name} ${p.last_name}`, dateOfBirth: p.date_of_birth, gender: p.gender, photo: p.photo });
    return adapter.lookup(t.idType, idNumber, { ...ctx, document });
  };

  describe(`${t.adapterId} conformance`, () => {
    it('serves its id_type and validates the found number', () => {
      const { adapter } = build(t);
      expect(adapter.idTypes).toContain(t.idType);
      expect(adapter.validateIdNumber(t.idType, t.foundInput ?? t.foundId)).toEqual({ ok: true, normalised: t.foundId });
      expect(adapter.validateIdNumber('XX_OTHER', t.foundId).ok).toBe(false);
    });

    it.skipIf(atSource)('found: returns the identity and the JPEG reference photo with a sniffed media type', async () => {
      const { adapter, logs } = build(t);
      const r = await call(adapter, t.foundInput ?? t.foundId);
      if (!('photo' in r)) throw new Error('expected a lookup result');
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

    it.skipIf(!atSource)('match at source, found: the same face scores in the top band, another face in the bottom band', async () => {
      const { adapter, logs } = build(t);
      const same = await adapter.verifyFace!(t.idType, t.foundInput ?? t.foundId, PHOTO, ctx);
      expect(same.source).toBe(t.adapterId);
      expect(same.similarity).toBeGreaterThanOrEqual(0.93);
      expect(same.band).toBe(same.scoreTable[same.scoreTable.length - 1]!.label);
      for (const key of Object.keys(same.identity)) expect(key).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(JSON.stringify(same.identity)).not.toContain(t.foundId);
      const other = await adapter.verifyFace!(t.idType, t.foundId, new Uint8Array([...PHOTO, 0]), ctx);
      expect(other.similarity).toBeLessThan(same.similarity);
      expect(other.band).toBe(other.scoreTable[0]!.label);
      const logged = JSON.stringify(logs);
      expect(logged).not.toContain(t.foundId);
      expect(logged).not.toContain(Buffer.from(PHOTO).toString('base64').slice(0, 40));
    });

    it.skipIf(!atSource)('match at source: a lookup (photo) is refused as FACE_MATCH_UNSUPPORTED without a registry call', async () => {
      const err = await failure(build(t).adapter.lookup(t.idType, t.foundId, ctx));
      expect(err.kind).toBe('FACE_MATCH_UNSUPPORTED');
      expect(mocks.state.lookups(t.adapterId)).toBe(0);
    });

    it.skipIf(!supports('not_found'))('not found → NOT_FOUND', async () => {
      const err = await failure(call(build(t).adapter, special.not_found));
      expect(err.kind).toBe('NOT_FOUND');
      // Registry messages are scrubbed: the error (which gets logged) never carries the ID number.
      expect(err.message).not.toContain(special.not_found);
    });

    it('invalid number → INVALID_ID locally, without calling the registry', async () => {
      const { adapter } = build(t);
      for (const bad of t.invalidLocal) {
        expect(adapter.validateIdNumber(t.idType, bad).ok, bad).toBe(false);
        const err = await failure(call(adapter, bad));
        expect(err.kind).toBe('INVALID_ID');
      }
      expect(mocks.state.lookups(t.adapterId)).toBe(0);
    });

    it.skipIf(!supports('remote_invalid'))('invalid number rejected by the registry → INVALID_ID, not retried', async () => {
      const err = await failure(call(build(t).adapter, special.remote_invalid));
      expect(err.kind).toBe('INVALID_ID');
      expect(mocks.state.lookups(t.adapterId)).toBeLessThanOrEqual(1);
    });

    it.skipIf(!supports('wrong_credentials'))('wrong credentials → UNAUTHORISED, not retried', async () => {
      const err = await failure(call(build(t, { config: t.badCredentials }).adapter, t.foundId));
      expect(err.kind).toBe('UNAUTHORISED');
      expect(mocks.state.lookups(t.adapterId)).toBe(0);
    });

    it.skipIf(!supports('hang'))('registry hangs beyond the timeout → UNAVAILABLE', async () => {
      const started = Date.now();
      const err = await failure(call(build(t, { maxAttempts: 1 }).adapter, special.hang));
      expect(err.kind).toBe('UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(2_000);
    });

    it.skipIf(!supports('server_error'))('5xx → UNAVAILABLE after retrying', async () => {
      const err = await failure(call(build(t, { maxAttempts: 3 }).adapter, special.server_error));
      expect(err.kind).toBe('UNAVAILABLE');
      expect(mocks.state.lookups(t.adapterId)).toBe(3);
    });

    it.skipIf(!supports('flaky'))('a transient 5xx is retried and the lookup succeeds', async () => {
      const r = await call(build(t, { maxAttempts: 3 }).adapter, special.flaky);
      if ('photo' in r) expect(r.photo.mediaType).toBe('image/jpeg');
      else expect(r.similarity).toBeGreaterThan(0);
      expect(mocks.state.lookups(t.adapterId)).toBe(2);
    });

    it.skipIf(!supports('malformed'))('malformed body → MALFORMED, not retried', async () => {
      const err = await failure(call(build(t).adapter, special.malformed));
      expect(err.kind).toBe('MALFORMED');
      expect(mocks.state.lookups(t.adapterId)).toBe(1);
    });

    it.skipIf(!supports('rate_limited'))('rate limit → RATE_LIMITED with retryAfterSeconds', async () => {
      const err = await failure(call(build(t).adapter, special.rate_limited));
      expect(err.kind).toBe('RATE_LIMITED');
      expect(err.options.retryAfterSeconds).toBeGreaterThan(0);
      expect(mocks.state.lookups(t.adapterId)).toBe(1);
    });

    it.skipIf(!supports('rate_limited'))('per-key rate limit counters trip after the quota', async () => {
      useMocks({ rateLimit: { limit: 2, windowMs: 60_000 }, reniecDailyQuota: 2 });
      const { adapter } = build(t);
      await call(adapter, t.foundId);
      await call(adapter, t.foundId);
      const err = await failure(call(adapter, t.foundId));
      expect(err.kind).toBe('RATE_LIMITED');
      expect(err.options.retryAfterSeconds).toBeGreaterThan(0);
    });

    it.skipIf(!supports('photo_missing'))('record without photo → PHOTO_MISSING (match at source: NO_REFERENCE_FACE)', async () => {
      const err = await failure(call(build(t).adapter, special.photo_missing));
      expect(err.kind).toBe(atSource ? 'NO_REFERENCE_FACE' : 'PHOTO_MISSING');
    });

    it.skipIf(!supports('photo_not_image'))('photo that is not an image → PHOTO_UNUSABLE, not retried', async () => {
      const err = await failure(call(build(t).adapter, special.photo_not_image));
      expect(err.kind).toBe('PHOTO_UNUSABLE');
      expect(err.retryable).toBe(false);
      expect(mocks.state.lookups(t.adapterId)).toBe(1);
    });

    it.skipIf(!supports('restricted'))('restricted / deceased / blocked record → RESTRICTED', async () => {
      const err = await failure(call(build(t).adapter, special.restricted));
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

  it('br-serpro: reuses the OAuth token, and after it expires (401) refreshes it once and succeeds', async () => {
    const t = byId('br-serpro');
    const { adapter, logs } = build(t);
    await adapter.verifyFace!(t.idType, t.foundId, PHOTO, ctx);
    await adapter.verifyFace!(t.idType, t.foundId, PHOTO, ctx);
    expect(logs.filter((l) => /refreshing/.test(String(l?.m)))).toHaveLength(0);
    mocks.state.revokeTokens();
    const r = await adapter.verifyFace!(t.idType, t.foundId, PHOTO, ctx);
    expect(r.band).toBe('Altíssima probabilidade');
    expect(logs.filter((l) => /refreshing/.test(String(l?.m)))).toHaveLength(1);
    expect(mocks.state.lookups('br-serpro')).toBe(3);
  });

  it('br-serpro: refused consumer credentials surface as UNAUTHORISED from the token endpoint', async () => {
    const t = byId('br-serpro');
    const err = await failure(build(t, { config: t.badCredentials }).adapter.verifyFace!(t.idType, t.foundId, PHOTO, ctx));
    expect(err.kind).toBe('UNAUTHORISED');
    expect(err.message).toMatch(/Serpro refused our client credentials/);
  });

  it('br-serpro: a CPF with a wrong check digit never reaches Datavalid', async () => {
    const t = byId('br-serpro');
    const err = await failure(build(t).adapter.verifyFace!(t.idType, '123.456.789-08', PHOTO, ctx));
    expect(err.kind).toBe('INVALID_ID');
    expect(err.message).toMatch(/check digits/);
    expect(mocks.state.lookups('br-serpro')).toBe(0);
  });

  it("mx-ine: INE's vigencia is reported as an identity field (valid, expired, reported lost)", async () => {
    const t = byId('mx-ine');
    const lost = '271828182-845904001';
    const expired = '271828182-845904002';
    useMocks({ people: [personFor(t), { ...personFor(t), id_number: lost }, { ...personFor(t), id_number: expired }] });
    const { adapter } = build(t);
    expect((await adapter.verifyFace!(t.idType, t.foundId, PHOTO, ctx)).identity.ine_vigencia).toBe('valid');
    expect((await adapter.verifyFace!(t.idType, lost, PHOTO, ctx)).identity.ine_vigencia).toBe('reported_lost');
    expect((await adapter.verifyFace!(t.idType, expired, PHOTO, ctx)).identity.ine_vigencia).toBe('expired');
  });

  it('mx-ine: a valid MX_CURP is refused for face match (no photo at RENAPO) without a call; a bad one fails its check digit', async () => {
    const t = byId('mx-ine');
    const { adapter } = build(t);
    expect(adapter.validateIdNumber('MX_CURP', 'BOXW310820HNERXN09')).toEqual({ ok: true, normalised: 'BOXW310820HNERXN09' });
    expect(adapter.validateIdNumber('MX_CURP', 'BOXW310820HNERXN08')).toMatchObject({ ok: false, reason: expect.stringMatching(/check digit/) });
    const err = await failure(adapter.lookup('MX_CURP', 'BOXW310820HNERXN09', ctx));
    expect(err.kind).toBe('FACE_MATCH_UNSUPPORTED');
    expect(err.message).toMatch(/RENAPO/);
    expect(adapter.matchAtSourceIdTypes).not.toContain('MX_CURP');
    expect(mocks.state.lookups('mx-ine')).toBe(0);
  });

  it('ke-iprs: maps the .NET date of birth to ISO', async () => {
    const t = byId('ke-iprs');
    const r = await build(t).adapter.lookup(t.idType, t.foundId, ctx);
    expect(r.identity.date_of_birth).toBe('1985-07-14');
    expect(r.identity.gender).toBe('F');
  });
});
