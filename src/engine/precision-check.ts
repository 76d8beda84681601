/**
 * The start-up check of an int8 net against its float original. The int8 recognition net is built
 * so that its integer arithmetic cannot overflow on any x86-64 kernel (see models/build/quantise.ts),
 * but the check does not take that on trust: each engine runs both nets once on two fixed
 * synthetic crops and keeps the int8 net only if its descriptors agree with the float ones.
 * Otherwise it runs the float net, and says why.
 *
 * Measured with onnxruntime 1.30 (native AVX-512 VNNI, and the same CPU emulated as AVX2-only
 * Haswell by qemu): the 7-bit-weight net agrees to ≥ 0.9990 on both crops, with bit-identical
 * descriptors on both CPUs; a full-range int8 net agrees to 0.9996 with VNNI but only 0.9929 on
 * the stripes without it, where its 16-bit pair sums saturate. The threshold sits between.
 */
import type { ModelSession } from './sessions.ts';
import type { PrecisionInUse } from './types.ts';

export type { PrecisionInUse } from './types.ts';

/** Smallest cosine between the int8 and float descriptors of the check crops for int8 to be used. */
export const INT8_AGREEMENT = 0.997;

/**
 * A deterministic 150×150 RGB face drawing (0..255, interleaved), no photo involved: a lit skin
 * oval on a darker background, eyes, brows, nose shading and a mouth at dlib's chip positions,
 * plus a fine texture so every channel of the first layers sees varied input.
 */
export function syntheticFaceCrop(size = 150): Float32Array {
  const out = new Float32Array(size * size * 3);
  const blob = (x: number, y: number, cx: number, cy: number, rx: number, ry: number) => Math.exp(-(((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2));
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const x = i / size, y = j / size;
      const face = blob(x, y, 0.5, 0.52, 0.3, 0.4) ** 2;
      const eyes = blob(x, y, 0.33, 0.4, 0.05, 0.025) + blob(x, y, 0.67, 0.4, 0.05, 0.025);
      const brows = blob(x, y, 0.33, 0.33, 0.08, 0.012) + blob(x, y, 0.67, 0.33, 0.08, 0.012);
      const nose = blob(x, y, 0.5, 0.56, 0.03, 0.08) * 0.4;
      const mouth = blob(x, y, 0.5, 0.72, 0.1, 0.018);
      const light = 0.85 + 0.15 * (1 - x);
      const texture = 6 * Math.sin(i * 0.9 + j * 0.37) * Math.cos(j * 0.71 - i * 0.13);
      const dark = Math.min(1, eyes + brows + 0.6 * mouth + nose);
      const skin = face * light * (1 - 0.75 * dark);
      const p = (j * size + i) * 3;
      out[p] = clamp(40 + 185 * skin + 30 * mouth * face + texture);
      out[p + 1] = clamp(35 + 140 * skin + texture);
      out[p + 2] = clamp(45 + 110 * skin + texture);
    }
  }
  return out;
}

const clamp = (v: number) => Math.max(0, Math.min(255, v));

/**
 * Black and white diagonal stripes: every pixel at 0 or 255, the input that drives the first
 * convolutions' int8 dot products to their largest sums (where a saturating kernel shows).
 */
export function stripesCrop(size = 150): Float32Array {
  const out = new Float32Array(size * size * 3);
  for (let j = 0; j < size; j++) for (let i = 0; i < size; i++) out.fill(((i >> 1) + (j >> 2)) % 2 ? 255 : 0, (j * size + i) * 3, (j * size + i) * 3 + 3);
  return out;
}

/** The check batch: the synthetic face and the stripes, interleaved RGB, one after the other. */
export function checkCrops(size = 150): { batch: Float32Array; count: number } {
  const face = syntheticFaceCrop(size), stripes = stripesCrop(size);
  const batch = new Float32Array(face.length * 2);
  batch.set(face);
  batch.set(stripes, face.length);
  return { batch, count: 2 };
}

function cosineOf(a: Float32Array, b: Float32Array): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb || 1);
}

/**
 * Runs both nets on the check crops and returns the smallest cosine between their descriptors.
 * `describe` runs a net on a batch and returns the descriptors, `dims` long each, one after the other.
 */
export async function int8Agreement(describe: (net: ModelSession, batch: Float32Array, count: number) => Promise<Float32Array>, int8: ModelSession, float: ModelSession, dims: number, size: number): Promise<number> {
  const { batch, count } = checkCrops(size);
  const a = await describe(int8, batch, count);
  const b = await describe(float, batch, count);
  let worst = 1;
  for (let i = 0; i < count; i++) worst = Math.min(worst, cosineOf(a.subarray(i * dims, (i + 1) * dims), b.subarray(i * dims, (i + 1) * dims)));
  return worst;
}

/** The decision, given the measured agreement. */
export function choosePrecision(agreement: number): PrecisionInUse {
  const measured = `int8 and float descriptors of the fixed check crops agree to cosine ${agreement.toFixed(5)}`;
  return agreement >= INT8_AGREEMENT
    ? { recognizer: 'int8', reason: `${measured} (≥ ${INT8_AGREEMENT})` }
    : { recognizer: 'float32', reason: `${measured} (< ${INT8_AGREEMENT}): this CPU's int8 kernels differ, so the float net runs` };
}
