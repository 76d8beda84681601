/**
 * face-api's 68-point landmark net: 112×112 NHWC RGB 0..255 (normalisation inside the graph),
 * output 136 values relative to the input square. Each face is cut as an upright square around
 * the detection (roll removed using the detector's eye keypoints, so tilted selfies land like the
 * upright faces the net was trained on), then refined once around the first landmarks.
 */
import type { RgbImage } from '../decode.ts';
import { applySimilarity, invertSimilarity, warpSimilarity } from '../align.ts';
import { flipHorizontal, type Detection, type LandmarkModel } from '../components.ts';
import { detectionSquare, cropPoints, squareTransform, uprightExtent, type Square } from '../landmark-crops.ts';
import type { ModelSession } from '../sessions.ts';
import type { Point } from '../types.ts';

const SIZE = 112;

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
    let landmarks = await this.run(image, detections.map((d) => detectionSquare(d, this.options.boxScale ?? 1.1)));
    if (this.options.refine ?? true) {
      const second = landmarks.map((l) => {
        const e = uprightExtent(l);
        return { cx: e.cx, cy: e.cy, side: Math.max(e.width, e.height) * (this.options.refineScale ?? 1.2), angle: e.angle };
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
    const transforms = squares.map((sq) => squareTransform(sq, SIZE));
    transforms.forEach((t, i) => {
      const crop = warpSimilarity(image, t, SIZE, SIZE);
      batch.set(crop, i * views * plane);
      if (flip) batch.set(flipHorizontal(crop, SIZE), (i * views + 1) * plane);
    });
    const out = await this.model.run(batch, [squares.length * views, SIZE, SIZE, 3]);
    const data = out.landmarks!.data as Float32Array;
    return transforms.map((t, i) => {
      const inv = invertSimilarity(t);
      return cropPoints(data, i, SIZE, flip).map((p) => applySimilarity(inv, p));
    });
  }
}
