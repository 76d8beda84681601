/** Test access to the development photos, read in place through the configurable data folder. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { dataDir } from '../../src/config/paths.ts';

export const hasSharedData = existsSync(path.join(dataDir(), 'faces'));

export function sharedImage(relative: string): Buffer {
  return readFileSync(path.join(dataDir(), relative));
}
