/**
 * The op-mapping table: one converter per TF op name found in TFJS graph models.
 * Converters receive the node and its input Values and return the output Value(s);
 * they emit ONNX nodes through the ConvertContext.
 */
import { attrBool, attrFloat, attrInt, attrInts, attrString, attrStrings } from './attrs.ts';
import type { ConvertContext, Value } from './context.ts';
import { spatialPadding } from '../shared/tf-padding.ts';
import { broadcastShapes, NHWC_TO_NCHW_AXIS, numel, transposeData } from './tensor-utils.ts';
import type { TfNode } from './types.ts';

export type OpConverter = (ctx: ConvertContext, node: TfNode, inputs: Value[]) => Value | Value[];

function out(node: TfNode, shape: number[], layout: Value['layout'], onnx: string): Value {
  return { tfName: node.name, shape, layout, onnx };
}

function need(node: TfNode, inputs: Value[], n: number): void {
  if (inputs.length < n) throw new Error(`node ${node.name} (${node.op}) expects ${n} inputs, has ${inputs.length}`);
}

function intConst(ctx: ConvertContext, node: TfNode, v: Value, what: string): number[] {
  const k = ctx.constOf(v, node, what);
  if (k.dtype !== 'int32') throw new Error(`node ${node.name}: ${what} must be int32, is ${k.dtype}`);
  return Array.from(k.data as Int32Array);
}

function requireNhwc(node: TfNode): void {
  const fmt = attrString(node, 'data_format', 'NHWC');
  if (fmt !== 'NHWC') throw new Error(`node ${node.name} (${node.op}): data_format ${fmt} is not supported`);
}

function normAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new Error(`axis ${axis} out of range for rank ${rank}`);
  return a;
}

// ---- activations -------------------------------------------------------------------------

/** Applies a TF activation (lower-case name as in fused_ops) to a value, keeping its layout. */
function activate(ctx: ConvertContext, node: TfNode, x: Value, act: string, alpha?: Value): Value {
  const g = ctx.g;
  const src = x.onnx!;
  let y: string;
  switch (act) {
    case 'relu':
      y = g.op('Relu', [src]);
      break;
    case 'relu6':
      y = g.op('Clip', [src, ctx.scalar('zero', 0), ctx.scalar('six', 6)]);
      break;
    case 'elu':
      y = g.op('Elu', [src], { alpha: { float: 1 } });
      break;
    case 'selu':
      y = g.op('Selu', [src]);
      break;
    case 'sigmoid':
      y = g.op('Sigmoid', [src]);
      break;
    case 'tanh':
      y = g.op('Tanh', [src]);
      break;
    case 'leakyrelu':
      y = g.op('LeakyRelu', [src], { alpha: { float: attrFloat(node, 'leakyrelu_alpha', 0.2) } });
      break;
    case 'prelu': {
      if (!alpha) throw new Error(`node ${node.name}: prelu without alpha`);
      const slope = x.layout === 'nchw' ? ctx.nchwOperand(alpha) : ctx.tf(alpha);
      if (!slope) throw new Error(`node ${node.name}: prelu alpha ${alpha.tfName} cannot follow NCHW layout`);
      y = g.op('PRelu', [src, slope]);
      break;
    }
    default:
      throw new Error(`node ${node.name} (${node.op}): fused activation "${act}" is not supported`);
  }
  return { ...x, konst: undefined, tfName: node.name, onnx: y };
}

/** Splits a fused op list into bias / activation and their extra args (after the 2 main inputs). */
function fusedParts(node: TfNode, args: Value[]): { bias?: Value; act?: string; alpha?: Value } {
  const ops = attrStrings(node, 'fused_ops').map((s) => s.toLowerCase());
  const numArgs = attrInt(node, 'num_args', args.length);
  if (args.length < numArgs) throw new Error(`node ${node.name}: num_args ${numArgs} but only ${args.length} extra inputs`);
  let i = 0;
  let k = 0;
  const res: { bias?: Value; act?: string; alpha?: Value } = {};
  if (ops[i] === 'biasadd') {
    res.bias = args[k++];
    i++;
  } else if (ops[i] === 'fusedbatchnorm') {
    throw new Error(`node ${node.name} (${node.op}): fused_ops FusedBatchNorm is not supported`);
  }
  if (ops[i] !== undefined) {
    res.act = ops[i++];
    if (res.act === 'prelu') res.alpha = args[k++];
  }
  if (i < ops.length) throw new Error(`node ${node.name} (${node.op}): unsupported fused_ops [${ops.join(', ')}]`);
  return res;
}

