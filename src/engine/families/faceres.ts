/**
 * Human's `faceres` descriptor: 224×224 NHWC RGB, raw 0..255, 1024-D pooled features. Fed a
 * rotation-corrected crop aligned on five points with context around the face, which is what
 * recovers its accuracy (a plain box crop costs it a lot).
 */
import type { RgbImage } from '../decode.ts';
import { l2normalise, type FaceGeometry, type Recognizer } from '../components.ts';
import type { ModelSession } from '../sessions.ts';
import { arcfaceCrop } from './arcface.ts';

const SIZE = 224;

export class FaceResRecognizer implements Recognizer {
  readonly name = 'faceres';
  readonly dims = 1024;
  /** zoomOut: how much wider than the ArcFace crop the face is framed. */
  constructor(
    private readonly model: ModelSession,
    private readonly zoomOut = 1.4,
  ) {}

  async embed(image: RgbImage, faces: FaceGeometry[]): Promise<Float32Array[]> {
    if (faces.length === 0) return [];
    const plane = SIZE * SIZE * 3;
    const batch = new Float32Array(plane * faces.length);
    faces.forEach((f, i) => batch.set(arcfaceCrop(image, f.fivePoint, SIZE, this.zoomOut), i * plane));
    const out = await this.model.run(batch, [faces.length, SIZE, SIZE, 3]);
    const data = out.embedding!.data as Float32Array;
    return faces.map((_, i) => l2normalise(data.slice(i * this.dims, (i + 1) * this.dims)));
  }
}
