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
 *
 * This runs four to six times per image, so it is one flat loop: the source position advances by
 * a constant step along an output row, each grid tap is a constant offset from it, and the four
 * neighbours are found by integer index arithmetic (no per-sample calls or allocations).
 */
export function warpSimilarity(image: RgbImage, t: Similarity, width: number, height: number): Float32Array {
  const inv = invertSimilarity(t);
  const out = new Float32Array(width * height * 3);
  const { data, width: W, height: H } = image;
  const scale = Math.sqrt(t.a * t.a + t.b * t.b);
  const taps = scale < 0.5 ? Math.min(4, Math.ceil(1 / scale / 2)) : 1;
  const norm = 1 / (taps * taps);
  // Offset of grid tap (i, j) from the output pixel's own source position.
  const tapX = new Float64Array(taps * taps), tapY = new Float64Array(taps * taps);
  for (let j = 0; j < taps; j++) {
    for (let i = 0; i < taps; i++) {
      const du = (i + 0.5) / taps - 0.5, dv = (j + 0.5) / taps - 0.5;
      tapX[j * taps + i] = inv.a * du - inv.b * dv;
      tapY[j * taps + i] = inv.b * du + inv.a * dv;
    }
  }
  const nTaps = taps * taps, maxX = W - 1, maxY = H - 1, rowStride = W * 3;
  let o = 0;
  for (let v = 0; v < height; v++) {
    // Source position of output pixel (0, v); each step along the row adds (inv.a, inv.b).
    const rowX = -inv.b * v + inv.tx, rowY = inv.a * v + inv.ty;
    for (let u = 0; u < width; u++) {
      const cx = rowX + inv.a * u, cy = rowY + inv.b * u;
      let r = 0, g = 0, b = 0;
      for (let k = 0; k < nTaps; k++) {
        let x = cx + tapX[k]!, y = cy + tapY[k]!;
        x = x < 0 ? 0 : x > maxX ? maxX : x;
        y = y < 0 ? 0 : y > maxY ? maxY : y;
        const x0 = x | 0, y0 = y | 0;
        const fx = x - x0, fy = y - y0;
        const i00 = y0 * rowStride + x0 * 3;
        const i01 = x0 < maxX ? i00 + 3 : i00;
        const down = y0 < maxY ? rowStride : 0;
        const i10 = i00 + down, i11 = i01 + down;
        let top = data[i00]! + (data[i01]! - data[i00]!) * fx;
        let bottom = data[i10]! + (data[i11]! - data[i10]!) * fx;
        r += top + (bottom - top) * fy;
        top = data[i00 + 1]! + (data[i01 + 1]! - data[i00 + 1]!) * fx;
        bottom = data[i10 + 1]! + (data[i11 + 1]! - data[i10 + 1]!) * fx;
        g += top + (bottom - top) * fy;
        top = data[i00 + 2]! + (data[i01 + 2]! - data[i00 + 2]!) * fx;
        bottom = data[i10 + 2]! + (data[i11 + 2]! - data[i10 + 2]!) * fx;
        b += top + (bottom - top) * fy;
      }
      out[o++] = r * norm;
      out[o++] = g * norm;
      out[o++] = b * norm;
    }
  }
  return out;
}
