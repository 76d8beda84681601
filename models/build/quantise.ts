/**
 * Static int8 quantisation of a float ONNX model in the QDQ form onnxruntime fuses into
 * QLinearConv / QLinearAdd: per-output-channel symmetric int8 conv weights, int32 biases, and
 * asymmetric uint8 activations whose ranges were measured on real face crops beforehand
 * (`facematch models --calibrate-int8`). On CPUs with VNNI/AVX2 the int8 convolutions run 2–3×
 * faster than float; the cost in accuracy is measured on LFW, not assumed. The weight grid is
 * chosen so that the integer arithmetic is exact on every x86-64 CPU (see QuantisationScheme).
 *
 * Works on the decoded ModelProto of the graphs this project builds (plain Conv / Add / Mul, one
 * opset, raw little-endian initializers).
 */
import { DataType, ModelProto } from './onnx-schema.ts';
import { dependencyOrder } from './shared/dependency-order.ts';

interface TensorProto {
  name: string;
  dims: Array<number | { toNumber(): number }>;
  dataType: number;
  rawData?: Uint8Array;
}
/** A decoded ONNX node, as the build's graph rewrites see it. */
export interface NodeProto {
  opType: string;
  name?: string;
  input: string[];
  output: string[];
  attribute?: unknown[];
}
interface GraphProto {
  node: NodeProto[];
  initializer: TensorProto[];
  input: Array<{ name: string }>;
  output: Array<{ name: string; type?: unknown }>;
}
interface Model {
  graph: GraphProto;
  opsetImport?: Array<{ domain?: string; version: number | { toNumber(): number } }>;
}

/** Activation ranges measured by calibration: tensor name → [min, max]. */
export type ActivationRanges = Record<string, [number, number]>;

export function decodeModel(bytes: Uint8Array): Model {
  return ModelProto.toObject(ModelProto.decode(bytes), { defaults: true }) as unknown as Model;
}

export function encodeModel(model: Model): Uint8Array {
  return ModelProto.encode(ModelProto.fromObject(model as never)).finish();
}

const dimsOf = (t: TensorProto) => t.dims.map((d) => (typeof d === 'number' ? d : d.toNumber()));

function floatData(t: TensorProto): Float32Array {
  if (t.dataType !== DataType.FLOAT || !t.rawData) throw new Error(`initializer ${t.name} is not raw float32`);
  // A copy: decoded bytes may be a view into a larger (Buffer pool) allocation.
  return new Float32Array(new Uint8Array(t.rawData).buffer);
}

function tensor(name: string, dims: number[], data: Float32Array | Int8Array | Uint8Array | Int32Array): TensorProto {
  const dataType = data instanceof Float32Array ? DataType.FLOAT : data instanceof Int8Array ? DataType.INT8 : data instanceof Uint8Array ? DataType.UINT8 : DataType.INT32;
  return { name, dims, dataType, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice() };
}

function consumers(graph: GraphProto, name: string): NodeProto[] {
  return graph.node.filter((n) => n.input.includes(name));
}

/**
 * Folds the per-channel scale layers that follow each convolution (Conv → Mul(s) → Add(t), the
 * form of face-api's folded batch norms) into the convolution: W' = W·s, b' = b·s + t. The result
 * computes the same function with fewer ops and is what quantisation needs (one conv per layer).
 */
export function foldConvChannelAffine(model: Model): Model {
  const g = model.graph;
  const inits = new Map(g.initializer.map((t) => [t.name, t]));
  const removed = new Set<NodeProto>();
  for (const conv of g.node) {
    if (conv.opType !== 'Conv' || conv.input.length < 2) continue;
    const [mul] = consumers(g, conv.output[0]!);
    if (!mul || mul.opType !== 'Mul' || consumers(g, conv.output[0]!).length !== 1) continue;
    const scaleInit = inits.get(mul.input.find((i) => i !== conv.output[0])!);
    const [add] = consumers(g, mul.output[0]!);
    if (!scaleInit || !add || add.opType !== 'Add' || consumers(g, mul.output[0]!).length !== 1) continue;
    const shiftInit = inits.get(add.input.find((i) => i !== mul.output[0])!);
    if (!shiftInit) continue;
    const w = inits.get(conv.input[1]!)!;
    const [outC] = dimsOf(w);
    const s = floatData(scaleInit), t = floatData(shiftInit);
    if (s.length !== outC || t.length !== outC) continue;
    const wData = floatData(w);
    const per = wData.length / outC!;
    const folded = wData.map((v, i) => v * s[Math.floor(i / per)]!);
    const bias = conv.input[2] ? floatData(inits.get(conv.input[2])!) : new Float32Array(outC!);
    const newBias = bias.map((b, c) => b * s[c]! + t[c]!);
    const wName = `${w.name}/folded`, bName = `${w.name}/folded_bias`;
    g.initializer.push(tensor(wName, dimsOf(w), folded), tensor(bName, [outC!], newBias));
    conv.input = [conv.input[0]!, wName, bName];
    // The conv now writes the Add's output tensor directly.
    conv.output = [add.output[0]!];
    removed.add(mul).add(add);
  }
  g.node = g.node.filter((n) => !removed.has(n));
  return pruneInitializers(model);
}

