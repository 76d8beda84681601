/**
 * Geometry shared by the 68-point landmark nets: the upright square a face is cut from, the
 * image → crop transform for it, and mirror averaging of two predictions.
 */
import type { Similarity } from './align.ts';
import { centroid, type Detection } from './components.ts';
import type { Point } from './types.ts';

export interface Square {
  cx: number;
  cy: number;
  side: number;
  /** Roll in radians (image y down). */
  angle: number;
}

/**
 * The first-pass square for a detection: centred on its box, side = the longer box side × scale,
 * upright using the detector's eye keypoints when it gives them.
 */
export function detectionSquare(d: Detection, scale: number): Square {
  const eyes = d.fivePoint ?? d.keypoints;
  const angle = eyes ? Math.atan2(eyes[1]!.y - eyes[0]!.y, eyes[1]!.x - eyes[0]!.x) : 0;
  return { cx: d.box.x + d.box.width / 2, cy: d.box.y + d.box.height / 2, side: Math.max(d.box.width, d.box.height) * scale, angle };
}

/** image → crop transform for an upright square, onto a size × size crop. */
export function squareTransform(sq: Square, size: number): Similarity {
  const k = size / sq.side;
  const a = k * Math.cos(-sq.angle), b = k * Math.sin(-sq.angle);
  return { a, b, tx: size / 2 - (a * sq.cx - b * sq.cy), ty: size / 2 - (b * sq.cx + a * sq.cy) };
}

/** iBUG-68 index of each point's mirror image (left/right swapped). */
export const MIRROR_68 = [
  16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 27, 28, 29, 30, 35, 34, 33, 32, 31,
  45, 44, 43, 42, 47, 46, 39, 38, 37, 36, 41, 40, 54, 53, 52, 51, 50, 49, 48, 59, 58, 57, 56, 55, 64, 63, 62, 61, 60, 67, 66, 65,
];

/** 136 interleaved values → 68 points. */
export function toPoints(values: ArrayLike<number>): Point[] {
  return Array.from({ length: 68 }, (_, k) => ({ x: values[2 * k]!, y: values[2 * k + 1]! }));
}

/**
 * The 68 points a landmark net predicted for crop `index` of a batch (136 values per view, relative
 * to the crop), in crop pixels; with `mirrored`, view 2·index + 1 is the mirrored crop and the two
 * predictions are averaged.
 */
export function cropPoints(output: Float32Array, index: number, size: number, mirrored: boolean): Point[] {
  const base = index * (mirrored ? 2 : 1) * 136;
  const inCrop = (from: number) => Array.from(output.subarray(from, from + 136), (v) => v * size);
  return mirrored ? mirrorAverage(inCrop(base), inCrop(base + 136), size) : toPoints(inCrop(base));
}

/**
 * Averages the 68 points predicted on a size-pixel crop (`direct`, 136 values in crop pixels) with
 * those predicted on its mirror image (`mirrored`): the mirrored crop's point MIRROR_68[k] is this
 * crop's point k reflected, x → size − 1 − x.
 */
export function mirrorAverage(direct: ArrayLike<number>, mirrored: ArrayLike<number>, size: number): Point[] {
  return Array.from({ length: 68 }, (_, k) => {
    const m = MIRROR_68[k]!;
    return { x: (direct[2 * k]! + (size - 1 - mirrored[2 * m]!)) / 2, y: (direct[2 * k + 1]! + mirrored[2 * m + 1]!) / 2 };
  });
}

/** Roll of a face from its 68 landmarks: the angle of the line between the eye centres. */
export function rollFrom68(l: Point[]): number {
  const eyeA = centroid(l.slice(36, 42)), eyeB = centroid(l.slice(42, 48));
  return Math.atan2(eyeB.y - eyeA.y, eyeB.x - eyeA.x);
}

/**
 * The landmarks' bounding box measured in the face's upright frame (so rotation does not inflate
 * it): its centre in image coordinates, its width and height, and the roll used.
 */
export function uprightExtent(l: Point[]): { cx: number; cy: number; width: number; height: number; angle: number } {
  const angle = rollFrom68(l);
  const c = centroid(l);
  const cos = Math.cos(-angle), sin = Math.sin(-angle);
  const local = l.map((p) => ({ x: (p.x - c.x) * cos - (p.y - c.y) * sin, y: (p.x - c.x) * sin + (p.y - c.y) * cos }));
  const xs = local.map((p) => p.x), ys = local.map((p) => p.y);
  const width = Math.max(...xs) - Math.min(...xs), height = Math.max(...ys) - Math.min(...ys);
  const mx = (Math.max(...xs) + Math.min(...xs)) / 2, my = (Math.max(...ys) + Math.min(...ys)) / 2;
  // Back to image coordinates for the box centre.
  return { cx: c.x + mx * Math.cos(angle) - my * Math.sin(angle), cy: c.y + mx * Math.sin(angle) + my * Math.cos(angle), width, height, angle };
}
