/** Filesystem locations the project reads. The shared data folder is configurable, never copied. */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { envVar } from './env.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A configured path: absolute as given, relative ones from the repository root. */
export function fromRepoRoot(file: string): string {
  return path.resolve(repoRoot, file);
}

/** Development face photos (read in place). Override with FACEMATCH_DATA_DIR. */
export function dataDir(): string {
  return fromRepoRoot(envVar('FACEMATCH_DATA_DIR'));
}

/** Where the converted ONNX models and their manifest live. Override with FACEMATCH_MODELS_DIR. */
export function modelsDir(): string {
  return fromRepoRoot(envVar('FACEMATCH_MODELS_DIR'));
}
