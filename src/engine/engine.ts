/**
 * The face engine: decode → detect → landmarks → align → embed (+ quality, liveness), composed
 * from one component per job. Holds no HTTP and no state beyond its model sessions.
 */
import sharp from 'sharp';
import { fivePointFrom68, type Detection, type FaceDetector, type FaceGeometry, type LandmarkModel, type Recognizer } from './components.ts';
import { decodePixels, defaultDecodeLimits, lumaAt, readImageHeader, type DecodeLimits, type RgbImage } from './decode.ts';
import { assessQuality } from './quality.ts';
import { EngineError, type EmbeddingPart, type PrecisionInUse, type AnalyzeOptions, type DetectedFace, type FaceAnalysis, type FaceEngine, type ImageInput, type LivenessSignals, type Point } from './types.ts';
import { arcfaceCrop } from './families/arcface.ts';
import { cosine } from './similarity.ts';
import { decodeWorking, previewRequest, rescaleDetections, shrinkToWorking } from './working-image.ts';

export interface LivenessModel {
  assess(image: RgbImage, face: FaceGeometry & { box: DetectedFace['box'] }): Promise<LivenessSignals>;
}

export interface WeightedRecognizer {
  recognizer: Recognizer;
  /** Relative weight in the ensemble: the combined cosine is Σ w²·cos_i / Σ w². */
  weight: number;
}

export interface EngineParts {
  detector: FaceDetector;
  landmarks: LandmarkModel;
  recognizers: WeightedRecognizer[];
  liveness?: LivenessModel;
  decodeLimits?: DecodeLimits;
  /** Embed from a greyscale copy (same colour space for colour and greyscale photos). */
  greyscaleEmbedding?: boolean;
  /** Two-step decoding of large JPEGs (see working-image.ts); false decodes every image once, whole. */
  faceScaledDecode?: boolean;
  version: string;
  precision?: PrecisionInUse;
  close?: () => Promise<void>;
}

/** Side of the aligned face crop returned for review links. */
const CROP_SIZE = 224;
/** Side of the aligned crop on which exposure and sharpness are measured. */
const QUALITY_CROP = 112;

/** Faces whose visible area is within this share of the largest count as equally large. */
const SIMILAR_SIZE = 0.75;

/**
 * Orders faces so the one to verify comes first: the largest visible face (its box clipped to the
 * image); when other faces are nearly as large (≥ 75 % of that area), the one nearest the image
 * centre wins, since a subject frames themself centrally and a bystander at the edge is cut off.
 * The rest follow by visible area.
 */
export function orderByPrimary(detections: Detection[], width: number, height: number): void {
  const visible = (d: Detection) => {
    const w = Math.min(d.box.x + d.box.width, width) - Math.max(d.box.x, 0);
    const h = Math.min(d.box.y + d.box.height, height) - Math.max(d.box.y, 0);
    return Math.max(0, w) * Math.max(0, h);
  };
  const offCentre = (d: Detection) => Math.hypot(d.box.x + d.box.width / 2 - width / 2, d.box.y + d.box.height / 2 - height / 2);
  detections.sort((a, b) => visible(b) - visible(a));
  const largest = visible(detections[0]!);
  const contenders = detections.filter((d) => visible(d) >= SIMILAR_SIZE * largest);
  const primary = contenders.reduce((best, d) => (offCentre(d) < offCentre(best) ? d : best));
  detections.splice(detections.indexOf(primary), 1);
  detections.unshift(primary);
}

/** The image with each pixel's three channels set to its Rec. 601 luma (as JPEG's Y). */
export function greyscaleCopy<T extends RgbImage>(image: T): T {
  const data = new Uint8Array(image.data.length);
  for (let i = 0; i < data.length; i += 3) data[i] = data[i + 1] = data[i + 2] = Math.round(lumaAt(image.data, i / 3));
  return { ...image, data };
}

export class OnnxFaceEngine implements FaceEngine {
  readonly version: string;
  readonly precision?: PrecisionInUse;
  readonly layout: EmbeddingPart[];
  constructor(private readonly parts: EngineParts) {
    if (parts.recognizers.length === 0) throw new Error('the engine needs at least one recognizer');
    this.version = parts.version;
    this.precision = parts.precision;
    this.layout = parts.recognizers.map(({ recognizer, weight }) => ({ name: recognizer.name, dims: recognizer.dims, weight }));
  }

