/**
 * TensorFlow's spatial padding rules, made explicit for ONNX.
 *
 * SAME: out = ceil(in / stride); the total padding needed to cover the input with the
 * (dilated) kernel is split with the smaller half before and the larger half after, so an
 * odd total pads one more row/column at the bottom/right (ONNX auto_pad SAME_UPPER).
 * VALID: no padding; out = floor((in - effectiveKernel) / stride) + 1.
 */

export interface AxisPadding {
  out: number;
  before: number;
  after: number;
}

export function effectiveKernel(kernel: number, dilation = 1): number {
  return (kernel - 1) * dilation + 1;
}

export function samePadding(inSize: number, kernel: number, stride: number, dilation = 1): AxisPadding {
  const k = effectiveKernel(kernel, dilation);
  const out = Math.ceil(inSize / stride);
  const total = Math.max((out - 1) * stride + k - inSize, 0);
  const before = Math.floor(total / 2);
  return { out, before, after: total - before };
}

export function validPadding(inSize: number, kernel: number, stride: number, dilation = 1): AxisPadding {
  const k = effectiveKernel(kernel, dilation);
  const out = Math.floor((inSize - k) / stride) + 1;
  if (out < 1) throw new Error(`VALID window ${k} does not fit input size ${inSize}`);
  return { out, before: 0, after: 0 };
}

/** Explicit (before, after) padding, as in TF's EXPLICIT mode. */
export function explicitPadding(inSize: number, kernel: number, stride: number, dilation: number, before: number, after: number): AxisPadding {
  const k = effectiveKernel(kernel, dilation);
  return { out: Math.floor((inSize + before + after - k) / stride) + 1, before, after };
}

/**
 * Padding of the two spatial axes (H, W) for a TF padding mode. `explicit` is TF's
 * explicit_paddings list in the tensor's layout order (8 numbers for NHWC).
 * Returns ONNX pads [hBefore, wBefore, hAfter, wAfter] and the output size.
 */
export function spatialPadding(
  mode: string,
  inHW: [number, number],
  kernelHW: [number, number],
  strideHW: [number, number],
  dilationHW: [number, number] = [1, 1],
  explicit: number[] = [],
): { pads: [number, number, number, number]; outHW: [number, number] } {
  const axes = [0, 1].map((a) => {
    const inSize = inHW[a]!;
    if (inSize < 0) throw new Error('spatial padding needs static spatial dims');
    if (mode === 'SAME') return samePadding(inSize, kernelHW[a]!, strideHW[a]!, dilationHW[a]);
    if (mode === 'VALID') return validPadding(inSize, kernelHW[a]!, strideHW[a]!, dilationHW[a]);
    if (mode === 'EXPLICIT') {
      // NHWC explicit_paddings: [nB, nA, hB, hA, wB, wA, cB, cA]
      return explicitPadding(inSize, kernelHW[a]!, strideHW[a]!, dilationHW[a]!, explicit[2 + 2 * a] ?? 0, explicit[3 + 2 * a] ?? 0);
    }
    throw new Error(`unsupported padding mode ${mode}`);
  }) as [AxisPadding, AxisPadding];
  return {
    pads: [axes[0].before, axes[1].before, axes[0].after, axes[1].after],
    outHW: [axes[0].out, axes[1].out],
  };
}
