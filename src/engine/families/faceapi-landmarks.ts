/**
 * face-api's 68-point landmark net: 112×112 NHWC RGB 0..255 (normalisation inside the graph),
 * output 136 values relative to the input square. Each face is cut as an upright square around
 * the detection (roll removed using the detector's eye keypoints, so tilted selfies land like the
 * upright faces the net was trained on), then refined once around the first landmarks.
 */
import type { RgbImage } from '../decode.ts';
import { applySimilarity, invertSimilarity, warpSimilarity, type Similarity } from '../align.ts';
import { flipHorizontal, type Detection, type LandmarkModel } from '../components.ts';
import type { ModelSession } from '../sessions.ts';
import type { Point } from '../types.ts';

const SIZE = 112;

interface Square {
  cx: number;
  cy: number;
  side: number;
  /** Roll in radians (image y down). */
  angle: number;
}

/** image → crop transform for an upright square. */
function squareTransform(sq: Square): Similarity {
  const k = SIZE / sq.side;
  const a = k * Math.cos(-sq.angle), b = k * Math.sin(-sq.angle);
  return { a, b, tx: SIZE / 2 - (a * sq.cx - b * sq.cy), ty: SIZE / 2 - (b * sq.cx + a * sq.cy) };
}

const centre = (pts: Point[]) => ({ x: pts.reduce((s, p) => s + p.x, 0) / pts.length, y: pts.reduce((s, p) => s + p.y, 0) / pts.length });

/** iBUG-68 index of each point's mirror image (left/right swapped). */
const MIRROR_68 = [
  16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 27, 28, 29, 30, 35, 34, 33, 32, 31,
  45, 44, 43, 42, 47, 46, 39, 38, 37, 36, 41, 40, 54, 53, 52, 51, 50, 49, 48, 59, 58, 57, 56, 55, 64, 63, 62, 61, 60, 67, 66, 65,
];

export interface LandmarkOptions {
  /** Also run each crop mirrored and average the two predictions (steadier landmarks). */
  flip?: boolean;
  /** Crop side as a multiple of the detector box (first pass). */
  boxScale?: number;
  /** Crop side as a multiple of the landmarks' extent (refinement pass). */
  refineScale?: number;
  refine?: boolean;
}

export class FaceApiLandmarks implements LandmarkModel {
  readonly name = 'face_landmark_68';
  constructor(
    private readonly model: ModelSession,
    private readonly options: LandmarkOptions = {},
  ) {}

  async locate(image: RgbImage, detections: Detection[]): Promise<Point[][]> {
    if (detections.length === 0) return [];
    const first = detections.map((d) => {
      const eyes = d.fivePoint ?? d.keypoints;
      const angle = eyes ? Math.atan2(eyes[1]!.y - eyes[0]!.y, eyes[1]!.x - eyes[0]!.x) : 0;
      return { cx: d.box.x + d.box.width / 2, cy: d.box.y + d.box.height / 2, side: Math.max(d.box.width, d.box.height) * (this.options.boxScale ?? 1.1), angle };
    });
    let landmarks = await this.run(image, first);
    if (this.options.refine ?? true) {
      const second = landmarks.map((l) => {
        const eyeA = centre(l.slice(36, 42)), eyeB = centre(l.slice(42, 48));
        const angle = Math.atan2(eyeB.y - eyeA.y, eyeB.x - eyeA.x);
        // Extent measured in the upright frame so rotation does not inflate it.
        const c = centre(l);
        const cos = Math.cos(-angle), sin = Math.sin(-angle);
        const local = l.map((p) => ({ x: (p.x - c.x) * cos - (p.y - c.y) * sin, y: (p.x - c.x) * sin + (p.y - c.y) * cos }));
        const xs = local.map((p) => p.x), ys = local.map((p) => p.y);
        const w = Math.max(...xs) - Math.min(...xs), h = Math.max(...ys) - Math.min(...ys);
        const mx = (Math.max(...xs) + Math.min(...xs)) / 2, my = (Math.max(...ys) + Math.min(...ys)) / 2;
        // Back to image coordinates for the box centre.
        const cx = c.x + mx * Math.cos(angle) - my * Math.sin(angle);
        const cy = c.y + mx * Math.sin(angle) + my * Math.cos(angle);
        return { cx, cy, side: Math.max(w, h) * (this.options.refineScale ?? 1.2), angle };
      });
      landmarks = await this.run(image, second);
    }
    return landmarks;
  }

  private async run(image: RgbImage, squares: Square[]): Promise<Point[][]> {
    const flip = this.options.flip ?? false;
    const views = flip ? 2 : 1;
    const plane = SIZE * SIZE * 3;
    const batch = new Float32Array(plane * squares.length * views);
    const transforms = squares.map(squareTransform);
    transforms.forEach((t, i) => {
      const crop = warpSimilarity(image, t, SIZE, SIZE);
      batch.set(crop, i * views * plane);
      if (flip) batch.set(flipHorizontal(crop, SIZE), (i * views + 1) * plane);
    });
    const out = await this.model.run(batch, [squares.length * views, SIZE, SIZE, 3]);
    const data = out.landmarks!.data as Float32Array;
    return transforms.map((t, i) => {
      const inv = invertSimilarity(t);
      const base = i * views * 136;
      return Array.from({ length: 68 }, (_, k) => {
        let x = data[base + 2 * k]! * SIZE, y = data[base + 2 * k + 1]! * SIZE;
        if (flip) {
          // The mirrored crop's point m is this crop's point k, reflected: x → SIZE − 1 − x.
          const m = MIRROR_68[k]!;
          x = (x + (SIZE - 1 - data[base + 136 + 2 * m]! * SIZE)) / 2;
          y = (y + data[base + 136 + 2 * m + 1]! * SIZE) / 2;
        }
        return applySimilarity(inv, { x, y });
      });
    });
  }
}