// ---- convolution & pooling ---------------------------------------------------------------

function convolution(depthwise: boolean): OpConverter {
  return (ctx, node, inputs) => {
    need(node, inputs, 2);
    requireNhwc(node);
    const [x, w] = inputs as [Value, Value];
    const k = ctx.constOf(w, node, 'filter');
    if (k.dtype !== 'float32' || k.shape.length !== 4) throw new Error(`node ${node.name}: filter must be a float [H,W,I,O] tensor`);
    const [kh, kw, ci, co] = k.shape as [number, number, number, number];
    if (x.shape.length !== 4) throw new Error(`node ${node.name}: input must be rank 4, is [${x.shape}]`);
    const [n, h, wd, c] = x.shape as [number, number, number, number];
    const strides = attrInts(node, 'strides', [1, 1, 1, 1]);
    const dil = attrInts(node, 'dilations', [1, 1, 1, 1]);
    if (strides[0] !== 1 || strides[3] !== 1) throw new Error(`node ${node.name}: batch/channel strides are not supported`);
    const { pads, outHW } = spatialPadding(
      attrString(node, 'padding'),
      [h, wd],
      [kh, kw],
      [strides[1]!, strides[2]!],
      [dil[1]!, dil[2]!],
      attrInts(node, 'explicit_paddings', []),
    );
    let weights: { data: Float32Array; shape: number[] };
    let group: number;
    let outC: number;
    if (depthwise) {
      // [kh, kw, C, M] -> [C, M, kh, kw] -> [C*M, 1, kh, kw]; output channel c*M + m as in TF.
      if (ci !== c) throw new Error(`node ${node.name}: depthwise filter has ${ci} channels, input has ${c}`);
      const t = transposeData(k.data as Float32Array, k.shape, [2, 3, 0, 1]);
      weights = { data: t.data, shape: [ci * co, 1, kh, kw] };
      group = ci;
      outC = ci * co;
    } else {
      // [kh, kw, I, O] -> [O, I, kh, kw]; I < C means a grouped convolution.
      const t = transposeData(k.data as Float32Array, k.shape, [3, 2, 0, 1]);
      weights = t;
      if (c % ci !== 0) throw new Error(`node ${node.name}: input channels ${c} not a multiple of filter channels ${ci}`);
      group = c / ci;
      outC = co;
    }
    const wName = ctx.addFloat(`${w.tfName}_oihw`, weights.data, weights.shape);
    const fused = node.op.startsWith('_Fused') || node.op.startsWith('Fused') ? fusedParts(node, inputs.slice(2)) : {};
    const convInputs = [ctx.nchw(x), wName];
    let addBias: Value | undefined;
    if (fused.bias) {
      if (fused.bias.konst && fused.bias.konst.shape.length === 1 && fused.bias.konst.shape[0] === outC) convInputs.push(ctx.tf(fused.bias));
      else addBias = fused.bias;
    }
    const y = ctx.g.op('Conv', convInputs, {
      kernel_shape: [kh, kw],
      strides: [strides[1]!, strides[2]!],
      dilations: [dil[1]!, dil[2]!],
      pads,
      group,
    });
    let v = out(node, [n, outHW[0], outHW[1], outC], 'nchw', y);
    if (addBias) v = binaryValues(ctx, node, 'Add', v, addBias);
    if (fused.act) v = activate(ctx, node, v, fused.act, fused.alpha);
    return v;
  };
}

function pool(onnxOp: 'MaxPool' | 'AveragePool'): OpConverter {
  return (ctx, node, inputs) => {
    need(node, inputs, 1);
    requireNhwc(node);
    const x = inputs[0]!;
    const ks = attrInts(node, 'ksize');
    const st = attrInts(node, 'strides');
    if (ks[0] !== 1 || ks[3] !== 1 || st[0] !== 1 || st[3] !== 1) throw new Error(`node ${node.name}: pooling over batch/channels is not supported`);
    const [n, h, w, c] = x.shape as [number, number, number, number];
    const { pads, outHW } = spatialPadding(attrString(node, 'padding'), [h, w], [ks[1]!, ks[2]!], [st[1]!, st[2]!], [1, 1], attrInts(node, 'explicit_paddings', []));
    // TF's SAME pooling ignores padded cells: MaxPool pads with -inf, AveragePool excludes them (count_include_pad=0).
    const attrs: Record<string, number> = onnxOp === 'AveragePool' ? { count_include_pad: 0 } : {};
    const y = ctx.g.op(onnxOp, [ctx.nchw(x)], { kernel_shape: [ks[1]!, ks[2]!], strides: [st[1]!, st[2]!], pads, ...attrs });
    return out(node, [n, outHW[0], outHW[1], c], 'nchw', y);
  };
}

