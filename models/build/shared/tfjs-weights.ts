/**
 * Decodes TFJS weights (a weights manifest's groups + their binary shards) as tfjs-core's
 * io.decodeWeights does, undoing the converter's weight quantisation. Shared by both model
 * converters (TFJS graph models and face-api's weight manifests):
 *  - weights of a group are stored back to back across the group's shards, in manifest order;
 *  - float16: IEEE 754 half-precision values, widened to float32 exactly;
 *  - uint8 / uint16 affine: value = q * scale + min (rounded for int32 weights).
 */
import type { ConstTensor, TfModelJson, TfWeightSpec } from '../tfjs-graph/types.ts';

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Decodes one IEEE 754 binary16 value (given as its 16 bits) to a JS number. */
export function float16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24; // zero and subnormals: frac * 2^-14 / 2^10
  if (exp === 0x1f) return frac === 0 ? sign * Infinity : Number.NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Decodes `count` little-endian half floats starting at `offset` in `bytes`. */
export function decodeFloat16(bytes: Uint8Array, offset = 0, count = (bytes.length - offset) >> 1): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * 2);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = float16ToNumber(view.getUint16(i * 2, true));
  return out;
}

function elementCount(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Byte length that one weight occupies in its shard group. */
export function weightByteLength(spec: TfWeightSpec): number {
  const stored = spec.quantization?.dtype ?? spec.dtype;
  const per = BYTES[stored];
  if (per === undefined) throw new Error(`weight ${spec.name}: unsupported stored dtype ${stored}`);
  return elementCount(spec.shape) * per;
}

/** Decodes one weight from its bytes (exactly weightByteLength(spec) long). */
export function decodeWeight(spec: TfWeightSpec, bytes: Uint8Array): ConstTensor {
  const n = elementCount(spec.shape);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const q = spec.quantization;
  if (spec.dtype !== 'float32' && spec.dtype !== 'int32' && spec.dtype !== 'bool') {
    throw new Error(`weight ${spec.name}: unsupported dtype ${spec.dtype}`);
  }
  if (q) {
    if (q.dtype === 'float16') {
      if (spec.dtype !== 'float32') throw new Error(`weight ${spec.name}: float16 quantisation of ${spec.dtype}`);
      return { dtype: 'float32', shape: spec.shape, data: decodeFloat16(bytes, 0, n) };
    }
    if (q.dtype !== 'uint8' && q.dtype !== 'uint16') throw new Error(`weight ${spec.name}: unknown quantisation ${String(q.dtype)}`);
    if (q.scale === undefined || q.min === undefined) throw new Error(`weight ${spec.name}: ${q.dtype} quantisation without scale/min`);
    const read = q.dtype === 'uint8' ? (i: number) => view.getUint8(i) : (i: number) => view.getUint16(i * 2, true);
    if (spec.dtype === 'float32') {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = read(i) * q.scale + q.min;
      return { dtype: 'float32', shape: spec.shape, data: out };
    }
    if (spec.dtype === 'int32') {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.round(read(i) * q.scale + q.min);
      return { dtype: 'int32', shape: spec.shape, data: out };
    }
    throw new Error(`weight ${spec.name}: quantised ${spec.dtype} is not supported`);
  }
  if (spec.dtype === 'float32') {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
    return { dtype: 'float32', shape: spec.shape, data: out };
  }
  if (spec.dtype === 'int32') {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = view.getInt32(i * 4, true);
    return { dtype: 'int32', shape: spec.shape, data: out };
  }
  return { dtype: 'bool', shape: spec.shape, data: bytes.slice(0, n) };
}

/** Decodes every weight of a manifest; `shard(path)` returns a shard's bytes. */
export function decodeWeights(model: Pick<TfModelJson, 'weightsManifest'>, shard: (p: string) => Uint8Array): Map<string, ConstTensor> {
  const out = new Map<string, ConstTensor>();
  for (const group of model.weightsManifest) {
    const parts = group.paths.map(shard);
    const total = parts.reduce((a, p) => a + p.length, 0);
    const buf = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      buf.set(p, at);
      at += p.length;
    }
    let offset = 0;
    for (const spec of group.weights) {
      const len = weightByteLength(spec);
      if (offset + len > buf.length) throw new Error(`weight ${spec.name}: shard data too short`);
      if (out.has(spec.name)) throw new Error(`weight ${spec.name}: listed twice`);
      out.set(spec.name, decodeWeight(spec, buf.subarray(offset, offset + len)));
      offset += len;
    }
    if (offset !== buf.length) throw new Error(`weights group ${group.paths.join(',')}: ${buf.length - offset} unused bytes`);
  }
  return out;
}

