/**
 * face-api's ResNet-34 descriptor (dlib's face recognition net), 150×150 NHWC RGB 0..255 with
 * normalisation inside the graph; 128-D. Fed dlib's own face chip: a similarity transform of 33 of
 * the 68 landmarks onto dlib's mean-face template with 25 % padding, rotation corrected — the
 * alignment the net was trained with (face-api's axis-aligned box skips the rotation).
 */
import type { RgbImage } from '../decode.ts';
import { estimateSimilarity, warpSimilarity } from '../align.ts';
import { embedCrops, l2normalise, type FaceGeometry, type Recognizer } from '../components.ts';
import type { ModelSession } from '../sessions.ts';
import type { Point } from '../types.ts';

/** Side of the net's input chip (NHWC RGB 0..255). */
export const FACEAPI_CHIP_SIZE = 150;
const SIZE = FACEAPI_CHIP_SIZE;

/** Runs the net on n chips laid one after the other; returns the n 128-D descriptors, concatenated. */
export async function faceApiDescriptors(net: ModelSession, batch: Float32Array, n: number): Promise<Float32Array> {
  return (await net.run(batch, [n, SIZE, SIZE, 3])).descriptor!.data as Float32Array;
}

/** dlib's mean face (normalised, landmarks 27–54 and 60–64), from get_face_chip_details. */
const DLIB_MEAN_FACE: Record<number, [number, number]> = {
  27: [0.490127, 0.203352], 28: [0.490127, 0.307009], 29: [0.490127, 0.409805], 30: [0.490127, 0.515625],
  31: [0.36688, 0.587326], 32: [0.426036, 0.609345], 33: [0.490127, 0.628106], 34: [0.554217, 0.609345],
  35: [0.613373, 0.587326], 36: [0.121737, 0.216423], 37: [0.187122, 0.178758], 38: [0.265825, 0.179852],
  39: [0.334606, 0.231733], 40: [0.260918, 0.245099], 41: [0.182743, 0.244077], 42: [0.645647, 0.231733],
  43: [0.714428, 0.179852], 44: [0.793132, 0.178758], 45: [0.858516, 0.216423], 46: [0.79751, 0.244077],
  47: [0.719335, 0.245099], 48: [0.254149, 0.780233], 49: [0.340985, 0.745405], 50: [0.428858, 0.727388],
  51: [0.490127, 0.742578], 52: [0.551395, 0.727388], 53: [0.639268, 0.745405], 54: [0.726104, 0.780233],
  60: [0.290379, 0.784792], 61: [0.428096, 0.778746], 62: [0.490127, 0.785343], 63: [0.552157, 0.778746],
  64: [0.689874, 0.784792],
};
const INDICES = Object.keys(DLIB_MEAN_FACE).map(Number);

/** Chip pixel positions for a given padding (dlib: (padding + m) / (1 + 2·padding) · size). */
export function dlibTemplate(size = SIZE, padding = 0.25): Point[] {
  return INDICES.map((i) => {
    const [x, y] = DLIB_MEAN_FACE[i]!;
    return { x: ((padding + x) / (1 + 2 * padding)) * size, y: ((padding + y) / (1 + 2 * padding)) * size };
  });
}

export class FaceApiRecognizer implements Recognizer {
  readonly name = 'face_recognition';
  readonly dims = 128;
  private readonly template: Point[];
  constructor(
    private readonly model: ModelSession,
    private readonly options: { padding?: number; flip?: boolean; jitter?: Array<{ scale: number; degrees: number }> } = {},
  ) {
    const padding = options.padding ?? 0.25;
    this.template = dlibTemplate(SIZE, padding);
  }

  /**
   * The aligned chip; `scale` ≠ 1 zooms and `degrees` ≠ 0 rotates about the chip centre
   * (test-time jitter, as dlib's jittered descriptors do).
   */
  chip(image: RgbImage, face: FaceGeometry, scale = 1, degrees = 0): Float32Array {
    const src = INDICES.map((i) => face.landmarks68[i]!);
    const c = SIZE / 2;
    const r = (degrees * Math.PI) / 180;
    const cos = Math.cos(r) * scale, sin = Math.sin(r) * scale;
    const template = scale === 1 && degrees === 0 ? this.template : this.template.map((p) => ({ x: c + (p.x - c) * cos - (p.y - c) * sin, y: c + (p.x - c) * sin + (p.y - c) * cos }));
    return warpSimilarity(image, estimateSimilarity(src, template), SIZE, SIZE);
  }

  async embed(image: RgbImage, faces: FaceGeometry[]): Promise<Float32Array[]> {
    const views = this.options.jitter ?? [{ scale: 1, degrees: 0 }];
    const crops = faces.flatMap((f) => views.map((v) => this.chip(image, f, v.scale, v.degrees)));
    const embeddings = await embedCrops(crops, SIZE, this.dims, this.options.flip ?? false, (batch, n) => faceApiDescriptors(this.model, batch, n));
    if (views.length === 1) return embeddings;
    return faces.map((_, i) => {
      const sum = new Float32Array(this.dims);
      for (let j = 0; j < views.length; j++) embeddings[i * views.length + j]!.forEach((v, k) => (sum[k]! += v));
      return l2normalise(sum);
    });
  }
}