// ---- element-wise ------------------------------------------------------------------------

/** Broadcasting binary op in whatever layout the operands allow (NCHW when any is NCHW). */
function binaryValues(ctx: ConvertContext, node: TfNode, onnxOp: string, a: Value, b: Value): Value {
  const shape = broadcastShapes(a.shape, b.shape);
  if (shape.length === 4 && (a.layout === 'nchw' || b.layout === 'nchw') && !(a.konst && b.konst)) {
    const an = ctx.nchwOperand(a);
    const bn = ctx.nchwOperand(b);
    if (an && bn) return out(node, shape, 'nchw', ctx.g.op(onnxOp, [an, bn]));
  }
  if (a.konst && b.konst) throw new Error(`node ${node.name} (${node.op}): both inputs are constants (constant folding is not supported)`);
  return out(node, shape, 'tf', ctx.g.op(onnxOp, [ctx.tf(a), ctx.tf(b)]));
}

function binary(onnxOp: string): OpConverter {
  return (ctx, node, inputs) => {
    need(node, inputs, 2);
    return binaryValues(ctx, node, onnxOp, inputs[0]!, inputs[1]!);
  };
}

function unary(onnxOp: string, attrs: (node: TfNode) => Record<string, { float: number }> = () => ({})): OpConverter {
  return (ctx, node, inputs) => {
    need(node, inputs, 1);
    const x = inputs[0]!;
    const src = x.layout === 'nchw' ? ctx.nchw(x) : ctx.tf(x);
    return out(node, x.shape, x.layout, ctx.g.op(onnxOp, [src], attrs(node)));
  };
}

function activationOp(act: string): OpConverter {
  return (ctx, node, inputs) => {
    need(node, inputs, 1);
    const x = inputs[0]!;
    const src: Value = { ...x, konst: undefined, onnx: x.layout === 'nchw' ? ctx.nchw(x) : ctx.tf(x) };
    return activate(ctx, node, src, act, inputs[1]);
  };
}

// ---- shape ops ---------------------------------------------------------------------------

const reshape: OpConverter = (ctx, node, inputs) => {
  need(node, inputs, 2);
  const x = inputs[0]!;
  const target = intConst(ctx, node, inputs[1]!, 'shape');
  // Reshape follows TF's element order, so NCHW data goes back to NHWC first.
  const shape = inferReshape(x.shape, target);
  const y = ctx.g.op('Reshape', [ctx.tf(x), ctx.int64(`${node.name}_shape`, target)]);
  return out(node, shape, 'tf', y);
};

function inferReshape(inShape: number[], target: number[]): number[] {
  const known = inShape.every((d) => d >= 0) ? numel(inShape) : -1;
  const free = target.filter((d) => d === -1).length;
  if (free === 0 || known < 0) {
    // with a dynamic batch: the -1 in the target stands for it when the rest matches
    if (free === 1 && inShape[0] === -1) {
      const rest = numel(inShape.slice(1));
      const others = numel(target.filter((d) => d !== -1));
      if (rest === others) return target.map((d) => (d === -1 ? -1 : d));
    }
    return target.slice();
  }
  const others = numel(target.filter((d) => d !== -1));
  return target.map((d) => (d === -1 ? known / others : d));
}

const squeeze: OpConverter = (ctx, node, inputs) => {
  need(node, inputs, 1);
  const x = inputs[0]!;
  const rank = x.shape.length;
  let axes = attrInts(node, 'squeeze_dims', []).map((a) => normAxis(a, rank));
  if (axes.length === 0) axes = x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
  const shape = x.shape.filter((_, i) => !axes.includes(i));
  const y = ctx.g.op('Squeeze', [ctx.tf(x), ctx.int64(`${node.name}_axes`, axes)]);
  return out(node, shape, 'tf', y);
};

const expandDims: OpConverter = (ctx, node, inputs) => {
  need(node, inputs, 2);
  const x = inputs[0]!;
  const [axis0] = intConst(ctx, node, inputs[1]!, 'axis');
  const axis = normAxis(axis0!, x.shape.length + 1);
  const shape = [...x.shape.slice(0, axis), 1, ...x.shape.slice(axis)];
  const y = ctx.g.op('Unsqueeze', [ctx.tf(x), ctx.int64(`${node.name}_axes`, [axis])]);
  return out(node, shape, 'tf', y);
};

