/** Filesystem locations the project reads. The shared data folder is configurable, never copied. */
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Development face photos (read in place). Override with FACEMATCH_DATA_DIR. */
export function dataDir(): string {
  return path.resolve(repoRoot, process.env.FACEMATCH_DATA_DIR ?? '../shared/data');
}

/** Where the converted ONNX models and their manifest live. Override with FACEMATCH_MODELS_DIR. */
export function modelsDir(): string {
  return path.resolve(repoRoot, process.env.FACEMATCH_MODELS_DIR ?? 'models/onnx');
}
