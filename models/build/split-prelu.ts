/**
 * Rewrites every PRelu(x, a) as Relu(x) + a·(x − Relu(x)). The result is bit-identical (for
 * x > 0 it computes x + a·0, for x ≤ 0 it computes 0 + a·x, each one exact float operation),
 * but onnxruntime's CPU PRelu with a per-channel slope is a slow broadcast loop: on the
 * MobileFaceNet-style fr_feature it took about half of a batch-2 run, while Relu, Sub, Mul and
 * Add run as vectorised kernels that keep the blocked (NCHWc) layout of the convolutions.
 */
import type { NodeProto } from './quantise.ts';

interface Model {
  graph: { node: NodeProto[] };
}

export function splitPRelu<M extends Model>(model: M): M {
  model.graph.node = model.graph.node.flatMap((n) => {
    if (n.opType !== 'PRelu') return [n];
    const [x, slope] = n.input as [string, string];
    const y = n.output[0]!;
    const relu = `${y}/relu`, negative = `${y}/negative`, scaled = `${y}/scaled`;
    const node = (opType: string, input: string[], output: string): NodeProto => ({ opType, name: output, input, output: [output], attribute: [] });
    return [node('Relu', [x], relu), node('Sub', [x, relu], negative), node('Mul', [negative, slope], scaled), { ...node('Add', [relu, scaled], y), name: `${y}/prelu` }];
  });
  return model;
}