function pad(mode: 'constant' | 'reflect'): OpConverter {
  return (ctx, node, inputs) => {
    need(node, inputs, 2);
    const x = inputs[0]!;
    const p = intConst(ctx, node, inputs[1]!, 'paddings');
    const rank = x.shape.length;
    if (p.length !== rank * 2) throw new Error(`node ${node.name}: paddings for rank ${rank} must have ${rank * 2} values`);
    if (node.op === 'MirrorPad') {
      const m = attrString(node, 'mode');
      if (m !== 'REFLECT') throw new Error(`node ${node.name}: MirrorPad mode ${m} is not supported`);
    }
    const shape = x.shape.map((d, i) => (d < 0 ? d : d + p[2 * i]! + p[2 * i + 1]!));
    const useNchw = x.layout === 'nchw';
    // ONNX pads: all "before" values then all "after" values, in the tensor's physical axis order.
    const order = useNchw ? [0, 3, 1, 2] : [...Array(rank).keys()];
    const pads = [...order.map((a) => p[2 * a]!), ...order.map((a) => p[2 * a + 1]!)];
    const padInputs = [useNchw ? ctx.nchw(x) : ctx.tf(x), ctx.int64(`${node.name}_pads`, pads)];
    if (mode === 'constant') {
      let value = 0;
      if (node.op === 'PadV2' && inputs[2]) {
        const k = ctx.constOf(inputs[2], node, 'constant_values');
        value = Number(k.data[0] ?? 0);
      }
      padInputs.push(ctx.scalar(`pad_value`, value));
    }
    const y = ctx.g.op('Pad', padInputs, { mode });
    return out(node, shape, useNchw ? 'nchw' : 'tf', y);
  };
}

function reduce(onnxOp: string): OpConverter {
  return (ctx, node, inputs) => {
    need(node, inputs, 2);
    const x = inputs[0]!;
    const rank = x.shape.length;
    const axes = [...new Set(intConst(ctx, node, inputs[1]!, 'reduction_indices').map((a) => normAxis(a, rank)))].sort((a, b) => a - b);
    const keep = attrBool(node, 'keep_dims', false);
    // opset 17: ReduceSum takes axes as an input, ReduceMean/ReduceMax as an attribute.
    const emit = (src: string[], ax: number[]) =>
      onnxOp === 'ReduceSum'
        ? ctx.g.op(onnxOp, [...src, ctx.int64(`${node.name}_axes`, ax)], { keepdims: keep ? 1 : 0 })
        : ctx.g.op(onnxOp, src, { axes: ax, keepdims: keep ? 1 : 0 });
    const tfShape = keep ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
    if (x.layout === 'nchw') {
      const physAxes: number[] = axes.map((a) => NHWC_TO_NCHW_AXIS[a as 0 | 1 | 2 | 3] as number).sort((a, b) => a - b);
      // Kept dims stay NCHW; dropped dims are fine when the survivors keep TF's relative order.
      const survivors = [0, 1, 2, 3].filter((p) => !physAxes.includes(p)).map((p) => [0, 3, 1, 2][p]!);
      const ordered = survivors.every((s, i) => i === 0 || survivors[i - 1]! < s);
      if (keep || ordered) {
        const y = emit([ctx.nchw(x)], physAxes);
        return out(node, tfShape, keep ? 'nchw' : 'tf', y);
      }
    }
    const y = emit([ctx.tf(x)], axes);
    return out(node, tfShape, 'tf', y);
  };
}

const softmax: OpConverter = (ctx, node, inputs) => {
  need(node, inputs, 1);
  const x = inputs[0]!;
  if (x.layout === 'nchw') return out(node, x.shape, 'nchw', ctx.g.op('Softmax', [ctx.nchw(x)], { axis: 1 }));
  return out(node, x.shape, 'tf', ctx.g.op('Softmax', [ctx.tf(x)], { axis: -1 }));
};