function pruneInitializers(model: Model): Model {
  const used = new Set(model.graph.node.flatMap((n) => n.input));
  model.graph.initializer = model.graph.initializer.filter((t) => used.has(t.name));
  return model;
}

/**
 * The activation tensors to quantise. Whole model: every non-constant input of a Conv, and both
 * inputs of a residual Add. Selected convolutions only: the input and the output of each, so that
 * every selected conv sits between Q/DQ pairs (what onnxruntime fuses into QLinearConv) while
 * everything else stays float. Sorted, so calibration files list them in a stable order.
 */
export function quantisableActivations(model: Model, convs?: ReadonlySet<string>): string[] {
  const inits = new Set(model.graph.initializer.map((t) => t.name));
  const out = new Set<string>();
  for (const n of model.graph.node) {
    if (convs) {
      if (n.opType === 'Conv' && convs.has(n.name ?? '')) [n.input[0]!, n.output[0]!].forEach((t) => out.add(t));
      continue;
    }
    if (n.opType === 'Conv') out.add(n.input[0]!);
    if (n.opType === 'Add' && n.input.every((i) => !inits.has(i))) n.input.forEach((i) => out.add(i));
  }
  return [...out].sort();
}

/** Every input and output of every Conv: what calibration measures for a mixed-precision model. */
export function convActivations(model: Model): string[] {
  return quantisableActivations(model, new Set(convNodes(model).map((n) => n.name ?? '')));
}

export interface ConvShape {
  name: string;
  /** Kernel height × width. */
  kernel: number;
  group: number;
  inChannels: number;
  outChannels: number;
}

const convNodes = (model: Model) => model.graph.node.filter((n) => n.opType === 'Conv');

/** Each Conv's name, kernel size and grouping, for rules that choose which ones to quantise. */
export function convShapes(model: Model): ConvShape[] {
  const inits = new Map(model.graph.initializer.map((t) => [t.name, t]));
  return convNodes(model).map((n) => {
    const [outC, inPerGroup, kh, kw] = dimsOf(inits.get(n.input[1]!)!);
    const groupAttr = (n.attribute as Array<{ name: string; i?: number | { toNumber(): number } }> | undefined)?.find((a) => a.name === 'group')?.i;
    const group = groupAttr === undefined ? 1 : Number(groupAttr);
    return { name: n.name ?? '', kernel: kh! * kw!, group, inChannels: inPerGroup! * group, outChannels: outC! };
  });
}

/** Per-axis DequantizeLinear (per-channel weights) exists from ONNX opset 13. */
const QDQ_OPSET = 13;
/** Ops whose float semantics are the same from opset 9 to 13 (later versions only added types). */
const OPSET_STABLE_OPS = new Set(['Conv', 'PRelu', 'Relu', 'Add', 'Sub', 'Mul', 'Reshape']);

/**
 * Raises an older graph (e.g. a PyTorch export at opset 9) to the opset that per-channel QDQ
 * needs; refused if the graph uses an op outside the short list known to mean the same there.
 */
function requireQdqOpset(model: Model): void {
  const main = model.opsetImport?.find((o) => !o.domain);
  if (!main || Number(main.version) >= QDQ_OPSET) return;
  const other = model.graph.node.find((n) => !OPSET_STABLE_OPS.has(n.opType));
  if (other) throw new Error(`opset ${Number(main.version)} graph with ${other.opType}: cannot raise it to opset ${QDQ_OPSET} for per-channel quantisation`);
  main.version = QDQ_OPSET;
}

