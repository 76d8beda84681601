/**
 * face-api's 68-point landmark net: 112×112 NHWC RGB 0..255 (normalisation inside the graph),
 * output 136 values relative to the input square. Each face is cut as an upright square around
 * the detection (roll removed using the detector's eye keypoints, so tilted selfies land like the
 * upright faces the net was trained on), then refined once around the first landmarks.
 */
import type { RgbImage } from '../decode.ts';
import { applySimilarity, invertSimilarity, warpSimilarity, type Similarity } from '../align.ts';
import type { Detection, LandmarkModel } from '../components.ts';
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

export interface LandmarkOptions {
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
    const plane = SIZE * SIZE * 3;
    const batch = new Float32Array(plane * squares.length);
    const transforms = squares.map(squareTransform);
    transforms.forEach((t, i) => batch.set(warpSimilarity(image, t, SIZE, SIZE), i * plane));
    const out = await this.model.run(batch, [squares.length, SIZE, SIZE, 3]);
    const data = out.landmarks!.data as Float32Array;
    return transforms.map((t, i) => {
      const inv = invertSimilarity(t);
      return Array.from({ length: 68 }, (_, k) => applySimilarity(inv, { x: data[i * 136 + 2 * k]! * SIZE, y: data[i * 136 + 2 * k + 1]! * SIZE }));
    });
  }
}
