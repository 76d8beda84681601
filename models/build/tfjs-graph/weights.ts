/** Reads a TFJS graph model (model.json + binary shards) from disk and decodes its weights. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeWeights } from '../shared/tfjs-weights.ts';
import type { ConstTensor, TfModelJson } from './types.ts';

export { decodeFloat16, decodeWeight, decodeWeights, float16ToNumber, weightByteLength } from '../shared/tfjs-weights.ts';

export interface LoadedTfjsModel {
  json: TfModelJson;
  weights: Map<string, ConstTensor>;
  /** The raw concatenated shard bytes of all groups in manifest order (what tfjs itself loads). */
  weightData: Uint8Array;
}

/** Reads `<dir>/<name>.json` and its shards from disk. */
export function loadTfjsModel(jsonPath: string): LoadedTfjsModel {
  const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as TfModelJson;
  const dir = path.dirname(jsonPath);
  const shards = new Map<string, Uint8Array>();
  const shard = (p: string) => {
    let b = shards.get(p);
    if (!b) {
      b = new Uint8Array(readFileSync(path.join(dir, p)));
      shards.set(p, b);
    }
    return b;
  };
  const weights = decodeWeights(json, shard);
  const all = json.weightsManifest.flatMap((g) => g.paths.map(shard));
  const weightData = new Uint8Array(all.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of all) {
    weightData.set(p, at);
    at += p.length;
  }
  return { json, weights, weightData };
}
