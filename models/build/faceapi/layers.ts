/**
 * TensorFlow-semantics layers on top of OnnxGraph for the face-api nets. Feature maps are kept
 * NCHW inside the graph (ONNX Conv layout) and their static C/H/W are tracked so that TF "same"
 * padding, which is asymmetric for stride 2 (the extra row/column goes at the end), can be
 * written as explicit ONNX pads.
 */
import type { OnnxGraph } from '../onnx-graph.ts';
import { samePadding, validPadding } from '../shared/tf-padding.ts';
import { floatWeight, type WeightMap } from './weights.ts';

/** A feature map: the tensor name plus its static channel count and spatial size (batch is N). */
export interface Fmap {
  name: string;
  c: number;
  h: number;
  w: number;
}

export type TfPadding = 'same' | 'valid';

/** Output size and [before, after] pads of one spatial axis, as TensorFlow computes them. */
export function tfAxisPads(size: number, kernel: number, stride: number, padding: TfPadding): { out: number; before: number; after: number } {
  return padding === 'valid' ? validPadding(size, kernel, stride) : samePadding(size, kernel, stride);
}

/** TF conv filter [kh, kw, in, out] → ONNX [out, in, kh, kw]. */
export function hwioToOihw(data: Float32Array, shape: number[]): { data: Float32Array; dims: number[] } {
  const [kh, kw, ci, co] = shape as [number, number, number, number];
  const outData = new Float32Array(data.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < co; o++) outData[((o * ci + i) * kh + y) * kw + x] = data[((y * kw + x) * ci + i) * co + o]!;
  return { data: outData, dims: [co, ci, kh, kw] };
}

/** TF depthwise filter [kh, kw, C, M] → ONNX grouped-conv weight [C*M, 1, kh, kw] (group = C). */
export function depthwiseToOnnx(data: Float32Array, shape: number[]): { data: Float32Array; dims: number[] } {
  const [kh, kw, c, m] = shape as [number, number, number, number];
  const outData = new Float32Array(data.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < c; i++)
        for (let j = 0; j < m; j++) outData[((i * m + j) * kh + y) * kw + x] = data[((y * kw + x) * c + i) * m + j]!;
  return { data: outData, dims: [c * m, 1, kh, kw] };
}

export class TfLayers {
  constructor(
    readonly g: OnnxGraph,
    readonly weights: WeightMap,
  ) {}

  /**
   * Declares the NHWC image input, applies (x - mean) / divisor per RGB channel in NHWC order
   * (as face-api's normalize() followed by div() does), and transposes to NCHW.
   */
  imageInput(name: string, size: number, mean: number[], divisor: number): Fmap {
    const g = this.g;
    const x = g.input(name, ['N', size, size, 3]);
    const centred = g.op('Sub', [x, g.constFloat('mean_rgb', mean, [3])]);
    const scaled = g.op('Div', [centred, g.constFloat('divisor', [divisor], [])]);
    return { name: g.op('Transpose', [scaled], { perm: [0, 3, 1, 2] }), c: 3, h: size, w: size };
  }

  private convPads(x: Fmap, kh: number, kw: number, stride: number, padding: TfPadding) {
    const py = tfAxisPads(x.h, kh, stride, padding);
    const px = tfAxisPads(x.w, kw, stride, padding);
    return { pads: [py.before, px.before, py.after, px.after], h: py.out, w: px.out };
  }

  /** tf.conv2d(x, filters, stride, padding) [+ bias], filters/bias named in the weight map. */
  conv(x: Fmap, filterName: string, stride: number, padding: TfPadding, biasName?: string): Fmap {
    const f = floatWeight(this.weights, filterName);
    const [kh, kw, ci, co] = f.shape as [number, number, number, number];
    if (ci !== x.c) throw new Error(`${filterName}: expects ${ci} input channels, feature map has ${x.c}`);
    const w = hwioToOihw(f.data, f.shape);
    const inputs = [x.name, this.g.initializer(filterName, w)];
    if (biasName) inputs.push(this.g.initializer(biasName, { dims: [co], data: floatWeight(this.weights, biasName, [co]).data }));
    const { pads, h, w: ow } = this.convPads(x, kh, kw, stride, padding);
    const name = this.g.op('Conv', inputs, { kernel_shape: [kh, kw], strides: [stride, stride], pads, dilations: [1, 1], group: 1 });
    return { name, c: co, h, w: ow };
  }

