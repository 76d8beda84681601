import { ADAPTERS } from '../../adapters/index.ts';
import { describe, expect, it } from 'vitest';
import { RegistryRouter, UnknownIdTypeError } from '../../src/registry/router.ts';
import { createRegistry } from '../../src/registry/index.ts';
import { RegistryError, type LookupResult, type RegistryAdapter } from '../../src/registry/types.ts';

function fake(id: string, idTypes: string[], calls: string[] = []): RegistryAdapter {
  return {
    id,
    displayName: id,
    idTypes,
    validateIdNumber: (_t, n) => (/^\d+$/.test(n.trim()) ? { ok: true, normalised: n.trim() } : { ok: false, reason: 'digits only' }),
    lookup: async (idType, idNumber) => {
      calls.push(`${idType}:${idNumber}`);
      return { identity: { full_name: id }, photo: { bytes: new Uint8Array(), mediaType: 'image/jpeg' }, source: id, fetchedAt: new Date(0) } as LookupResult;
    },
  };
}

describe('RegistryRouter', () => {
  it('routes each id_type to its adapter and lists the served types', async () => {
    const calls: string[] = [];
    const router = new RegistryRouter([fake('a', ['B_TYPE', 'A_TYPE'], calls), fake('b', ['C_TYPE'], calls)]);
    expect(router.idTypes()).toEqual(['A_TYPE', 'B_TYPE', 'C_TYPE']);
    expect(router.adapterFor('C_TYPE').id).toBe('b');
    const r = await router.lookup('B_TYPE', ' 123 ', { requestId: 'r' });
    expect(r.source).toBe('a');
    expect(calls).toEqual(['B_TYPE:123']); // normalised before the adapter is called
  });

  it('an unknown id_type is a typed UnknownIdTypeError listing the supported ones', async () => {
    const router = new RegistryRouter([fake('a', ['A_TYPE'])]);
    const err = await router.lookup('XX', '1', { requestId: 'r' }).catch((e) => e);
    expect(err).toBeInstanceOf(UnknownIdTypeError);
    expect(err.code).toBe('UNKNOWN_ID_TYPE');
    expect(err.supported).toEqual(['A_TYPE']);
    expect(() => router.validate('XX', '1')).toThrow(UnknownIdTypeError);
  });

  it('an invalid number is RegistryError INVALID_ID before any adapter call', async () => {
    const calls: string[] = [];
    const router = new RegistryRouter([fake('a', ['A_TYPE'], calls)]);
    const err = await router.lookup('A_TYPE', 'abc', { requestId: 'r' }).catch((e) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect(err.kind).toBe('INVALID_ID');
    expect(calls).toEqual([]);
  });

  it('refuses two adapters claiming the same id_type', () => {
    expect(() => new RegistryRouter([fake('a', ['A_TYPE']), fake('b', ['A_TYPE'])])).toThrow(/both a and b/);
  });
});

describe('createRegistry', () => {
  it('builds every listed adapter from an empty config and serves their id types', async () => {
    const registry = createRegistry({}, { adapters: ADAPTERS });
    expect(registry.router.idTypes()).toEqual(['BR_CPF', 'GH_GHANA_CARD', 'IN_AADHAAR', 'KE_NATIONAL_ID', 'MX_CURP', 'MX_INE', 'NG_BVN', 'NG_NIN', 'PE_DNI', 'ZA_ID']);
    expect([...registry.breakers.keys()].sort()).toEqual(['br-serpro', 'gh-nia', 'in-aadhaar', 'ke-iprs', 'mx-ine', 'ng-bvn', 'ng-nin', 'pe-reniec', 'za-dha']);
    await registry.close();
  });

  it('drops disabled adapters and rejects invalid config', async () => {
    const registry = createRegistry({ adapters: { 'ng-bvn': { enabled: false } } }, { adapters: ADAPTERS });
    expect(registry.router.has('NG_BVN')).toBe(false);
    await registry.close();
    expect(() => createRegistry({ adapters: { 'pe-reniec': { baseUrl: 'not a url' } } }, { adapters: ADAPTERS })).toThrow();
    expect(() => createRegistry({ timeouts: { requestMs: -1 } }, { adapters: ADAPTERS })).toThrow();
  });
});
