/**
 * Reads a TFJS weights manifest (`*-weights_manifest.json` plus its `.bin` shards) into named
 * typed arrays, decoding exactly as tfjs-core's io.decodeWeights does:
 *  - weights of a group are stored back to back across the group's shards, in manifest order;
 *  - `quantization.dtype` uint8/uint16: value = q * scale + min (computed in double, stored as
 *    float32; int32 weights are rounded to the nearest integer);
 *  - `quantization.dtype` float16: IEEE half precision widened to float32;
 *  - unquantised float32/int32 are little-endian 4-byte values.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface ManifestWeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | string;
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16' | string; scale?: number; min?: number };
}

export interface ManifestGroup {
  paths: string[];
  weights: ManifestWeightSpec[];
}

export interface LoadedWeight {
  name: string;
  shape: number[];
  data: Float32Array | Int32Array;
}

export type WeightMap = Map<string, LoadedWeight>;

const byteSize: Record<string, number> = { float32: 4, int32: 4, uint8: 1, uint16: 2, float16: 2 };

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function decodeWeight(spec: ManifestWeightSpec, bytes: Uint8Array): LoadedWeight {
  const count = spec.shape.reduce((a, b) => a * b, 1);
  // Copy into an aligned buffer: shards pack weights without alignment.
  const buf = bytes.slice().buffer;
  const q = spec.quantization;
  let data: Float32Array | Int32Array;
  if (q) {
    let raw: ArrayLike<number>;
    if (q.dtype === 'uint8') raw = new Uint8Array(buf);
    else if (q.dtype === 'uint16' || q.dtype === 'float16') raw = new Uint16Array(buf);
    else throw new Error(`weight ${spec.name}: unsupported quantization dtype ${q.dtype}`);
    if (q.dtype === 'float16') {
      if (spec.dtype !== 'float32') throw new Error(`weight ${spec.name}: float16 quantization of ${spec.dtype}`);
      data = Float32Array.from(raw, halfToFloat);
    } else {
      if (typeof q.scale !== 'number' || typeof q.min !== 'number') throw new Error(`weight ${spec.name}: quantization lacks scale/min`);
      const { scale, min } = q;
      if (spec.dtype === 'float32') data = Float32Array.from(raw, (v) => v * scale + min);
      else if (spec.dtype === 'int32') data = Int32Array.from(raw, (v) => Math.round(v * scale + min));
      else throw new Error(`weight ${spec.name}: unsupported dtype ${spec.dtype}`);
    }
  } else if (spec.dtype === 'float32') {
    data = new Float32Array(buf);
  } else if (spec.dtype === 'int32') {
    data = new Int32Array(buf);
  } else {
    throw new Error(`weight ${spec.name}: unsupported dtype ${spec.dtype}`);
  }
  if (data.length !== count) throw new Error(`weight ${spec.name}: expected ${count} values, decoded ${data.length}`);
  return { name: spec.name, shape: [...spec.shape], data };
}

/** Loads every weight listed in the manifest at `manifestFile` (shards resolved next to it). */
export function loadWeightManifest(manifestFile: string): WeightMap {
  const groups = JSON.parse(readFileSync(manifestFile, 'utf8')) as ManifestGroup[];
  const dir = path.dirname(manifestFile);
  const out: WeightMap = new Map();
  for (const group of groups) {
    const shards = group.paths.map((p) => readFileSync(path.join(dir, p)));
    const total = shards.reduce((a, s) => a + s.length, 0);
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const s of shards) {
      bytes.set(s, at);
      at += s.length;
    }
    let offset = 0;
    for (const spec of group.weights) {
      const per = byteSize[spec.quantization?.dtype ?? spec.dtype];
      if (per === undefined) throw new Error(`weight ${spec.name}: unsupported dtype ${spec.dtype}`);
      const len = spec.shape.reduce((a, b) => a * b, 1) * per;
      if (offset + len > bytes.length) throw new Error(`weight ${spec.name}: runs past the end of ${group.paths.join(', ')}`);
      if (out.has(spec.name)) throw new Error(`weight ${spec.name}: listed twice`);
      out.set(spec.name, decodeWeight(spec, bytes.subarray(offset, offset + len)));
      offset += len;
    }
    if (offset !== bytes.length) throw new Error(`${group.paths.join(', ')}: ${bytes.length - offset} bytes not described by the manifest`);
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
