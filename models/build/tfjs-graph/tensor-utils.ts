/** Small helpers for rearranging constant tensors at build time. */

export type TypedData = Float32Array | Int32Array | Uint8Array;

export function numel(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Row-major transpose: result dim i is input dim perm[i]. */
export function transposeData<T extends TypedData>(data: T, shape: number[], perm: number[]): { data: T; shape: number[] } {
  const rank = shape.length;
  if (perm.length !== rank) throw new Error(`transpose: perm ${perm} does not match rank ${rank}`);
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1]! * shape[i + 1]!;
  const stepIn = perm.map((p) => inStrides[p]!);
  const out = new (data.constructor as { new (n: number): T })(data.length);
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < data.length; o++) {
    out[o] = data[src]!;
    // advance the output multi-index (last axis fastest), tracking the source offset
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      src += stepIn[d]!;
      if (idx[d]! < outShape[d]!) break;
      src -= stepIn[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
  return { data: out, shape: outShape };
}

/** TF NHWC axis -> axis of the same data held as NCHW. */
export const NHWC_TO_NCHW_AXIS = [0, 2, 3, 1] as const;
/** Transpose perms between the layouts. */
export const PERM_NHWC_TO_NCHW = [0, 3, 1, 2];
export const PERM_NCHW_TO_NHWC = [0, 2, 3, 1];

/** Numpy-style broadcast of two static shapes; -1 marks a dynamic dim. */
export function broadcastShapes(a: number[], b: number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x === 1) out.push(y);
    else if (y === 1) out.push(x);
    else if (x === y) out.push(x);
    else if (x === -1 || y === -1) out.push(x === -1 ? y : x);
    else throw new Error(`shapes [${a}] and [${b}] do not broadcast`);
  }
  return out;
}
