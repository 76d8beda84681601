/**
 * The model build step: converts the weights shipped in npm packages into ONNX files under
 * models/onnx/ and writes models/manifest.json. Run by `npm install` (postinstall, --if-missing)
 * and by `npm run models`. Deterministic: the same package versions give the same sha256.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { modelsDir, repoRoot } from '../../src/config/paths.ts';
import type { ModelManifestEntry, ModelSpec } from './spec.ts';
import { faceApiSpecs } from './faceapi/specs.ts';
import { tfjsGraphSpecs } from './tfjs-graph/specs.ts';
import { quantisedSpecs } from './quantised-specs.ts';
import { facepluginSpecs } from './faceplugin/specs.ts';

export const manifestPath = path.join(repoRoot, 'models', 'manifest.json');

/**
 * The models the engine loads. The converters can build more (facemesh, face-api's SSD detector;
 * both parity-tested), but the install step only builds what is used.
 */
export const ENGINE_MODELS = ['blazeface', 'face_landmark_68', 'face_recognition', 'face_recognition_int8', 'faceres', 'antispoof', 'liveness', 'fr_feature', 'fr_feature_int8', 'fr_detect', 'fr_landmark'] as const;

export const allSpecs: ModelSpec[] = ENGINE_MODELS.map((name) => {
  const spec = [...tfjsGraphSpecs, ...faceApiSpecs, ...quantisedSpecs, ...facepluginSpecs].find((s) => s.name === name);
  if (!spec) throw new Error(`no builder for model '${name}'`);
  return spec;
});

export interface Manifest {
  generatedBy: string;
  models: ModelManifestEntry[];
}

export function readManifest(): Manifest {
  return JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** True when every model file exists and matches the manifest's checksum. */
export function modelsPresent(dir = modelsDir()): boolean {
  if (!existsSync(manifestPath)) return false;
  const manifest = readManifest();
  const names = new Set(manifest.models.map((m) => m.name));
  if (allSpecs.some((s) => !names.has(s.name))) return false;
  return manifest.models.every((m) => {
    const file = path.join(dir, m.file);
    return existsSync(file) && sha256(readFileSync(file)) === m.sha256;
  });
}

export async function buildModels(options: { ifMissing?: boolean; log?: (line: string) => void } = {}): Promise<Manifest> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dir = modelsDir();
  if (options.ifMissing && modelsPresent(dir)) {
    log('models: up to date');
    return readManifest();
  }
  mkdirSync(dir, { recursive: true });
  const models: ModelManifestEntry[] = [];
  for (const spec of allSpecs) {
    const started = performance.now();
    const { bytes, entry } = await spec.build();
    const file = `${spec.name}.onnx`;
    writeFileSync(path.join(dir, file), bytes);
    models.push({ ...entry, name: spec.name, file, sha256: sha256(bytes), bytes: bytes.length });
    log(`models: ${file} (${(bytes.length / 1e6).toFixed(1)} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const manifest: Manifest = { generatedBy: 'npm run models', models };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
