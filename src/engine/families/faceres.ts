/**
 * Human's `faceres` descriptor: 224×224 NHWC RGB, raw 0..255, 1024-D pooled features. Fed a
 * rotation-corrected crop aligned on five points with context around the face, which is what
 * recovers its accuracy (a plain box crop costs it a lot).
 */
import type { RgbImage } from '../decode.ts';
import { embedCrops, type FaceGeometry, type Recognizer } from '../components.ts';
import type { ModelSession } from '../sessions.ts';
import { arcfaceCrop } from './arcface.ts';

const SIZE = 224;

export class FaceResRecognizer implements Recognizer {
  readonly name = 'faceres';
  readonly dims = 1024;
  /** zoomOut: how much wider than the ArcFace crop the face is framed; flip: mirror TTA. */
  constructor(
    private readonly model: ModelSession,
    private readonly options: { zoomOut?: number; flip?: boolean } = {},
  ) {}

  async embed(image: RgbImage, faces: FaceGeometry[]): Promise<Float32Array[]> {
    const crops = faces.map((f) => arcfaceCrop(image, f.fivePoint, SIZE, this.options.zoomOut ?? 1.2));
    return embedCrops(crops, SIZE, this.dims, this.options.flip ?? false, async (batch, n) => (await this.model.run(batch, [n, SIZE, SIZE, 3])).embedding!.data as Float32Array);
  }
}
