/**
 * The converter on small hand-written TF graphs that exercise what the Human models do not:
 * odd spatial sizes (asymmetric SAME padding), depth multipliers, Relu6 / Prelu / LeakyRelu
 * fusions, AvgPool, Pad, keep_dims reductions, transpose_b, ConcatV2 and uint8-quantised
 * weights. Each graph runs in TFJS (cpu backend) and, converted, in onnxruntime.
 */
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { convertTfjsGraph, type GraphOutputSpec } from '../../models/build/tfjs-graph/convert.ts';
import { decodeWeights } from '../../models/build/tfjs-graph/weights.ts';
import type { TfAttr, TfModelJson, TfNode, TfWeightSpec } from '../../models/build/tfjs-graph/types.ts';
import { buildTfjsGraphModel, tfjsGraphModelDefs } from '../../models/build/tfjs-graph/specs.ts';
import { rng } from '../support/rng.ts';


const b64 = (s: string) => Buffer.from(s).toString('base64');
const ints = (...v: number[]): TfAttr => ({ list: { i: v.map(String) } });
const str = (s: string): TfAttr => ({ s: b64(s) });
const strs = (...s: string[]): TfAttr => ({ list: { s: s.map(b64) } });

/** Builds a GraphDef JSON plus one weight shard. */
class GraphBuilder {
  nodes: TfNode[] = [];
  specs: TfWeightSpec[] = [];
  chunks: Uint8Array[] = [];
  private r = rng(42);

  placeholder(name: string, shape: number[]): string {
    this.nodes.push({ name, op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: shape.map((d) => ({ size: String(d) })) } } } });
    return name;
  }

  private constNode(name: string, dtype: string, shape: number[]): void {
    this.nodes.push({ name, op: 'Const', attr: { dtype: { type: dtype }, value: { tensor: { dtype, tensorShape: { dim: shape.map((d) => ({ size: String(d) })) } } } } });
  }

  /** Random float weights, stored as float32 or uint8-quantised. */
  weight(name: string, shape: number[], opts: { quant?: 'uint8'; scale?: number; offset?: number } = {}): string {
    const n = shape.reduce((a, b) => a * b, 1);
    const s = opts.scale ?? 0.5;
    const values = Float32Array.from({ length: n }, () => (this.r() * 2 - 1) * s + (opts.offset ?? 0));
    this.constNode(name, 'DT_FLOAT', shape);
    if (opts.quant === 'uint8') {
      let min = Infinity;
      let max = -Infinity;
      for (const v of values) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      const scale = (max - min) / 255;
      this.chunks.push(Uint8Array.from(values, (v) => Math.round((v - min) / scale)));
      this.specs.push({ name, shape, dtype: 'float32', quantization: { dtype: 'uint8', scale, min } });
    } else {
      this.chunks.push(new Uint8Array(values.buffer));
      this.specs.push({ name, shape, dtype: 'float32' });
    }
    return name;
  }

  ints(name: string, values: number[], shape = [values.length]): string {
    this.constNode(name, 'DT_INT32', shape);
    this.chunks.push(new Uint8Array(Int32Array.from(values).buffer));
    this.specs.push({ name, shape, dtype: 'int32' });
    return name;
  }

  op(op: string, name: string, input: string[], attr: Record<string, TfAttr> = {}): string {
    this.nodes.push({ name, op, input, attr: { T: { type: 'DT_FLOAT' }, ...attr } });
    return name;
  }

  model(): { json: TfModelJson; data: Uint8Array } {
    const total = this.chunks.reduce((a, c) => a + c.length, 0);
    const data = new Uint8Array(total);
    let at = 0;
    for (const c of this.chunks) {
      data.set(c, at);
      at += c.length;
    }
    return { json: { format: 'graph-model', modelTopology: { node: this.nodes, versions: { producer: 1395 } }, weightsManifest: [{ paths: ['w.bin'], weights: this.specs }] }, data };
  }
}

