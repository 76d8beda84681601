/**
 * Files from a published npm tarball that the project does not install as a dependency (its
 * package.json pulls in a bundler and a test runner we do not need): `npm pack` fetches the exact
 * version through the user's registry and cache, the tarball is checked against the integrity
 * pinned here, and only the requested files are read out of it.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { list } from 'tar';

export interface PinnedPackage {
  name: string;
  version: string;
  /** The registry's `dist.integrity` (sha512, base64). */
  integrity: string;
}

const npmCommand = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The named files (paths inside the package, e.g. `model/x.onnx`) of a pinned package version. */
export async function readPackageFiles(pkg: PinnedPackage, files: string[]): Promise<Map<string, Uint8Array>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'facematch-pack-'));
  try {
    const { stdout } = await promisify(execFile)(npmCommand, ['pack', `${pkg.name}@${pkg.version}`, '--pack-destination', dir, '--json', '--silent'], { maxBuffer: 16 << 20 });
    const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
    const tarball = await readFile(path.join(dir, packed!.filename));
    const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`;
    if (integrity !== pkg.integrity) throw new Error(`${pkg.name}@${pkg.version}: tarball integrity ${integrity} does not match the pinned ${pkg.integrity}`);
    const wanted = new Set(files.map((f) => `package/${f}`));
    const found = new Map<string, Uint8Array>();
    await list({
      file: path.join(dir, packed!.filename),
      filter: (p) => wanted.has(p),
      onReadEntry: (entry) => {
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () => found.set(entry.path.slice('package/'.length), new Uint8Array(Buffer.concat(chunks))));
      },
    });
    const missing = files.filter((f) => !found.has(f));
    if (missing.length) throw new Error(`${pkg.name}@${pkg.version} has no ${missing.join(', ')}`);
    return found;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