const concat: OpConverter = (ctx, node, inputs) => {
  const n = attrInt(node, 'N', inputs.length - 1);
  const parts = inputs.slice(0, n);
  const [axis0] = intConst(ctx, node, inputs[n]!, 'axis');
  const rank = parts[0]!.shape.length;
  const axis = normAxis(axis0!, rank);
  const shape = parts[0]!.shape.slice();
  shape[axis] = parts.some((p) => p.shape[axis]! < 0) ? -1 : parts.reduce((s, p) => s + p.shape[axis]!, 0);
  if (rank === 4 && parts.some((p) => p.layout === 'nchw')) {
    const y = ctx.g.op('Concat', parts.map((p) => ctx.nchw(p)), { axis: NHWC_TO_NCHW_AXIS[axis as 0 | 1 | 2 | 3] });
    return out(node, shape, 'nchw', y);
  }
  return out(node, shape, 'tf', ctx.g.op('Concat', parts.map((p) => ctx.tf(p)), { axis }));
};

const matmul: OpConverter = (ctx, node, inputs) => {
  need(node, inputs, 2);
  const [a, b] = inputs as [Value, Value];
  if (a.shape.length !== 2 || b.shape.length !== 2) throw new Error(`node ${node.name}: only rank-2 MatMul is supported`);
  const ta = attrBool(node, 'transpose_a', false);
  const tb = attrBool(node, 'transpose_b', false);
  const m = ta ? a.shape[1]! : a.shape[0]!;
  const nOut = tb ? b.shape[0]! : b.shape[1]!;
  const fused = node.op === '_FusedMatMul' ? fusedParts(node, inputs.slice(2)) : {};
  const gemmInputs = [ctx.tf(a), ctx.tf(b)];
  let addBias: Value | undefined;
  if (fused.bias) {
    if (fused.bias.konst && fused.bias.konst.shape.length === 1) gemmInputs.push(ctx.tf(fused.bias));
    else addBias = fused.bias;
  }
  const y = ctx.g.op('Gemm', gemmInputs, { transA: ta ? 1 : 0, transB: tb ? 1 : 0 });
  let v = out(node, [m, nOut], 'tf', y);
  if (addBias) v = binaryValues(ctx, node, 'Add', v, addBias);
  if (fused.act) v = activate(ctx, node, v, fused.act, fused.alpha);
  return v;
};

const biasAdd: OpConverter = (ctx, node, inputs) => {
  need(node, inputs, 2);
  requireNhwc(node);
  return binaryValues(ctx, node, 'Add', inputs[0]!, inputs[1]!);
};

const identity: OpConverter = (_ctx, node, inputs) => {
  need(node, inputs, 1);
  return { ...inputs[0]!, tfName: node.name };
};

export const opTable: Record<string, OpConverter> = {
  Identity: identity,
  StopGradient: identity,
  Conv2D: convolution(false),
  _FusedConv2D: convolution(false),
  DepthwiseConv2dNative: convolution(true),
  FusedDepthwiseConv2dNative: convolution(true),
  MaxPool: pool('MaxPool'),
  AvgPool: pool('AveragePool'),
  Add: binary('Add'),
  AddV2: binary('Add'),
  Sub: binary('Sub'),
  Mul: binary('Mul'),
  RealDiv: binary('Div'),
  Div: binary('Div'),
  Maximum: binary('Max'),
  Minimum: binary('Min'),
  BiasAdd: biasAdd,
  Relu: activationOp('relu'),
  Relu6: activationOp('relu6'),
  Elu: activationOp('elu'),
  Selu: activationOp('selu'),
  Sigmoid: activationOp('sigmoid'),
  Tanh: activationOp('tanh'),
  LeakyRelu: (ctx, node, inputs) => {
    need(node, inputs, 1);
    const x = inputs[0]!;
    const src = x.layout === 'nchw' ? ctx.nchw(x) : ctx.tf(x);
    return out(node, x.shape, x.layout, ctx.g.op('LeakyRelu', [src], { alpha: { float: attrFloat(node, 'alpha', 0.2) } }));
  },
  Prelu: activationOp('prelu'),
  Exp: unary('Exp'),
  Log: unary('Log'),
  Sqrt: unary('Sqrt'),
  Abs: unary('Abs'),
  Neg: unary('Neg'),
  Reciprocal: unary('Reciprocal'),
  Softmax: softmax,
  Reshape: reshape,
  Squeeze: squeeze,
  ExpandDims: expandDims,
  Pad: pad('constant'),
  PadV2: pad('constant'),
  MirrorPad: pad('reflect'),
  Mean: reduce('ReduceMean'),
  Sum: reduce('ReduceSum'),
  Max: reduce('ReduceMax'),
  ConcatV2: concat,
  MatMul: matmul,
  _FusedMatMul: matmul,
};
