/**
 * ArcFace-style recognizers (InsightFace, MobileFaceNet exports, …): a 112×112 crop aligned by a
 * similarity transform of five points onto the standard ArcFace template; output 128/512-D.
 */
import type { RgbImage } from '../decode.ts';
import { estimateSimilarity, warpSimilarity } from '../align.ts';
import { l2normalise, type FaceGeometry, type Recognizer } from '../components.ts';
import { toTensor } from '../letterbox.ts';
import type { ModelSession } from '../sessions.ts';
import type { Point } from '../types.ts';

/** InsightFace's reference five-point positions for a 112×112 crop. */
export const ARCFACE_TEMPLATE_112: Point[] = [
  { x: 38.2946, y: 51.6963 },
  { x: 73.5318, y: 51.5014 },
  { x: 56.0252, y: 71.7366 },
  { x: 41.5493, y: 92.3655 },
  { x: 70.7299, y: 92.2041 },
];

/**
 * A size×size crop aligned to the ArcFace template; `zoomOut` > 1 keeps more context around the
 * face (the template is shrunk about the crop centre). Returns RGB floats 0..255.
 */
export function arcfaceCrop(image: RgbImage, fivePoint: Point[], size: number, zoomOut = 1): Float32Array {
  const k = size / 112 / zoomOut;
  const template = ARCFACE_TEMPLATE_112.map((p) => ({ x: (p.x - 56) * k + size / 2, y: (p.y - 56) * k + size / 2 }));
  return warpSimilarity(image, estimateSimilarity(fivePoint, template), size, size);
}

export interface ArcFaceOptions {
  channelOrder: 'RGB' | 'BGR';
  mean: number;
  std: number;
  size?: number;
}

/** An NCHW float input of 3×112×112 (batch free) and one 2-D output is the ArcFace family's signature. */
export function looksLikeArcFace(inputShape: ReadonlyArray<number | string>, outputShape: ReadonlyArray<number | string>): boolean {
  return inputShape.length === 4 && inputShape[1] === 3 && inputShape[2] === 112 && inputShape[3] === 112 && outputShape.length === 2 && [128, 512].includes(Number(outputShape[1]));
}

export class ArcFaceRecognizer implements Recognizer {
  readonly dims: number;
  constructor(
    readonly name: string,
    private readonly model: ModelSession,
    dims: number,
    private readonly options: ArcFaceOptions,
  ) {
    this.dims = dims;
  }

  async embed(image: RgbImage, faces: FaceGeometry[]): Promise<Float32Array[]> {
    if (faces.length === 0) return [];
    const size = this.options.size ?? 112;
    const plane = size * size * 3;
    const batch = new Float32Array(plane * faces.length);
    const m = this.options.mean, s = this.options.std;
    faces.forEach((f, i) => {
      const crop = arcfaceCrop(image, f.fivePoint, size);
      toTensor(crop, size, size, { layout: 'NCHW', channelOrder: this.options.channelOrder, mean: [m, m, m], std: [s, s, s] }, batch, i * plane);
    });
    const out = await this.model.run(batch, [faces.length, 3, size, size]);
    const data = Object.values(out)[0]!.data as Float32Array;
    return faces.map((_, i) => l2normalise(data.slice(i * this.dims, (i + 1) * this.dims)));
  }
}