  async analyze(input: ImageInput, options: AnalyzeOptions = {}): Promise<FaceAnalysis> {
    const timings: Record<string, number> = {};
    let mark = performance.now();
    const lap = (stage: string) => {
      const now = performance.now();
      timings[stage] = (timings[stage] ?? 0) + (now - mark);
      mark = now;
    };
    const limits = this.parts.decodeLimits ?? defaultDecodeLimits;
    const header = await readImageHeader(input, limits);
    // Large JPEGs: find the faces on a preview, then decode only what the primary face needs.
    const request = this.parts.faceScaledDecode === false ? undefined : previewRequest(header);
    const preview = await decodePixels(header, limits, request);
    lap('decode');
    const found = await this.parts.detector.detect(preview);
    lap('detect');
    if (found.length === 0) throw new EngineError('NO_FACE', 'No face was found in the image.');
    orderByPrimary(found, preview.width, preview.height);
    // Everything after detection runs on the working image, sized for the primary face.
    const scaled = this.parts.faceScaledDecode !== false;
    const image = request ? await decodeWorking(header, limits, preview, found) : scaled ? await shrinkToWorking(preview, found) : preview;
    const detections = rescaleDetections(found, preview, image);
    lap('decode');
    const landmarks = await this.parts.landmarks.locate(image, detections);
    lap('landmarks');
    const primary: FaceGeometry = { landmarks68: landmarks[0]!, fivePoint: detections[0]!.fivePoint ?? fivePointFrom68(landmarks[0]!) };
    const embedding = await this.embed(this.parts.greyscaleEmbedding ? greyscaleCopy(image) : image, primary);
    lap('embed');

    // Report geometry in the coordinates of the upright original, even if decoding shrank or cropped it.
    const up = (p: Point): Point => ({ x: p.x * image.scale + image.offsetX, y: p.y * image.scale + image.offsetY });
    const faces: DetectedFace[] = detections.map((d, i) => ({
      box: { ...up(d.box), width: d.box.width * image.scale, height: d.box.height * image.scale },
      score: d.score,
      landmarks: landmarks[i]!.map(up),
    }));
    // Exposure and sharpness are measured on a small aligned crop: cheap, and comparable
    // across image sizes because the face always spans the same number of pixels.
    const qualityCrop = arcfaceCrop(image, primary.fivePoint, QUALITY_CROP, 1.5);
    const quality = assessQuality(faces[0]!.landmarks, qualityCrop, QUALITY_CROP);
    lap('quality');
    let liveness: LivenessSignals | undefined;
    if (options.withLiveness && this.parts.liveness) {
      liveness = await this.parts.liveness.assess(image, { ...primary, box: detections[0]!.box });
      lap('liveness');
    }
    let cropJpeg: Uint8Array | undefined;
    if (options.withCrop) {
      const crop = arcfaceCrop(image, primary.fivePoint, CROP_SIZE, 1.5);
      const bytes = Uint8Array.from(crop, (v) => Math.max(0, Math.min(255, Math.round(v))));
      cropJpeg = new Uint8Array(await sharp(bytes, { raw: { width: CROP_SIZE, height: CROP_SIZE, channels: 3 } }).jpeg({ quality: 90 }).toBuffer());
      lap('crop');
    }
    return {
      image: { width: image.originalWidth, height: image.originalHeight, format: image.format },
      faces,
      face: faces[0]!,
      embedding,
      quality,
      liveness,
      crop: cropJpeg,
      timings,
    };
  }

  similarity(a: Float32Array, b: Float32Array): number {
    return cosine(a, b);
  }

  async close(): Promise<void> {
    await this.parts.close?.();
  }

  /** Weighted concatenation of each recognizer's unit embedding, renormalised. */
  private async embed(image: RgbImage, face: FaceGeometry): Promise<Float32Array> {
    const parts = await Promise.all(this.parts.recognizers.map(async ({ recognizer, weight }) => ({ e: (await recognizer.embed(image, [face]))[0]!, weight })));
    const total = Math.sqrt(parts.reduce((s, p) => s + p.weight * p.weight, 0));
    const out = new Float32Array(parts.reduce((n, p) => n + p.e.length, 0));
    let offset = 0;
    for (const { e, weight } of parts) {
      for (let i = 0; i < e.length; i++) out[offset + i] = (e[i]! * weight) / total;
      offset += e.length;
    }
    return out;
  }

}
