/**
 * Faceplugin's fr_landmark: 68 iBUG points from a 64×64 greyscale crop (NCHW, grey / 256), output
 * 136 values relative to the crop. The publisher feeds it the detector box made square (side = box
 * height); here the first pass cuts that square (upright when the detector gives eye keypoints),
 * and a refinement pass cuts it again around the first landmarks, upright and at the scale and
 * offset the net sees on its own first-pass crops, so any detector's box convention works.
 */
import { lumaAt, type RgbImage } from '../decode.ts';
import { applySimilarity, invertSimilarity, warpSimilarity } from '../align.ts';
import type { Detection, LandmarkModel } from '../components.ts';
import { detectionSquare, cropPoints, squareTransform, uprightExtent, type Square } from '../landmark-crops.ts';
import type { ModelSession } from '../sessions.ts';
import type { Point } from '../types.ts';

const SIZE = 64;

export interface FacepluginLandmarkOptions {
  /** Also run each crop mirrored and average the two predictions. */
  flip?: boolean;
  /** Crop side as a multiple of the detector box's longer side (first pass). */
  boxScale?: number;
  refine?: boolean;
  /** Refinement crop side as a multiple of the first landmarks' larger extent. */
  refineScale?: number;
  /** Refinement crop centre below the landmarks' centre, as a share of the crop side (upright frame). */
  refineShift?: number;
}

/** Rec. 601 luma of an interleaved RGB crop, scaled as the net was trained (/ 256). */
function greyPlane(rgb: Float32Array, out: Float32Array, offset: number): void {
  for (let i = 0; i < rgb.length / 3; i++) out[offset + i] = lumaAt(rgb, i) / 256;
}

/** The size×size plane at `from` mirrored left–right into `to` (the grey plane of the mirrored crop). */
function mirrorPlane(buffer: Float32Array, from: number, to: number, size: number): void {
  for (let y = 0; y < size; y++) {
    const row = y * size;
    for (let x = 0; x < size; x++) buffer[to + row + size - 1 - x] = buffer[from + row + x]!;
  }
}

export class FacepluginLandmarks implements LandmarkModel {
  readonly name = 'fr_landmark';
  constructor(
    private readonly model: ModelSession,
    private readonly options: FacepluginLandmarkOptions = {},
  ) {}

  async locate(image: RgbImage, detections: Detection[]): Promise<Point[][]> {
    if (detections.length === 0) return [];
    let landmarks = await this.run(image, detections.map((d) => detectionSquare(d, this.options.boxScale ?? 1)));
    if (this.options.refine ?? true) {
      const scale = this.options.refineScale ?? 1.2, shift = this.options.refineShift ?? 0;
      landmarks = await this.run(
        image,
        landmarks.map((l) => {
          const e = uprightExtent(l);
          const side = Math.max(e.width, e.height) * scale;
          // "Down" in the face's upright frame is (−sin, cos) in the image.
          return { cx: e.cx - Math.sin(e.angle) * shift * side, cy: e.cy + Math.cos(e.angle) * shift * side, side, angle: e.angle };
        }),
      );
    }
    return landmarks;
  }

  private async run(image: RgbImage, squares: Square[]): Promise<Point[][]> {
    const flip = this.options.flip ?? true;
    const views = flip ? 2 : 1;
    const plane = SIZE * SIZE;
    const batch = new Float32Array(plane * squares.length * views);
    const transforms = squares.map((sq) => squareTransform(sq, SIZE));
    transforms.forEach((t, i) => {
      const crop = warpSimilarity(image, t, SIZE, SIZE);
      greyPlane(crop, batch, i * views * plane);
      if (flip) mirrorPlane(batch, i * views * plane, (i * views + 1) * plane, SIZE);
    });
    const out = await this.model.run(batch, [squares.length * views, 1, SIZE, SIZE]);
    const data = out.output!.data as Float32Array;
    return transforms.map((t, i) => {
      const inv = invertSimilarity(t);
      return cropPoints(data, i, SIZE, flip).map((p) => applySimilarity(inv, p));
    });
  }
}
