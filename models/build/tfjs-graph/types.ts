/**
 * The parts of the TFJS graph-model format (model.json) that the converter reads.
 * modelTopology is a TensorFlow GraphDef in protobuf-JSON form; weightsManifest lists the
 * binary shards and, in order, the tensors packed into them.
 */

export interface TfAttrList {
  s?: string[];
  i?: Array<string | number>;
  f?: number[];
  b?: boolean[];
}

export interface TfShapeProto {
  dim?: Array<{ size?: string | number }>;
  unknownRank?: boolean;
}

export interface TfAttr {
  s?: string;
  i?: string | number;
  f?: number;
  b?: boolean;
  type?: string;
  shape?: TfShapeProto;
  list?: TfAttrList;
  tensor?: { dtype?: string; tensorShape?: TfShapeProto };
}

export interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttr>;
  device?: string;
}

export type QuantDtype = 'uint8' | 'uint16' | 'float16';

export interface TfWeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: QuantDtype; scale?: number; min?: number; original_dtype?: string };
}

export interface TfWeightGroup {
  paths: string[];
  weights: TfWeightSpec[];
}

export interface TfModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string;
  modelTopology: { node: TfNode[]; library?: unknown; versions?: unknown };
  weightsManifest: TfWeightGroup[];
  signature?: unknown;
  userDefinedMetadata?: unknown;
}

/** A constant tensor decoded from the weight shards. */
export interface ConstTensor {
  dtype: 'float32' | 'int32' | 'bool';
  shape: number[];
  data: Float32Array | Int32Array | Uint8Array;
}
