/**
 * A tiny in-test registry adapter (type TEST_ID, 8-digit numbers) whose behaviour per number is
 * scripted, and that counts lookups.
 */
import { RegistryRouter } from '../../src/registry/router.ts';
import { RegistryError, type LookupResult, type RegistryAdapter } from '../../src/registry/types.ts';

export const TEST_ID_TYPE = 'TEST_ID';

export const IDS = {
  found: '12345678',
  noRecord: '00000404',
  noPhoto: '00000405',
  restricted: '00000451',
  noFaceInPhoto: '00000422',
  photoNotImage: '00000415',
  down: '00000503',
  rateLimited: '00000429',
  circuitOpen: '00000599',
} as const;

export const IDENTITY = { full_name: 'Ada Test Person', first_name: 'Ada', last_name: 'Person', date_of_birth: '1990-01-02', gender: 'F' };

export interface TestRegistry {
  router: RegistryRouter;
  adapter: RegistryAdapter & { lookups: number };
}

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

export function createTestRegistry(): TestRegistry {
  const adapter = {
    id: 'test-registry',
    displayName: 'Test registry',
    idTypes: [TEST_ID_TYPE] as const,
    lookups: 0,
    validateIdNumber(_idType: string, idNumber: string) {
      const compact = idNumber.replace(/\s+/g, '');
      return /^\d{8}$/.test(compact) ? ({ ok: true, normalised: compact } as const) : ({ ok: false, reason: 'TEST_ID must be 8 digits' } as const);
    },
    async lookup(_idType: string, idNumber: string): Promise<LookupResult> {
      adapter.lookups++;
      const ok = (photo: Uint8Array): LookupResult => ({ identity: { ...IDENTITY }, photo: { bytes: photo, mediaType: 'image/jpeg' }, source: 'test-registry', fetchedAt: new Date() });
      switch (idNumber) {
        case IDS.noRecord:
          throw new RegistryError('NOT_FOUND', 'no record', { adapterId: 'test-registry' });
        case IDS.noPhoto:
          throw new RegistryError('PHOTO_MISSING', 'record has no photo', { adapterId: 'test-registry' });
        case IDS.restricted:
          throw new RegistryError('RESTRICTED', 'record restricted', { adapterId: 'test-registry' });
        case IDS.noFaceInPhoto:
          return ok(bytes('FAKEIMG:NOFACE'));
        case IDS.photoNotImage:
          return ok(bytes('%PDF-1.4'));
        case IDS.down:
          throw new RegistryError('UNAVAILABLE', 'registry timed out', { adapterId: 'test-registry' });
        case IDS.rateLimited:
          throw new RegistryError('RATE_LIMITED', 'quota exceeded', { adapterId: 'test-registry', retryAfterSeconds: 42 });
        case IDS.circuitOpen:
          throw new RegistryError('UNAVAILABLE', 'circuit open for test-registry', { adapterId: 'test-registry', retryable: false, retryAfterSeconds: 17 });
        default:
          return ok(bytes('FAKEIMG:REFERENCE'));
      }
    },
  };
  return { router: new RegistryRouter([adapter]), adapter };
}