/** A copy of the model that also outputs the given intermediate tensors (for calibration). */
export function withExtraOutputs(model: Model, names: string[]): Model {
  const copy = structuredClone(model);
  for (const name of names) copy.graph.output.push({ name, type: { tensorType: { elemType: DataType.FLOAT } } });
  return copy;
}

/** uint8 affine parameters covering [min, max] (always including 0, so zero padding is exact). */
export function uint8Params([min, max]: [number, number], levels = 255): { scale: number; zeroPoint: number } {
  const lo = Math.min(min, 0), hi = Math.max(max, 0);
  const scale = (hi - lo) / levels || 1e-8;
  return { scale, zeroPoint: Math.min(levels, Math.max(0, Math.round(-lo / scale))) };
}

/**
 * How many integer levels the weights and activations use. The full int8 grid (weights ±127,
 * activations 0..255) is exact only on CPUs whose int8 dot product accumulates in 32 bits (VNNI);
 * without VNNI, onnxruntime's u8s8 kernel sums pairs of products in saturating 16-bit lanes, and
 * 2·255·127 overflows them. Weights within ±63 keep every pair sum below 2¹⁵ (2·255·64 = 32640),
 * so the integer arithmetic is exact, and identical, on every x86-64 CPU.
 */
export interface QuantisationScheme {
  /** Largest |q| of a conv weight (127: full int8; 63: 7-bit, the "reduce range" of onnxruntime). */
  weightMax: number;
  /** Largest activation code (255: full uint8). */
  activationMax: number;
}
export const FULL_RANGE: QuantisationScheme = { weightMax: 127, activationMax: 255 };
/** What the build uses: the same integer results with and without VNNI (7-bit weights). */
export const PORTABLE_RANGE: QuantisationScheme = { weightMax: 63, activationMax: 255 };

const INT32_MAX = 2 ** 31 - 1;
/** Smallest weight scale: far below any real channel's, far above float32's denormals. */
const MIN_WEIGHT_SCALE = 1e-12;

/**
 * Rewrites a folded float model into QDQ form with the given activation ranges. Conv weights
 * become int8 per output channel (symmetric), biases int32 at scale x_scale·w_scale.
 */
