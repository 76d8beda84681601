/**
 * The graph walker: orders the GraphDef nodes that the requested outputs depend on,
 * converts them one by one through the op table and declares the ONNX inputs/outputs.
 *
 * Image tensors keep TF's NHWC layout at the model boundary: the ONNX input is NHWC exactly
 * like the TFJS model's, it is transposed once to NCHW, and outputs are returned in TF order.
 */
import { OnnxGraph, type Dim } from '../onnx-graph.ts';
import type { ModelIO } from '../spec.ts';
import { attrShape } from './attrs.ts';
import { ConvertContext, type Value } from './context.ts';
import { opTable } from './ops.ts';
import type { ConstTensor, TfModelJson, TfNode } from './types.ts';
import { dependencyOrder } from '../shared/dependency-order.ts';

export interface GraphInputSpec {
  /** TF Placeholder node name. */
  node: string;
  /** ONNX input name. */
  name: string;
  /** What a dynamic (-1) batch dim becomes: a symbolic name (default 'N') or a fixed size. */
  batch?: number | string;
}

export interface GraphOutputSpec {
  /** ONNX output name. */
  name: string;
  /** TF tensor names ("node" or "node:k"); several are concatenated along concatAxis. */
  from: string[];
  concatAxis?: number;
}

export interface ConvertOptions {
  graphName: string;
  inputs: GraphInputSpec[];
  outputs: GraphOutputSpec[];
  meta?: Record<string, string>;
  docString?: string;
}

export interface ConvertResult {
  bytes: Uint8Array;
  inputs: ModelIO[];
  outputs: ModelIO[];
  /** TF op types converted (for notes and tests). */
  opsUsed: string[];
}

function parseRef(ref: string): { node: string; index: number } | undefined {
  if (ref.startsWith('^')) return undefined; // control dependency: no data
  const m = /^(.*?)(?::(\d+))?$/.exec(ref)!;
  return { node: m[1]!, index: m[2] ? Number(m[2]) : 0 };
}

/** Nodes needed for `targets`, in dependency order. */
export function topoOrder(nodes: Map<string, TfNode>, targets: string[]): TfNode[] {
  const node = (name: string) => {
    const n = nodes.get(name);
    if (!n) throw new Error(`graph has no node ${name}`);
    return n;
  };
  const inputsOf = (n: TfNode) => (n.input ?? []).flatMap((i) => {
    const ref = parseRef(i);
    return ref ? [node(ref.node)] : [];
  });
  return dependencyOrder(targets.map(node), inputsOf, (n) => n.name);
}

function dims(shape: number[], batch: number | string = 'N'): Dim[] {
  return shape.map((d, i) => (d >= 0 ? d : i === 0 ? batch : `d${i}`));
}

export function convertTfjsGraph(json: TfModelJson, weights: Map<string, ConstTensor>, options: ConvertOptions): ConvertResult {
  const nodes = new Map<string, TfNode>();
  for (const n of json.modelTopology.node) nodes.set(n.name, n);
  const g = new OnnxGraph(options.graphName);
  const ctx = new ConvertContext(g);
  const values = new Map<string, Value[]>();
  const inputSpecs = new Map(options.inputs.map((i) => [i.node, i]));
  const declaredInputs: ModelIO[] = [];
  const targets = [...new Set(options.outputs.flatMap((o) => o.from.map((f) => parseRef(f)!.node)))];
  const opsUsed = new Set<string>();

  const lookup = (ref: string): Value => {
    const r = parseRef(ref)!;
    const v = values.get(r.node)?.[r.index];
    if (!v) throw new Error(`tensor ${ref} was not produced`);
    return v;
  };

  for (const node of topoOrder(nodes, targets)) {
    let produced: Value[];
    if (node.op === 'Const') {
      const k = weights.get(node.name);
      if (!k) throw new Error(`${options.graphName}: constant ${node.name} has no data in the weights manifest`);
      produced = [{ tfName: node.name, shape: k.shape, layout: 'tf', konst: k }];
    } else if (node.op === 'Placeholder') {
      const spec = inputSpecs.get(node.name);
      if (!spec) throw new Error(`${options.graphName}: placeholder ${node.name} is not declared as an input`);
      const raw = attrShape(node, 'shape');
      if (!raw) throw new Error(`${options.graphName}: placeholder ${node.name} has no static shape`);
      const shape = raw.map((d, i) => (d < 0 && i === 0 && typeof spec.batch === 'number' ? spec.batch : d));
      const d = dims(shape, typeof spec.batch === 'string' ? spec.batch : 'N');
      g.input(spec.name, d);
      declaredInputs.push({ name: spec.name, shape: d });
      produced = [{ tfName: node.name, shape, layout: 'tf', onnx: spec.name }];
    } else {
      const convert = opTable[node.op];
      if (!convert) throw new Error(`${options.graphName}: TFJS op "${node.op}" (node ${node.name}) is not supported by the converter`);
      opsUsed.add(node.op);
      const inputs = (node.input ?? []).filter((r) => !r.startsWith('^')).map(lookup);
      const res = convert(ctx, node, inputs);
      produced = Array.isArray(res) ? res : [res];
    }
    values.set(node.name, produced);
  }

  const declaredOutputs: ModelIO[] = [];
  for (const o of options.outputs) {
    const parts = o.from.map(lookup);
    let shape = parts[0]!.shape.slice();
    let src: string;
    if (parts.length === 1) {
      src = ctx.tf(parts[0]!);
    } else {
      const axis = o.concatAxis ?? -1;
      const a = axis < 0 ? axis + shape.length : axis;
      shape[a] = parts.reduce((s, p) => (s < 0 || p.shape[a]! < 0 ? -1 : s + p.shape[a]!), 0);
      src = g.op('Concat', parts.map((p) => ctx.tf(p)), { axis: a });
    }
    const batch = options.inputs.find((i) => typeof i.batch === 'number')?.batch;
    if (typeof batch === 'number' && shape[0] === -1) shape = [batch, ...shape.slice(1)];
    g.op('Identity', [src], {}, o.name);
    const d = dims(shape);
    g.output(o.name, d);
    declaredOutputs.push({ name: o.name, shape: d });
  }

  return {
    bytes: g.toBytes(options.meta ?? {}, options.docString ?? ''),
    inputs: declaredInputs,
    outputs: declaredOutputs,
    opsUsed: [...opsUsed].sort(),
  };
}
