/**
 * Reads a TFJS weights manifest (`*-weights_manifest.json` plus its `.bin` shards) into named
 * typed arrays, with the decoder both converters share (../shared/tfjs-weights.ts: back-to-back
 * weights across shards, uint8/uint16 affine and float16 dequantisation as tfjs-core does).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeWeights } from '../shared/tfjs-weights.ts';
import type { TfWeightGroup } from '../tfjs-graph/types.ts';

export interface LoadedWeight {
  name: string;
  shape: number[];
  data: Float32Array | Int32Array;
}

export type WeightMap = Map<string, LoadedWeight>;

/** Loads every weight listed in the manifest at `manifestFile` (shards resolved next to it). */
export function loadWeightManifest(manifestFile: string): WeightMap {
  const groups = JSON.parse(readFileSync(manifestFile, 'utf8')) as TfWeightGroup[];
  const dir = path.dirname(manifestFile);
  const out: WeightMap = new Map();
  for (const [name, t] of decodeWeights({ weightsManifest: groups }, (p) => new Uint8Array(readFileSync(path.join(dir, p))))) {
    if (t.dtype === 'bool') throw new Error(`weight ${name}: unsupported dtype bool`);
    out.set(name, { name, shape: [...t.shape], data: t.data as Float32Array | Int32Array });
  }
  return out;
}

/** The named float32 weight, checked against the expected shape. */
export function floatWeight(weights: WeightMap, name: string, shape?: number[]): LoadedWeight & { data: Float32Array } {
  const w = weights.get(name);
  if (!w) throw new Error(`weight ${name} missing from the manifest`);
  if (!(w.data instanceof Float32Array)) throw new Error(`weight ${name} is not float32`);
  if (shape && (shape.length !== w.shape.length || shape.some((d, i) => d !== w.shape[i]))) {
    throw new Error(`weight ${name}: shape ${w.shape} but expected ${shape}`);
  }
  return w as LoadedWeight & { data: Float32Array };
}
