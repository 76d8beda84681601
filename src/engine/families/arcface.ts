/**
 * ArcFace-style recognizers (InsightFace, MobileFaceNet exports, …): a 112×112 crop aligned by a
 * similarity transform of five points onto the standard ArcFace template; output 128/512-D.
 */
import type { RgbImage } from '../decode.ts';
import { estimateSimilarity, warpSimilarity } from '../align.ts';
import { centroidOf, embedCrops, type FaceGeometry, type Recognizer } from '../components.ts';
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
  /** Mirror test-time augmentation: the crop and its mirror image are embedded and summed. */
  flip?: boolean;
  /** The five points to align on (default: the engine's, from the detector or the 68 landmarks). */
  fivePoint?: (face: FaceGeometry) => Point[];
}

/**
 * Five points from the 68 iBUG landmarks as the faceplugin publisher derives them for its
 * descriptor: each eye from its four lid points, the nose tip, and each mouth corner as the mean
 * of its outer and inner corner.
 */
export function facepluginFivePoint(face: FaceGeometry): Point[] {
  const l = face.landmarks68;
  return [centroidOf(l, [37, 38, 40, 41]), centroidOf(l, [43, 44, 46, 47]), l[30]!, centroidOf(l, [48, 60]), centroidOf(l, [54, 64])];
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
    const size = this.options.size ?? 112;
    const plane = size * size * 3;
    const m = this.options.mean, s = this.options.std;
    const crops = faces.map((f) => arcfaceCrop(image, this.options.fivePoint?.(f) ?? f.fivePoint, size));
    return embedCrops(crops, size, this.dims, this.options.flip ?? false, async (interleaved, n) => {
      const batch = new Float32Array(plane * n);
      for (let i = 0; i < n; i++) {
        toTensor(interleaved.subarray(i * plane, (i + 1) * plane), size, size, { layout: 'NCHW', channelOrder: this.options.channelOrder, mean: [m, m, m], std: [s, s, s] }, batch, i * plane);
      }
      const out = await this.model.run(batch, [n, 3, size, size]);
      return Object.values(out)[0]!.data as Float32Array;
    });
  }
}
