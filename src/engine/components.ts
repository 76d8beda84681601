/** The internal pieces the engine composes; one class per model family implements each. */
import type { RgbImage } from './decode.ts';
import type { Box, Point } from './types.ts';

export interface Detection {
  box: Box;
  score: number;
  /**
   * Five points when the detector gives them, in the ArcFace order: the eye on the image's left,
   * the eye on the image's right, nose tip, mouth corner on the left, mouth corner on the right.
   */
  fivePoint?: Point[];
  /** Detector-specific coarse keypoints (e.g. BlazeFace's six), used to seed landmarking. */
  keypoints?: Point[];
}

export interface FaceDetector {
  readonly name: string;
  detect(image: RgbImage): Promise<Detection[]>;
}

export interface LandmarkModel {
  readonly name: string;
  /** 68 iBUG points per detection, in image coordinates. */
  locate(image: RgbImage, detections: Detection[]): Promise<Point[][]>;
}

export interface FaceGeometry {
  landmarks68: Point[];
  fivePoint: Point[];
}

export interface Recognizer {
  readonly name: string;
  readonly dims: number;
  /** L2-normalised embeddings, one per face. */
  embed(image: RgbImage, faces: FaceGeometry[]): Promise<Float32Array[]>;
}

export function l2normalise(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s) || 1;
  return v.map((x) => x / n);
}

export const centroid = (pts: Point[]): Point => ({ x: pts.reduce((s, p) => s + p.x, 0) / pts.length, y: pts.reduce((s, p) => s + p.y, 0) / pts.length });

/** The centroid of the landmarks with these indices. */
export const centroidOf = (l: Point[], idx: number[]): Point => centroid(idx.map((i) => l[i]!));

/** Five points (ArcFace order) derived from the 68 iBUG landmarks. */
export function fivePointFrom68(l: Point[]): Point[] {
  return [centroidOf(l, [36, 37, 38, 39, 40, 41]), centroidOf(l, [42, 43, 44, 45, 46, 47]), l[30]!, l[48]!, l[54]!];
}

/**
 * Runs a detector at each letterbox margin in turn and returns the first non-empty result: tight
 * crops where the face fills the frame need background added before single-shot detectors fire.
 */
export async function detectWithMargins(margins: number[], detectAt: (margin: number) => Promise<Detection[]>): Promise<Detection[]> {
  for (const margin of margins) {
    const found = await detectAt(margin);
    if (found.length > 0) return found;
  }
  return [];
}

/** Mirror image of a size×size interleaved RGB crop, written into `out` at `offset` (a new array by default). */
export function flipHorizontal(rgb: Float32Array, size: number, out = new Float32Array(rgb.length), offset = 0): Float32Array {
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const src = (y * size + x) * 3, dst = offset + (y * size + (size - 1 - x)) * 3;
      out[dst] = rgb[src]!;
      out[dst + 1] = rgb[src + 1]!;
      out[dst + 2] = rgb[src + 2]!;
    }
  }
  return out;
}

/**
 * Runs a recognizer net on each crop and, when `flip` is set, on its mirror image in the same
 * batch; the two descriptors are summed before normalising (test-time augmentation).
 */
export async function embedCrops(
  crops: Float32Array[],
  size: number,
  dims: number,
  flip: boolean,
  run: (batch: Float32Array, n: number) => Promise<Float32Array>,
): Promise<Float32Array[]> {
  if (crops.length === 0) return [];
  const per = flip ? 2 : 1;
  const plane = size * size * 3;
  // Each crop and its mirror image are written straight into the batch.
  const batch = new Float32Array(plane * crops.length * per);
  crops.forEach((c, i) => {
    batch.set(c, i * per * plane);
    if (flip) flipHorizontal(c, size, batch, (i * per + 1) * plane);
  });
  const out = await run(batch, crops.length * per);
  return crops.map((_, i) => {
    const sum = new Float32Array(dims);
    for (let v = 0; v < per; v++) for (let k = 0; k < dims; k++) sum[k]! += out[(i * per + v) * dims + k]!;
    return l2normalise(sum);
  });
}
