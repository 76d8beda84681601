/**
 * A small, typed builder for ONNX graphs. Model builders (TFJS graph converter, face-api nets)
 * add initializers and nodes, declare inputs/outputs, and serialise to bytes that
 * onnxruntime loads. Opset 17, IR version 8.
 */
import { AttributeType, DataType, ModelProto, type DataTypeCode } from './onnx-schema.ts';

export const OPSET = 17;

export type AttrValue = number | string | number[] | { floats: number[] } | { tensor: TensorInit } | { int: number } | { float: number };
export type Dim = number | string;

export interface TensorInit {
  dims: number[];
  data: Float32Array | Int32Array | BigInt64Array | Uint8Array | Int8Array;
}

function dataTypeOf(data: TensorInit['data']): DataTypeCode {
  if (data instanceof Float32Array) return DataType.FLOAT;
  if (data instanceof Int32Array) return DataType.INT32;
  if (data instanceof BigInt64Array) return DataType.INT64;
  if (data instanceof Int8Array) return DataType.INT8;
  return DataType.UINT8;
}

function tensorProto(name: string, t: TensorInit) {
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (count !== t.data.length) throw new Error(`tensor ${name}: dims ${t.dims} hold ${count} values, data has ${t.data.length}`);
  // Copy so that the raw bytes are little-endian and exactly the tensor (no shared buffer slack).
  const raw = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength).slice();
  return { name, dims: t.dims, dataType: dataTypeOf(t.data), rawData: raw };
}

function attribute(name: string, value: AttrValue) {
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') {
    // Plain numbers: integers become INT attributes, others FLOAT. Use {float} to force FLOAT.
    return Number.isInteger(value) ? { name, type: AttributeType.INT, i: value } : { name, type: AttributeType.FLOAT, f: value };
  }
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  if ('floats' in value) return { name, type: AttributeType.FLOATS, floats: value.floats };
  if ('int' in value) return { name, type: AttributeType.INT, i: value.int };
  if ('float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
  return { name, type: AttributeType.TENSOR, t: tensorProto('', value.tensor) };
}

function valueInfo(name: string, shape: Dim[], elemType: DataTypeCode = DataType.FLOAT) {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

export class OnnxGraph {
  private nodes: object[] = [];
  private initializers: object[] = [];
  private inputs: object[] = [];
  private outputs: object[] = [];
  private names = new Set<string>();
  private counter = 0;

  constructor(readonly name: string) {}

  /** A fresh tensor name with the given prefix, unique in this graph. */
  fresh(prefix: string): string {
    let n: string;
    do n = `${prefix}_${this.counter++}`;
    while (this.names.has(n));
    this.names.add(n);
    return n;
  }

  input(name: string, shape: Dim[], elemType: DataTypeCode = DataType.FLOAT): string {
    this.names.add(name);
    this.inputs.push(valueInfo(name, shape, elemType));
    return name;
  }

  output(name: string, shape: Dim[], elemType: DataTypeCode = DataType.FLOAT): string {
    this.outputs.push(valueInfo(name, shape, elemType));
    return name;
  }

  /** Adds a constant tensor; returns its name. */
  initializer(name: string, tensor: TensorInit): string {
    if (this.names.has(name)) name = this.fresh(name);
    this.names.add(name);
    this.initializers.push(tensorProto(name, tensor));
    return name;
  }

  constFloat(prefix: string, values: number[] | Float32Array, dims?: number[]): string {
    const data = values instanceof Float32Array ? values : Float32Array.from(values);
    return this.initializer(this.fresh(prefix), { dims: dims ?? [data.length], data });
  }

  constInt64(prefix: string, values: number[], dims?: number[]): string {
    return this.initializer(this.fresh(prefix), { dims: dims ?? [values.length], data: BigInt64Array.from(values.map(BigInt)) });
  }

  /**
   * Adds a node. `outputs` may be a count (fresh names are made) or explicit names.
   * Returns the output names.
   */
  node(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, outputs: number | string[] = 1): string[] {
    const outs = typeof outputs === 'number' ? Array.from({ length: outputs }, () => this.fresh(opType.toLowerCase())) : outputs;
    for (const o of outs) this.names.add(o);
    this.nodes.push({
      opType,
      name: this.fresh(`n_${opType}`),
      input: inputs,
      output: outs,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return outs;
  }

  /** Single-output convenience form of node(). */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, output?: string): string {
    return this.node(opType, inputs, attrs, output ? [output] : 1)[0]!;
  }

  toBytes(meta: Record<string, string> = {}, docString = ''): Uint8Array {
    const model = ModelProto.create({
      irVersion: 8,
      producerName: 'facematch-models',
      producerVersion: '1',
      docString,
      opsetImport: [{ domain: '', version: OPSET }],
      metadataProps: Object.entries(meta).map(([key, value]) => ({ key, value })),
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return ModelProto.encode(model).finish();
  }
}
