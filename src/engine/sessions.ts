/**
 * ONNX Runtime sessions: one per model, created once and reused. Models are located through
 * models/manifest.json so the engine checks what it loads (file present, checksum recorded).
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { modelsDir, repoRoot } from '../config/paths.ts';
import type { ModelManifestEntry } from '../../models/build/spec.ts';

export interface SessionOptions {
  /** Threads for one operator (intra-op). Default: 1 per session, so concurrent requests scale. */
  intraOpThreads?: number;
  modelsDir?: string;
}

export interface ModelSession {
  entry: ModelManifestEntry;
  session: ort.InferenceSession;
  inputName: string;
  run(input: Float32Array, dims: number[]): Promise<Record<string, ort.Tensor>>;
}

export function readModelManifest(): ModelManifestEntry[] {
  const file = path.join(repoRoot, 'models', 'manifest.json');
  if (!existsSync(file)) throw new Error('models/manifest.json is missing: run `npm run models`');
  return (JSON.parse(readFileSync(file, 'utf8')) as { models: ModelManifestEntry[] }).models;
}

export async function openSession(name: string, options: SessionOptions = {}, manifest = readModelManifest()): Promise<ModelSession> {
  const entry = manifest.find((m) => m.name === name);
  if (!entry) throw new Error(`model '${name}' is not in models/manifest.json: run \`npm run models\``);
  const file = path.join(options.modelsDir ?? modelsDir(), entry.file);
  if (!existsSync(file)) throw new Error(`model file ${entry.file} is missing: run \`npm run models\``);
  return openSessionFromFile(file, entry, options);
}

/** Sees every model input before it runs; set only while measuring int8 calibration ranges. */
export type InputObserver = (model: string, input: Float32Array, dims: number[]) => void;
let observer: InputObserver | undefined;
export function observeModelInputs(next: InputObserver | undefined): void {
  observer = next;
}

export async function openSessionFromFile(file: string, entry: ModelManifestEntry, options: SessionOptions = {}): Promise<ModelSession> {
  const session = await ort.InferenceSession.create(file, {
    intraOpNumThreads: options.intraOpThreads ?? 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
  });
  const inputName = session.inputNames[0]!;
  return {
    entry,
    session,
    inputName,
    async run(input, dims) {
      observer?.(entry.name, input, dims);
      const feeds = { [inputName]: new ort.Tensor('float32', input, dims) };
      return (await session.run(feeds)) as Record<string, ort.Tensor>;
    },
  };
}
