/**
 * Face alignment: a least-squares similarity transform (Umeyama, 1991) from detected landmarks
 * to a recognition net's template, and an inverse-mapped bilinear warp of the RGB image.
 */
import type { RgbImage } from './decode.ts';
import type { Point } from './types.ts';

/** Maps (x, y) → (a·x − b·y + tx, b·x + a·y + ty): rotation + uniform scale + translation. */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

/** The similarity transform minimising Σ|T(src_i) − dst_i|² (no reflection). */
export function estimateSimilarity(src: Point[], dst: Point[]): Similarity {
  const n = src.length;
  if (n !== dst.length || n < 2) throw new Error('estimateSimilarity needs two equal-length point lists of at least 2 points');
  let sx = 0, sy = 0, dx = 0, dy = 0;
  for (let i = 0; i < n; i++) {
    sx += src[i]!.x; sy += src[i]!.y; dx += dst[i]!.x; dy += dst[i]!.y;
  }
  sx /= n; sy /= n; dx /= n; dy /= n;
  // For 2-D similarity the Umeyama solution reduces to closed-form sums over centred points.
  let dot = 0, cross = 0, srcVar = 0;
  for (let i = 0; i < n; i++) {
    const px = src[i]!.x - sx, py = src[i]!.y - sy;
    const qx = dst[i]!.x - dx, qy = dst[i]!.y - dy;
    dot += px * qx + py * qy;
    cross += px * qy - py * qx;
    srcVar += px * px + py * py;
  }
  if (srcVar === 0) throw new Error('degenerate landmarks');
  const a = dot / srcVar;
  const b = cross / srcVar;
  return { a, b, tx: dx - (a * sx - b * sy), ty: dy - (b * sx + a * sy) };
}

export function applySimilarity(t: Similarity, p: Point): Point {
  return { x: t.a * p.x - t.b * p.y + t.tx, y: t.b * p.x + t.a * p.y + t.ty };
}

export function invertSimilarity(t: Similarity): Similarity {
  const det = t.a * t.a + t.b * t.b;
  const a = t.a / det, b = -t.b / det;
  return { a, b, tx: -(a * t.tx - b * t.ty), ty: -(b * t.tx + a * t.ty) };
}

/** Rotation of the transform in degrees. */
export function similarityAngle(t: Similarity): number {
  return (Math.atan2(t.b, t.a) * 180) / Math.PI;
}

/**
 * Warps `image` into a width×height crop where output pixel (u, v) samples the source at
 * inverse(t)(u, v). Bilinear; outside the source, edge pixels are replicated so borders do not
 * add hard black edges the nets never saw in training.
 * When the transform shrinks by more than 2× (scale < 0.5), the source is box-filtered first by
 * sampling a small grid, which avoids aliasing on large photos.
 */
export function warpSimilarity(image: RgbImage, t: Similarity, width: number, height: number): Float32Array {
  const inv = invertSimilarity(t);
  const out = new Float32Array(width * height * 3);
  const { data, width: W, height: H } = image;
  const scale = Math.sqrt(t.a * t.a + t.b * t.b);
  const taps = scale < 0.5 ? Math.min(4, Math.ceil(1 / scale / 2)) : 1;
  const step = 1 / taps;
  const sample = (x: number, y: number, acc: Float32Array) => {
    x = Math.min(Math.max(x, 0), W - 1);
    y = Math.min(Math.max(y, 0), H - 1);
    const x0 = Math.floor(x), y0 = Math.floor(y);
    const x1 = Math.min(x0 + 1, W - 1), y1 = Math.min(y0 + 1, H - 1);
    const fx = x - x0, fy = y - y0;
    const i00 = (y0 * W + x0) * 3, i01 = (y0 * W + x1) * 3, i10 = (y1 * W + x0) * 3, i11 = (y1 * W + x1) * 3;
    for (let c = 0; c < 3; c++) {
      const top = data[i00 + c]! + (data[i01 + c]! - data[i00 + c]!) * fx;
      const bottom = data[i10 + c]! + (data[i11 + c]! - data[i10 + c]!) * fx;
      acc[c]! += top + (bottom - top) * fy;
    }
  };
  const acc = new Float32Array(3);
  const norm = 1 / (taps * taps);
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      acc.fill(0);
      for (let j = 0; j < taps; j++) {
        for (let i = 0; i < taps; i++) {
          const ou = u + (i + 0.5) * step - 0.5;
          const ov = v + (j + 0.5) * step - 0.5;
          sample(inv.a * ou - inv.b * ov + inv.tx, inv.b * ou + inv.a * ov + inv.ty, acc);
        }
      }
      const o = (v * width + u) * 3;
      out[o] = acc[0]! * norm;
      out[o + 1] = acc[1]! * norm;
      out[o + 2] = acc[2]! * norm;
    }
  }
  return out;
}
