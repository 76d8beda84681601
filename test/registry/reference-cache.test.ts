import { describe, expect, it } from 'vitest';
import { ReferenceCache } from '../../src/registry/reference-cache.ts';

describe('ReferenceCache', () => {
  it('expires entries after the TTL on the injected clock', () => {
    let now = 1_000;
    const cache = new ReferenceCache<{ embedding: number[] }>({ ttlMs: 60_000, maxEntries: 10, now: () => now });
    cache.set('ZA_ID', '8001015009087', { embedding: [1, 2, 3] });
    now += 59_999;
    expect(cache.get('ZA_ID', '8001015009087')).toEqual({ embedding: [1, 2, 3] });
    now += 2;
    expect(cache.get('ZA_ID', '8001015009087')).toBeUndefined();
  });

  it('never keeps the ID number in clear as a key, and the key depends on id_type', () => {
    const cache = new ReferenceCache<object>({ ttlMs: 1000, maxEntries: 10 });
    cache.set('NG_NIN', '70123456789', {});
    const keys = cache.keys();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(keys[0]).not.toContain('70123456789');
    expect(cache.keyFor('NG_BVN', '70123456789')).not.toBe(keys[0]);
    expect(cache.get('NG_BVN', '70123456789')).toBeUndefined();
  });

  it('uses a per-instance random salt unless one is given', () => {
    const a = new ReferenceCache<object>({ ttlMs: 1000, maxEntries: 10 });
    const b = new ReferenceCache<object>({ ttlMs: 1000, maxEntries: 10 });
    expect(a.keyFor('PE_DNI', '10117410')).not.toBe(b.keyFor('PE_DNI', '10117410'));
    const salt = new Uint8Array(32).fill(7);
    const c = new ReferenceCache<object>({ ttlMs: 1000, maxEntries: 10, salt });
    const d = new ReferenceCache<object>({ ttlMs: 1000, maxEntries: 10, salt });
    expect(c.keyFor('PE_DNI', '10117410')).toBe(d.keyFor('PE_DNI', '10117410'));
  });

  it('evicts the least recently used entry beyond maxEntries', () => {
    const cache = new ReferenceCache<{ n: number }>({ ttlMs: 60_000, maxEntries: 2 });
    cache.set('T', '1', { n: 1 });
    cache.set('T', '2', { n: 2 });
    cache.get('T', '1');
    cache.set('T', '3', { n: 3 });
    expect(cache.get('T', '2')).toBeUndefined();
    expect(cache.get('T', '1')).toEqual({ n: 1 });
    expect(cache.size).toBe(2);
  });

  it('rejects nonsensical options', () => {
    expect(() => new ReferenceCache({ ttlMs: 0, maxEntries: 1 })).toThrow(RangeError);
  });
});