  /** tf.depthwiseConv2d(x, filter, stride, padding) as a grouped Conv (group = channels). */
  depthwiseConv(x: Fmap, filterName: string, stride: number, padding: TfPadding): Fmap {
    const dw = floatWeight(this.weights, filterName);
    const [kh, kw, c, m] = dw.shape as [number, number, number, number];
    if (c !== x.c) throw new Error(`${filterName}: expects ${c} channels, feature map has ${x.c}`);
    const { pads, h, w } = this.convPads(x, kh, kw, stride, padding);
    const name = this.g.op('Conv', [x.name, this.g.initializer(filterName, depthwiseToOnnx(dw.data, dw.shape))], {
      kernel_shape: [kh, kw],
      strides: [stride, stride],
      pads,
      dilations: [1, 1],
      group: c,
    });
    return { name, c: c * m, h, w };
  }

  /**
   * tf.separableConv2d(x, depthwise, pointwise, stride, padding) followed by + bias: a grouped
   * depthwise Conv (stride, padding) then a 1×1 Conv carrying the bias.
   */
  separableConv(x: Fmap, prefix: string, stride: number, padding: TfPadding): Fmap {
    const depthwise = this.depthwiseConv(x, `${prefix}/depthwise_filter`, stride, padding);
    return this.conv(depthwise, `${prefix}/pointwise_filter`, 1, 'valid', `${prefix}/bias`);
  }

  /** tf.batchNorm(x, mean, variance, offset, scale, epsilon) with per-channel vectors. */
  batchNorm(x: Fmap, names: { mean: string; variance: string; offset: string; scale: string }, epsilon: number): Fmap {
    const vec = (n: string) => this.g.initializer(n, { dims: [x.c], data: floatWeight(this.weights, n, [x.c]).data });
    const inputs = [x.name, vec(names.scale), vec(names.offset), vec(names.mean), vec(names.variance)];
    return { ...x, name: this.g.op('BatchNormalization', inputs, { epsilon: { float: epsilon } }) };
  }

  /** tf.clipByValue(x, lo, hi). */
  clip(x: Fmap, lo: number, hi: number): Fmap {
    const name = this.g.op('Clip', [x.name, this.g.constFloat('clip_lo', [lo], []), this.g.constFloat('clip_hi', [hi], [])]);
    return { ...x, name };
  }

  /** x * weights + biases with per-channel vectors from the weight map (face-api's scale layer). */
  channelScale(x: Fmap, weightsName: string, biasesName: string): Fmap {
    const perChannel = (n: string) => this.g.initializer(n, { dims: [1, x.c, 1, 1], data: floatWeight(this.weights, n, [x.c]).data });
    const scaled = this.g.op('Mul', [x.name, perChannel(weightsName)]);
    return { ...x, name: this.g.op('Add', [scaled, perChannel(biasesName)]) };
  }

  relu(x: Fmap): Fmap {
    return { ...x, name: this.g.op('Relu', [x.name]) };
  }

  add(a: Fmap, b: Fmap): Fmap {
    if (a.c !== b.c || a.h !== b.h || a.w !== b.w) throw new Error(`add: shape mismatch ${a.c}x${a.h}x${a.w} vs ${b.c}x${b.h}x${b.w}`);
    return { ...a, name: this.g.op('Add', [a.name, b.name]) };
  }

  /** tf.maxPool / tf.avgPool with 'valid' padding (the only kind these nets use). */
  pool(kind: 'MaxPool' | 'AveragePool', x: Fmap, kernel: number, stride: number): Fmap {
    const py = tfAxisPads(x.h, kernel, stride, 'valid');
    const px = tfAxisPads(x.w, kernel, stride, 'valid');
    const name = this.g.op(kind, [x.name], { kernel_shape: [kernel, kernel], strides: [stride, stride], pads: [0, 0, 0, 0] });
    return { name, c: x.c, h: py.out, w: px.out };
  }

  /** Zero padding per axis: [channelsAfter, rowsAfter, colsAfter] appended at the end. */
  zeroPadEnd(x: Fmap, channels: number, rows: number, cols: number): Fmap {
    if (!channels && !rows && !cols) return x;
    const pads = this.g.constInt64('pads', [0, 0, 0, 0, 0, channels, rows, cols]);
    return { name: this.g.op('Pad', [x.name, pads], { mode: 'constant' }), c: x.c + channels, h: x.h + rows, w: x.w + cols };
  }
}
