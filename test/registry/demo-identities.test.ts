import { ADAPTERS } from '../../adapters/index.ts';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoFacesDir, loadDemoPeople, readDemoIdentities, resolveFacePath } from '../../mocks/demo-identities.ts';
import { createRegistry } from '../../src/registry/index.ts';
import { sniffMediaType } from '../../src/registry/photo.ts';

const facesAvailable = existsSync(demoFacesDir());

describe('demo identities', () => {
  it('cover every adapter with valid numbers and a different selfie of the same person', async () => {
    const identities = await readDemoIdentities();
    const registry = createRegistry({}, { adapters: ADAPTERS });
    const served = new Set(registry.router.idTypes());
    expect(new Set(identities.map((i) => i.id_type))).toEqual(served);
    expect(identities.length).toBeGreaterThanOrEqual(12);
    for (const i of identities) {
      expect(registry.router.validate(i.id_type, i.id_number), `${i.name}`).toMatchObject({ ok: true });
      expect(i.selfie).not.toBe(i.registry_photo);
      expect(path.dirname(i.selfie)).toBe(path.dirname(i.registry_photo));
      expect(path.isAbsolute(i.selfie)).toBe(false);
    }
    expect(identities.some((i) => i.photo_variant === 'grayscale')).toBe(true);
    expect(identities.some((i) => i.photo_variant === 'low_quality')).toBe(true);
    const numbers = identities.map((i) => `${i.id_type}:${i.id_number}`);
    expect(new Set(numbers).size).toBe(numbers.length);
    await registry.close();
  });

  it.skipIf(!facesAvailable)('load as small JPEG registry photos from the faces folder, in place', async () => {
    const identities = await readDemoIdentities();
    for (const i of identities) {
      expect(existsSync(resolveFacePath(i.registry_photo)), i.registry_photo).toBe(true);
      expect(existsSync(resolveFacePath(i.selfie)), i.selfie).toBe(true);
    }
    const skipped: string[] = [];
    const people = await loadDemoPeople({ onSkip: (i) => skipped.push(i.name) });
    expect(skipped).toEqual([]);
    expect(people).toHaveLength(identities.length);
    for (const p of people) {
      expect(sniffMediaType(p.photo)).toBe('image/jpeg');
      expect(p.photo.length).toBeLessThan(120_000);
    }
  });
});