async function parity(builder: GraphBuilder, inputShape: number[], outputs: GraphOutputSpec[], inputRange: [number, number] = [-1, 1]) {
  const { json, data } = builder.model();
  const reference = await tf.loadGraphModel({
    load: async () => ({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]!.weights as tf.io.WeightsManifestEntry[], weightData: data.slice().buffer }),
  });
  const converted = convertTfjsGraph(json, decodeWeights(json, () => data), { graphName: 'synthetic', inputs: [{ node: 'x', name: 'input' }], outputs });
  const session = await ort.InferenceSession.create(converted.bytes);
  const r = rng(7);
  const n = inputShape.reduce((a, b) => a * b, 1);
  const input = Float32Array.from({ length: n }, () => inputRange[0] + r() * (inputRange[1] - inputRange[0]));
  const got = await session.run({ input: new ort.Tensor('float32', input, inputShape) });
  const names = outputs.map((o) => o.from[0]!);
  const want = tf.tidy(() => {
    const res = reference.execute(tf.tensor(input, inputShape), names);
    return (Array.isArray(res) ? res : [res]).map((t) => ({ shape: t.shape, data: t.dataSync() as Float32Array }));
  });
  outputs.forEach((o, i) => {
    const g = got[o.name]!;
    const w = want[i]!;
    expect(g.dims, o.name).toEqual(w.shape);
    let scale = 0;
    let diff = 0;
    for (let j = 0; j < w.data.length; j++) {
      scale = Math.max(scale, Math.abs(w.data[j]!));
      diff = Math.max(diff, Math.abs((g.data as Float32Array)[j]! - w.data[j]!));
    }
    expect(diff, `${o.name}: max diff ${diff}`).toBeLessThanOrEqual(3e-5 * Math.max(1, scale));
  });
  reference.dispose();
  await session.release();
  return converted;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('TFJS graph converter on synthetic graphs', () => {
  it('odd sizes, strided SAME convs, depth multiplier, fused Relu6/Prelu/LeakyRelu, pooling, pad', async () => {
    const b = new GraphBuilder();
    const x = b.placeholder('x', [-1, 11, 9, 3]);
    // 11x9 -> SAME stride 2, 3x3: out 6x5, pads H (1,1) W (1,1)
    const c1 = b.op('_FusedConv2D', 'c1', [x, b.weight('w1', [3, 3, 3, 8], { quant: 'uint8' }), b.weight('b1', [8])], {
      strides: ints(1, 2, 2, 1), padding: str('SAME'), data_format: str('NHWC'), dilations: ints(1, 1, 1, 1),
      fused_ops: strs('BiasAdd', 'Relu6'), num_args: { i: '1' }, epsilon: { f: 0 },
    });
    // depthwise multiplier 2, 4x4 kernel stride 2 on 6x5: SAME pads asymmetric
    const d1 = b.op('DepthwiseConv2dNative', 'd1', [c1, b.weight('dw', [4, 4, 8, 2])], {
      strides: ints(1, 2, 2, 1), padding: str('SAME'), data_format: str('NHWC'), dilations: ints(1, 1, 1, 1),
    });
    const c2 = b.op('_FusedConv2D', 'c2', [d1, b.weight('w2', [1, 1, 16, 6]), b.weight('b2', [6]), b.weight('alpha', [6], { scale: 0.3, offset: 0.2 })], {
      strides: ints(1, 1, 1, 1), padding: str('VALID'), data_format: str('NHWC'), dilations: ints(1, 1, 1, 1),
      fused_ops: strs('BiasAdd', 'Prelu'), num_args: { i: '2' }, epsilon: { f: 0 },
    });
    const pad = b.op('Pad', 'pad', [c2, b.ints('paddings', [0, 0, 1, 2, 2, 0, 0, 0], [4, 2])]);
    const mp = b.op('MaxPool', 'mp', [pad], { ksize: ints(1, 3, 3, 1), strides: ints(1, 2, 2, 1), padding: str('SAME'), data_format: str('NHWC') });
    const ap = b.op('AvgPool', 'ap', [pad], { ksize: ints(1, 3, 2, 1), strides: ints(1, 2, 1, 1), padding: str('SAME'), data_format: str('NHWC') });
    const c3 = b.op('_FusedConv2D', 'c3', [ap, b.weight('w3', [3, 2, 6, 4]), b.weight('b3', [4])], {
      strides: ints(1, 1, 1, 1), padding: str('SAME'), data_format: str('NHWC'), dilations: ints(1, 2, 2, 1),
      fused_ops: strs('BiasAdd', 'LeakyRelu'), num_args: { i: '1' }, epsilon: { f: 0 }, leakyrelu_alpha: { f: 0.1 },
    });
    // per-channel affine with Sub / RealDiv / Mul against [C] constants
    const sub = b.op('Sub', 'sub', [mp, b.weight('mu', [6])]);
    const div = b.op('RealDiv', 'div', [sub, b.weight('sigma', [6], { scale: 0.2, offset: 1 })]);
    const mean = b.op('Mean', 'mean', [div, b.ints('axes', [1, 2])], { keep_dims: { b: true } });
    const sq = b.op('Squeeze', 'sq', [mean], { squeeze_dims: ints(1, 2) });
    await parity(b, [2, 11, 9, 3], [
      { name: 'c3', from: [c3] },
      { name: 'mp', from: [mp] },
      { name: 'sq', from: [sq] },
    ]);
  });

  it('flatten in NHWC order, transpose_b matmul, concat, softmax', async () => {
    const b = new GraphBuilder();
    const x = b.placeholder('x', [-1, 5, 7, 2]);
    const c = b.op('_FusedConv2D', 'c', [x, b.weight('w', [3, 3, 2, 3]), b.weight('bias', [3])], {
      strides: ints(1, 1, 1, 1), padding: str('SAME'), data_format: str('NHWC'), dilations: ints(1, 1, 1, 1),
      fused_ops: strs('BiasAdd', 'Relu'), num_args: { i: '1' }, epsilon: { f: 0 },
    });
    const cat = b.op('ConcatV2', 'cat', [c, x, b.ints('axis', [-1], [])], { N: { i: '2' } });
    const flat = b.op('Reshape', 'flat', [cat, b.ints('shape', [-1, 5 * 7 * 5])]);
    const fc = b.op('_FusedMatMul', 'fc', [flat, b.weight('fcw', [4, 175], { quant: 'uint8' }), b.weight('fcb', [4])], {
      transpose_a: { b: false }, transpose_b: { b: true }, fused_ops: strs('BiasAdd'), num_args: { i: '1' }, epsilon: { f: 0 },
    });
    const sm = b.op('Softmax', 'sm', [fc]);
    const conv = await parity(b, [3, 5, 7, 2], [
      { name: 'flat', from: [flat] },
      { name: 'sm', from: [sm] },
    ]);
    expect(conv.outputs).toEqual([
      { name: 'flat', shape: ['N', 175] },
      { name: 'sm', shape: ['N', 4] },
    ]);
  });

  it('names the op when it meets one it cannot convert', () => {
    const b = new GraphBuilder();
    const x = b.placeholder('x', [1, 4, 4, 1]);
    b.op('FancyNewOp', 'fancy', [x]);
    const { json, data } = b.model();
    expect(() => convertTfjsGraph(json, decodeWeights(json, () => data), { graphName: 'g', inputs: [{ node: 'x', name: 'input' }], outputs: [{ name: 'y', from: ['fancy'] }] })).toThrow(
      /TFJS op "FancyNewOp" \(node fancy\) is not supported/,
    );
  });

  it('builds byte-identical models on every run', async () => {
    const def = tfjsGraphModelDefs.find((d) => d.name === 'blazeface')!;
    const [a, b] = [await buildTfjsGraphModel(def), await buildTfjsGraphModel(def)];
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    expect(a.entry.outputs).toEqual([
      { name: 'logits', shape: [1, 896, 1] },
      { name: 'regressors', shape: [1, 896, 16] },
    ]);
  });
});
