/** Unit tests for the TFJS graph converter's helpers: padding maths, weight decoding, transposes. */
import { describe, expect, it } from 'vitest';
import { samePadding, spatialPadding, validPadding } from '../../models/build/shared/tf-padding.ts';
import { decodeFloat16, decodeWeight, decodeWeights, float16ToNumber, weightByteLength } from '../../models/build/tfjs-graph/weights.ts';
import { broadcastShapes, transposeData } from '../../models/build/tfjs-graph/tensor-utils.ts';
import { topoOrder } from '../../models/build/tfjs-graph/convert.ts';
import type { TfModelJson, TfNode } from '../../models/build/tfjs-graph/types.ts';

describe('TF SAME / VALID padding', () => {
  it('splits odd totals with the extra row after (SAME_UPPER)', () => {
    // 256 input, 3x3 kernel, stride 2: out 128, total = 127*2 + 3 - 256 = 1 -> (0, 1)
    expect(samePadding(256, 3, 2)).toEqual({ out: 128, before: 0, after: 1 });
    // 7 input, 3x3, stride 2: out 4, total = 3*2 + 3 - 7 = 2 -> (1, 1)
    expect(samePadding(7, 3, 2)).toEqual({ out: 4, before: 1, after: 1 });
    // 8 input, 5x5, stride 2: out 4, total = 6 + 5 - 8 = 3 -> (1, 2)
    expect(samePadding(8, 5, 2)).toEqual({ out: 4, before: 1, after: 2 });
    // stride 1 keeps the size, total = k - 1
    expect(samePadding(17, 5, 1)).toEqual({ out: 17, before: 2, after: 2 });
    expect(samePadding(17, 4, 1)).toEqual({ out: 17, before: 1, after: 2 });
  });

  it('never pads negatively (pooling windows smaller than the stride)', () => {
    expect(samePadding(64, 2, 2)).toEqual({ out: 32, before: 0, after: 0 });
    expect(samePadding(9, 1, 3)).toEqual({ out: 3, before: 0, after: 0 });
  });

  it('accounts for dilation', () => {
    // effective kernel 5: total = 9*1 + 5 - 10 = 4 -> (2, 2)
    expect(samePadding(10, 3, 1, 2)).toEqual({ out: 10, before: 2, after: 2 });
  });

  it('VALID output sizes', () => {
    expect(validPadding(128, 3, 1)).toEqual({ out: 126, before: 0, after: 0 });
    expect(validPadding(7, 2, 2)).toEqual({ out: 3, before: 0, after: 0 });
    expect(() => validPadding(2, 3, 1)).toThrow();
  });

  it('spatialPadding gives ONNX pads [hB, wB, hA, wA] and handles EXPLICIT', () => {
    expect(spatialPadding('SAME', [7, 8], [3, 5], [2, 2])).toEqual({ pads: [1, 1, 1, 2], outHW: [4, 4] });
    expect(spatialPadding('EXPLICIT', [10, 10], [3, 3], [1, 1], [1, 1], [0, 0, 1, 2, 3, 0, 0, 0])).toEqual({ pads: [1, 3, 2, 0], outHW: [11, 11] });
    expect(() => spatialPadding('CAUSAL', [4, 4], [3, 3], [1, 1])).toThrow(/CAUSAL/);
  });
});

describe('float16 decoding', () => {
  it('decodes normal, subnormal and special values exactly', () => {
    expect(float16ToNumber(0x3c00)).toBe(1);
    expect(float16ToNumber(0xc000)).toBe(-2);
    expect(float16ToNumber(0x3555)).toBe(0.333251953125);
    expect(float16ToNumber(0x7bff)).toBe(65504); // largest finite
    expect(float16ToNumber(0x0400)).toBe(2 ** -14); // smallest normal
    expect(float16ToNumber(0x0001)).toBe(2 ** -24); // smallest subnormal
    expect(float16ToNumber(0x03ff)).toBe(1023 * 2 ** -24); // largest subnormal
    expect(float16ToNumber(0x0000)).toBe(0);
    expect(Object.is(float16ToNumber(0x8000), -0)).toBe(true);
    expect(float16ToNumber(0x7c00)).toBe(Infinity);
    expect(float16ToNumber(0xfc00)).toBe(-Infinity);
    expect(float16ToNumber(0x7e00)).toBeNaN();
  });

  it('reads little-endian arrays at unaligned offsets', () => {
    const bytes = new Uint8Array([0xff, 0x00, 0x3c, 0x00, 0xc0, 0x00, 0x38]);
    expect(Array.from(decodeFloat16(bytes, 1, 3))).toEqual([1, -2, 0.5]);
  });
});

