/**
 * A deterministic FaceEngine test double (test code only). Images are base64 of short text tokens:
 *   FAKEIMG:SIM:<cos>[:FACES:<n>][:<MEASURE>:<v>]...
 *                                   a face whose cosine with any reference face is <cos>; optional
 *                                   measures: SIZE (face px), SHARP, BRIGHT, CLIP, YAW, PITCH, LIVE
 *                                   (both liveness scores), e.g. FAKEIMG:SIM:0.9:YAW:40
 *   FAKEIMG:NOFACE                  decodes, but holds no face
 *   FAKEIMG:BOMB                    too many pixels
 *   GIF89a...                       an image in an unsupported format
 *   anything else decodable         not an image
 * Reference photos (bytes) are a face on the reference axis unless they spell FAKEIMG:NOFACE or are not
 * an image. Real JPEG bytes (from the registry mocks) count as a reference face too.
 * With { withCrop } the analysis carries a small real JPEG (a grey square whose shade encodes the
 * cosine); with { withLiveness } liveness signals (0.9 unless LIVE is given).
 */
import sharp from 'sharp';
import { EngineError, type AnalyzeOptions, type FaceAnalysis, type FaceEngine, type ImageInput } from '../../src/engine/types.ts';

const DIM = 4;

export function fakeImage(token: string): string {
  return Buffer.from(`FAKEIMG:${token}`, 'latin1').toString('base64');
}

/** A selfie whose similarity with every reference is `cos` (and that shows `faces` faces). */
export function selfieWithSimilarity(cos: number, faces = 1, measures: Record<string, number> = {}): string {
  return fakeImage(`SIM:${cos}:FACES:${faces}${Object.entries(measures).map(([k, v]) => `:${k}:${v}`).join('')}`);
}

/** The crop JPEG the fake engine returns for a face of similarity `cos` (test code can compare bytes). */
export async function fakeCrop(cos: number): Promise<Uint8Array> {
  const shade = Math.max(0, Math.min(255, Math.round(cos * 255)));
  return new Uint8Array(await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: shade, g: shade, b: shade } } }).jpeg().toBuffer());
}

function toText(input: ImageInput): string {
  if (typeof input !== 'string') return Buffer.from(input).toString('latin1');
  let text = input.trim();
  const m = /^data:[^,]*;base64,/i.exec(text);
  if (m) text = text.slice(m[0].length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 === 1) throw new EngineError('INVALID_BASE64', 'The image is not valid base64.');
  return Buffer.from(text, 'base64').toString('latin1');
}

async function analysis(embedding: number[], faces: number, options: AnalyzeOptions = {}, measures: Record<string, number> = {}): Promise<FaceAnalysis> {
  const face = { box: { x: 10, y: 10, width: 100, height: 100 }, score: 0.99, landmarks: [] };
  const live = measures.LIVE ?? 0.9;
  return {
    image: { width: 640, height: 480, format: 'jpeg' },
    faces: Array.from({ length: faces }, (_, i) => ({ ...face, box: { ...face.box, width: 100 - i, height: 100 - i } })),
    face,
    embedding: Float32Array.from(embedding),
    quality: {
      faceSizePx: measures.SIZE ?? 100,
      yaw: measures.YAW ?? 0,
      pitch: measures.PITCH ?? 0,
      roll: 0,
      sharpness: measures.SHARP ?? 100,
      brightness: measures.BRIGHT ?? 0.5,
      clipped: measures.CLIP ?? 0,
    },
    ...(options.withLiveness ? { liveness: { antispoof: live, liveness: live } } : {}),
    ...(options.withCrop ? { crop: await fakeCrop(embedding[0]!) } : {}),
    timings: { decode: 0, detect: 0, embed: 0 },
  };
}

export interface FakeEngine extends FaceEngine {
  calls: { selfie: number; reference: number };
}

export function createFakeEngine(version = 'fake-engine@1'): FakeEngine {
  const calls = { selfie: 0, reference: 0 };
  return {
    version,
    calls,
    async analyze(input, options = {}) {
      if (typeof input === 'string') calls.selfie++;
      else calls.reference++;
      const text = toText(input);
      const isJpeg = text.charCodeAt(0) === 0xff && text.charCodeAt(1) === 0xd8;
      if (isJpeg) return analysis([1, 0, 0, 0], 1, options);
      if (text.startsWith('GIF8')) throw new EngineError('UNSUPPORTED_FORMAT', 'GIF is not supported.');
      if (!text.startsWith('FAKEIMG:')) throw new EngineError('NOT_AN_IMAGE', 'Not an image.');
      const token = text.slice('FAKEIMG:'.length);
      if (token === 'NOFACE') throw new EngineError('NO_FACE', 'No face was found in the image.');
      if (token === 'BOMB') throw new EngineError('IMAGE_TOO_LARGE', 'Too many pixels.');
      if (token === 'REFERENCE') return analysis([1, 0, 0, 0], 1, options);
      const m = /^SIM:([-0-9.]+)(?::FACES:(\d+))?((?::[A-Z]+:[-0-9.]+)*)$/.exec(token);
      if (!m) throw new EngineError('NOT_AN_IMAGE', 'Not an image.');
      const cos = Number(m[1]);
      const measures: Record<string, number> = {};
      for (const [, k, v] of (m[3] ?? '').matchAll(/:([A-Z]+):([-0-9.]+)/g)) measures[k!] = Number(v);
      return analysis([cos, Math.sqrt(Math.max(0, 1 - cos * cos)), 0, 0], Number(m[2] ?? 1), options, measures);
    },
    similarity(a, b) {
      let dot = 0;
      for (let i = 0; i < DIM; i++) dot += (a[i] ?? 0) * (b[i] ?? 0);
      return dot;
    },
  };
}
