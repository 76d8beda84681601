/**
 * Conversion state shared by the op converters: the ONNX graph being built, and the
 * bookkeeping that lets the graph work in NCHW internally while TF semantics are NHWC.
 *
 * Every TF tensor becomes a Value that records its TF (logical) shape and how the ONNX
 * tensor is physically laid out: 'tf' (same order as TF) or 'nchw' (a rank-4 TF NHWC tensor
 * held as NCHW). Layout changes are inserted lazily and cached, so a tensor is transposed at
 * most once per direction.
 */
import type { OnnxGraph } from '../onnx-graph.ts';
import { PERM_NCHW_TO_NHWC, PERM_NHWC_TO_NCHW, transposeData } from './tensor-utils.ts';
import type { ConstTensor, TfNode } from './types.ts';

export type Layout = 'tf' | 'nchw';

export interface Value {
  /** TF tensor name ("node" or "node:k"); used for messages and initializer names. */
  tfName: string;
  /** TF shape (NHWC order for images); -1 marks a dynamic dim. */
  shape: number[];
  layout: Layout;
  /** ONNX tensor name; absent for constants that are not materialised yet. */
  onnx?: string;
  /** Set for TF Const values. */
  konst?: ConstTensor;
}

export class ConvertContext {
  private layoutCache = new Map<string, string>();
  private constCache = new Map<string, string>();

  constructor(readonly g: OnnxGraph) {}

  value(tfName: string, shape: number[], layout: Layout, onnx: string): Value {
    return { tfName, shape, layout, onnx };
  }

  /** The constant behind a value, or an error naming the node that needed one. */
  constOf(v: Value, node: TfNode, what: string): ConstTensor {
    if (!v.konst) throw new Error(`node ${node.name} (${node.op}): ${what} must be a constant (got ${v.tfName})`);
    return v.konst;
  }

  private floatData(v: Value): Float32Array {
    const k = v.konst!;
    if (k.dtype !== 'float32') throw new Error(`constant ${v.tfName} of type ${k.dtype} used as float data`);
    return k.data as Float32Array;
  }

  private cachedConst(key: string, make: () => string): string {
    let name = this.constCache.get(key);
    if (!name) {
      name = make();
      this.constCache.set(key, name);
    }
    return name;
  }

  /** A float initializer with a readable name. */
  addFloat(prefix: string, data: Float32Array, dims: number[]): string {
    return this.g.initializer(sanitize(prefix), { dims, data });
  }

  int64(prefix: string, values: number[]): string {
    return this.g.constInt64(sanitize(prefix), values);
  }

  scalar(prefix: string, x: number): string {
    return this.cachedConst(`scalar:${x}`, () => this.g.constFloat(sanitize(prefix), [x], []));
  }

  /** ONNX name of the value in TF layout. */
  tf(v: Value): string {
    if (v.konst) return this.cachedConst(`tf:${v.tfName}`, () => this.addFloat(v.tfName, this.floatData(v), v.konst!.shape));
    if (v.layout === 'tf') return v.onnx!;
    return this.cachedLayout(`tf:${v.onnx}`, () => this.g.op('Transpose', [v.onnx!], { perm: PERM_NCHW_TO_NHWC }));
  }

  /** ONNX name of a rank-4 value in NCHW layout. */
  nchw(v: Value): string {
    if (v.shape.length !== 4) throw new Error(`${v.tfName}: NCHW layout needs a rank-4 tensor, shape is [${v.shape}]`);
    if (v.konst) {
      return this.cachedConst(`nchw:${v.tfName}`, () => {
        const t = transposeData(this.floatData(v), v.konst!.shape, PERM_NHWC_TO_NCHW);
        return this.addFloat(`${v.tfName}_nchw`, t.data, t.shape);
      });
    }
    if (v.layout === 'nchw') return v.onnx!;
    return this.cachedLayout(`nchw:${v.onnx}`, () => this.g.op('Transpose', [v.onnx!], { perm: PERM_NHWC_TO_NCHW }));
  }

  /**
   * A constant re-arranged so that it broadcasts against an NCHW tensor exactly as the
   * original broadcast against the NHWC tensor (e.g. per-channel [C] becomes [1,C,1,1]).
   */
  nchwBroadcastConst(v: Value): string {
    const k = v.konst!;
    if (k.shape.length === 0) return this.tf(v);
    if (k.shape.length > 4) throw new Error(`${v.tfName}: cannot broadcast a rank-${k.shape.length} constant against a 4-D tensor`);
    return this.cachedConst(`bcast:${v.tfName}`, () => {
      const s4 = [...new Array<number>(4 - k.shape.length).fill(1), ...k.shape];
      const t = transposeData(this.floatData(v), s4, PERM_NHWC_TO_NCHW);
      return this.addFloat(`${v.tfName}_nchw`, t.data, t.shape);
    });
  }

  /** A value usable as an operand next to NCHW tensors, or undefined if it cannot be. */
  nchwOperand(v: Value): string | undefined {
    if (v.shape.length === 4) return this.nchw(v);
    if (v.konst) return this.nchwBroadcastConst(v);
    if (v.shape.length === 0) return this.tf(v);
    return undefined;
  }

  private cachedLayout(key: string, make: () => string): string {
    let name = this.layoutCache.get(key);
    if (!name) {
      name = make();
      this.layoutCache.set(key, name);
    }
    return name;
  }
}

/** Initializer names: keep TF names readable but free of characters tools dislike. */
export function sanitize(name: string): string {
  return name.replace(/^StatefulPartitionedCall\//, '').replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 't';
}