describe('weight decoding', () => {
  it('dequantises uint8 and uint16 affine weights as q * scale + min', () => {
    const u8 = decodeWeight({ name: 'a', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } }, new Uint8Array([0, 1, 255]));
    expect(Array.from(u8.data)).toEqual([-1, -0.5, 126.5]);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint16(0, 1000, true);
    new DataView(bytes.buffer).setUint16(2, 65535, true);
    const u16 = decodeWeight({ name: 'b', shape: [2], dtype: 'float32', quantization: { dtype: 'uint16', scale: 0.001, min: 2 } }, bytes);
    expect(u16.data[0]).toBeCloseTo(3, 6);
    expect(u16.data[1]).toBeCloseTo(67.535, 3);
    const i32 = decodeWeight({ name: 'c', shape: [2], dtype: 'int32', quantization: { dtype: 'uint8', scale: 0.4, min: 1 } }, new Uint8Array([1, 4]));
    expect(i32.dtype).toBe('int32');
    expect(Array.from(i32.data)).toEqual([1, 3]); // round(1.4), round(2.6)
  });

  it('rejects affine quantisation without scale/min', () => {
    expect(() => decodeWeight({ name: 'x', shape: [1], dtype: 'float32', quantization: { dtype: 'uint8' } }, new Uint8Array([1]))).toThrow(/scale/);
  });

  it('walks a group of shards in manifest order', () => {
    const f32 = new Float32Array([1.5, -2]);
    const i32 = new Int32Array([7]);
    const half = new Uint8Array([0x00, 0x3c]); // 1.0
    const all = new Uint8Array([...new Uint8Array(f32.buffer), ...new Uint8Array(i32.buffer), ...half]);
    const model: TfModelJson = {
      modelTopology: { node: [] },
      weightsManifest: [
        {
          paths: ['s1', 's2'],
          weights: [
            { name: 'w', shape: [2], dtype: 'float32' },
            { name: 'i', shape: [1], dtype: 'int32' },
            { name: 'h', shape: [1], dtype: 'float32', quantization: { dtype: 'float16' } },
          ],
        },
      ],
    };
    // split across two shards mid-tensor
    const shards: Record<string, Uint8Array> = { s1: all.slice(0, 5), s2: all.slice(5) };
    const w = decodeWeights(model, (p) => shards[p]!);
    expect(Array.from(w.get('w')!.data)).toEqual([1.5, -2]);
    expect(Array.from(w.get('i')!.data)).toEqual([7]);
    expect(Array.from(w.get('h')!.data)).toEqual([1]);
    expect(weightByteLength(model.weightsManifest[0]!.weights[2]!)).toBe(2);
  });
});

describe('tensor helpers', () => {
  it('transposes HWIO conv weights to OIHW', () => {
    // shape [2,1,1,3]: value = h*10 + o
    const data = Float32Array.from([0, 1, 2, 10, 11, 12]);
    const t = transposeData(data, [2, 1, 1, 3], [3, 2, 0, 1]);
    expect(t.shape).toEqual([3, 1, 2, 1]);
    expect(Array.from(t.data)).toEqual([0, 10, 1, 11, 2, 12]);
  });

  it('transposes NHWC to NCHW', () => {
    const data = Float32Array.from({ length: 12 }, (_, i) => i); // [1,2,2,3]
    const t = transposeData(data, [1, 2, 2, 3], [0, 3, 1, 2]);
    expect(t.shape).toEqual([1, 3, 2, 2]);
    expect(Array.from(t.data)).toEqual([0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11]);
  });

  it('broadcasts shapes with a dynamic batch', () => {
    expect(broadcastShapes([-1, 7, 7, 32], [32])).toEqual([-1, 7, 7, 32]);
    expect(broadcastShapes([], [3, 1])).toEqual([3, 1]);
    expect(() => broadcastShapes([2, 3], [4])).toThrow();
  });

  it('orders only the nodes an output needs, inputs first', () => {
    const nodes: TfNode[] = [
      { name: 'out', op: 'Relu', input: ['add'] },
      { name: 'unused', op: 'Relu', input: ['x'] },
      { name: 'add', op: 'AddV2', input: ['x', 'c:0', '^x'] },
      { name: 'c', op: 'Const' },
      { name: 'x', op: 'Placeholder' },
    ];
    const order = topoOrder(new Map(nodes.map((n) => [n.name, n])), ['out']).map((n) => n.name);
    expect(order).toEqual(['x', 'c', 'add', 'out']);
  });
});
