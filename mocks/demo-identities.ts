/**
 * Demo identities: synthetic ID numbers (passing each registry's checks) mapped to photos of real
 * people in the shared demo faces folder. Photos are read in place at start-up and re-encoded as
 * registries send them (JPEG, small; some grayscale or heavily compressed); nothing is copied into
 * the repository.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { z } from 'zod';
import { envVar } from '../src/config/env.ts';
import { dataDir } from '../src/config/paths.ts';
import { ADAPTERS } from '../adapters/index.ts';
import { parseRegistryConfig } from '../src/registry/config.ts';
import type { HttpClient } from '../src/registry/http.ts';
import { createAdapter, RegistryRouter } from '../src/registry/index.ts';
import type { MockPerson } from './types.ts';

export const DEMO_IDENTITIES_FILE = fileURLToPath(new URL('./demo-identities.json', import.meta.url));

/** No network here: the adapters are built only for their ID-number validators. */
const offline: HttpClient = { request: () => Promise.reject(new Error('offline')), close: async () => {} };

/** Every adapter's validator, by id_type. */
function validators(): RegistryRouter {
  const config = parseRegistryConfig(ADAPTERS, {});
  return new RegistryRouter(ADAPTERS.map((plugin) => createAdapter(plugin, config, { http: offline })));
}

export const demoIdentitySchema = z.object({
  id_type: z.string(),
  id_number: z.string(),
  name: z.string(),
  first_name: z.string(),
  middle_name: z.string().optional(),
  last_name: z.string(),
  date_of_birth: z.iso.date(),
  gender: z.enum(['M', 'F']),
  address: z.string().optional(),
  /** Repo-relative path of a different photo of the same person, to submit as the selfie. */
  selfie: z.string(),
  /** Repo-relative path of the photo the mock registry holds. */
  registry_photo: z.string(),
  photo_variant: z.enum(['grayscale', 'low_quality']).optional(),
  photo_encoding: z.enum(['base64', 'data_url', 'wrapped', 'byte_array']).optional(),
});
export type DemoIdentity = z.infer<typeof demoIdentitySchema>;

/** The demo faces folder: FACEMATCH_DEMO_FACES_DIR, else `<dataDir()>/faces`. */
export function demoFacesDir(): string {
  const configured = envVar('FACEMATCH_DEMO_FACES_DIR');
  return configured ? path.resolve(configured) : path.join(dataDir(), 'faces');
}

export async function readDemoIdentities(file = DEMO_IDENTITIES_FILE): Promise<DemoIdentity[]> {
  return z.array(demoIdentitySchema).parse(JSON.parse(await readFile(file, 'utf8')));
}

/** `<person>/<file>` from a repo-relative path such as `../shared/data/faces/obama/obama1.jpg`. */
export function facesRelative(p: string): string {
  const parts = p.split(/[\\/]/);
  return parts.slice(-2).join('/');
}

/** Absolute path of an identity's image inside `facesDir`. */
export function resolveFacePath(repoRelative: string, facesDir = demoFacesDir()): string {
  return path.join(facesDir, facesRelative(repoRelative));
}

/** Encode one image as a registry would hold it: EXIF-rotated, sRGB, JPEG, ≤ 480 px. */
export async function toRegistryJpeg(file: string, variant?: DemoIdentity['photo_variant']): Promise<Uint8Array> {
  let img = sharp(file, { limitInputPixels: 40_000_000 }).rotate().toColourspace('srgb').flatten({ background: '#ffffff' });
  if (variant === 'low_quality') {
    img = img.resize({ width: 112, height: 112, fit: 'inside' }).jpeg({ quality: 18, chromaSubsampling: '4:2:0' });
  } else {
    img = img.resize({ width: 480, height: 480, fit: 'inside', withoutEnlargement: true });
    if (variant === 'grayscale') img = img.grayscale();
    img = img.jpeg({ quality: 80 });
  }
  return new Uint8Array(await img.toBuffer());
}

export interface LoadDemoPeopleOptions {
  facesDir?: string;
  identitiesFile?: string;
  /** Called for each identity whose photo could not be read (the identity is skipped). */
  onSkip?: (identity: DemoIdentity, reason: string) => void;
}

/** Read the demo identities and their photos into mock records (skipping unreadable photos). */
export async function loadDemoPeople(options: LoadDemoPeopleOptions = {}): Promise<MockPerson[]> {
  const identities = await readDemoIdentities(options.identitiesFile);
  const facesDir = options.facesDir ?? demoFacesDir();
  const people: MockPerson[] = [];
  const router = validators();
  for (const identity of identities) {
    const v = router.has(identity.id_type) ? router.validate(identity.id_type, identity.id_number) : undefined;
    if (!v?.ok) throw new Error(`demo identity ${identity.name} has an invalid ${identity.id_type}`);
    try {
      const photo = await toRegistryJpeg(resolveFacePath(identity.registry_photo, facesDir), identity.photo_variant);
      people.push({
        id_type: identity.id_type,
        id_number: v.normalised,
        first_name: identity.first_name,
        middle_name: identity.middle_name,
        last_name: identity.last_name,
        date_of_birth: identity.date_of_birth,
        gender: identity.gender,
        address: identity.address,
        photo,
        photo_encoding: identity.photo_encoding,
      });
    } catch (err) {
      options.onSkip?.(identity, err instanceof Error ? err.message : String(err));
    }
  }
  return people;
}