export function quantiseQdq(model: Model, ranges: ActivationRanges, scheme: QuantisationScheme = FULL_RANGE, convs?: ReadonlySet<string>): Model {
  const g = model.graph;
  const inits = new Map(g.initializer.map((t) => [t.name, t]));
  const unknown = [...(convs ?? [])].filter((name) => !g.node.some((n) => n.opType === 'Conv' && n.name === name));
  if (unknown.length) throw new Error(`no Conv named ${unknown.join(', ')} in the model`);
  requireQdqOpset(model);
  const targets = quantisableActivations(model, convs);
  const missing = targets.filter((t) => !ranges[t]);
  if (missing.length) throw new Error(`no calibration range for ${missing.length} tensors (e.g. ${missing[0]}): recalibrate`);
  const newNodes: NodeProto[] = [];
  /** Float tensor → its dequantised replacement; and the activation scale of each replacement. */
  const dq = new Map<string, string>();
  const scaleOf = new Map<string, number>();
  const node = (opType: string, input: string[], output: string[], attribute: unknown[] = []): NodeProto => ({ opType, name: `q/${output[0]}`, input, output, attribute });

  for (const t of targets) {
    const { scale, zeroPoint } = uint8Params(ranges[t]!, scheme.activationMax);
    const s = `${t}/q_scale`, z = `${t}/q_zero`;
    g.initializer.push(tensor(s, [], Float32Array.of(scale)), tensor(z, [], Uint8Array.of(zeroPoint)));
    newNodes.push(node('QuantizeLinear', [t, s, z], [`${t}/q`]), node('DequantizeLinear', [`${t}/q`, s, z], [`${t}/dq`]));
    dq.set(t, `${t}/dq`);
    scaleOf.set(`${t}/dq`, scale);
  }
  // Whole model: every consumer reads the dequantised tensor, so each op sits between DQ and Q
  // nodes. Selected convs: a float tensor that feeds one is rounded for that conv only; its other
  // consumers (a residual Add, say) keep reading it in float, so rounding does not accumulate
  // along the float path. A selected conv's output exists only in int8, so everyone reads it.
  const int8Outputs = new Set(g.node.filter((n) => n.opType === 'Conv' && convs?.has(n.name ?? '')).map((n) => n.output[0]!));
  for (const n of g.node) {
    const roundsInputs = !convs || (n.opType === 'Conv' && convs.has(n.name ?? ''));
    n.input = n.input.map((i) => (roundsInputs || int8Outputs.has(i) ? (dq.get(i) ?? i) : i));
  }

  for (const conv of g.node.filter((n) => n.opType === 'Conv' && (!convs || convs.has(n.name ?? '')))) {
    const xScale = scaleOf.get(conv.input[0]!);
    const w = inits.get(conv.input[1]!)!;
    const dims = dimsOf(w);
    const outC = dims[0]!;
    const wData = floatData(w);
    const per = wData.length / outC;
    const bias = conv.input[2] ? floatData(inits.get(conv.input[2])!) : undefined;
    const wScale = new Float32Array(outC);
    const q = new Int8Array(wData.length);
    for (let c = 0; c < outC; c++) {
      let m = 0;
      for (let i = c * per; i < (c + 1) * per; i++) m = Math.max(m, Math.abs(wData[i]!));
      // A dead channel (weights ~1e-43) must not get a denormal scale: the bias scale
      // x_scale·w_scale would underflow to 0, and the bias would have to fit int32 anyway.
      const biasFloor = bias && xScale !== undefined ? Math.abs(bias[c]!) / (xScale * INT32_MAX) : 0;
      wScale[c] = Math.max(m / scheme.weightMax, biasFloor, MIN_WEIGHT_SCALE);
      // Clamped, so float32 rounding of the scale can never step outside the portable grid.
      for (let i = c * per; i < (c + 1) * per; i++) q[i] = Math.max(-scheme.weightMax, Math.min(scheme.weightMax, Math.round(wData[i]! / wScale[c]!)));
    }
    const base = conv.input[1]!;
    g.initializer.push(tensor(`${base}/int8`, dims, q), tensor(`${base}/w_scale`, [outC], wScale), tensor(`${base}/w_zero`, [outC], new Int8Array(outC)));
    newNodes.push(node('DequantizeLinear', [`${base}/int8`, `${base}/w_scale`, `${base}/w_zero`], [`${base}/dq`], [{ name: 'axis', type: 2, i: 0 }]));
    const inputs = [conv.input[0]!, `${base}/dq`];
    if (bias && xScale !== undefined) {
      const bScale = wScale.map((s) => s * xScale);
      const bq = Int32Array.from(bias, (v, c) => Math.round(v / bScale[c]!));
      g.initializer.push(tensor(`${base}/b_int32`, [outC], bq), tensor(`${base}/b_scale`, [outC], bScale), tensor(`${base}/b_zero`, [outC], new Int32Array(outC)));
      newNodes.push(node('DequantizeLinear', [`${base}/b_int32`, `${base}/b_scale`, `${base}/b_zero`], [`${base}/b_dq`], [{ name: 'axis', type: 2, i: 0 }]));
      inputs.push(`${base}/b_dq`);
    } else if (conv.input[2]) inputs.push(conv.input[2]);
    conv.input = inputs;
  }
  // ONNX wants every node after its inputs' producers: the new Q/DQ nodes are put in place.
  g.node = topologicalOrder([...g.node, ...newNodes], new Set([...g.initializer.map((t) => t.name), ...g.input.map((i) => i.name)]), g.output.map((o) => o.name));
  return pruneInitializers(model);
}

/** The nodes in dependency order; every input must be produced by a node or be available. */
function topologicalOrder(nodes: NodeProto[], available: Set<string>, outputs: string[]): NodeProto[] {
  const producer = new Map(nodes.flatMap((n) => n.output.map((o) => [o, n] as const)));
  const produced = (name: string) => {
    const n = producer.get(name);
    if (!n) throw new Error(`graph has unresolved input ${name}`);
    return n;
  };
  const inputsOf = (n: NodeProto) => n.input.filter((i) => i !== '' && !available.has(i)).map(produced);
  return dependencyOrder(outputs.map(produced), inputsOf, (n) => n.name ?? n.opType);
}
