/**
 * Parity: our ONNX rebuilds of face-api's FaceLandmark68Net and FaceRecognitionNet (run with
 * onnxruntime-node) against face-api's own nets on the pure-JS tfjs cpu backend, both fed the
 * same already-sized RGB crops (so face-api's pad-to-square and resize are no-ops).
 *
 * Tolerances: the two runtimes differ only in float32 accumulation order inside convolutions
 * and matmuls; measured differences are ~2e-7. A layout or padding mistake (wrong transpose,
 * symmetric instead of TF "same" padding, missing shortcut pad) moves outputs by 1e-2 or more.
 *  - landmarks (fractions of the 112 px input): max abs diff ≤ 1e-4, i.e. ≤ 0.011 px;
 *  - descriptor (components ~0.1, matching threshold on euclidean distance ~0.6):
 *    max abs diff ≤ 1e-3 and cosine ≥ 0.9999.
 *  - ssd_mobilenetv1 (stretch; face-api's pre-NMS output): scores ≤ 1e-4, boxes (fractions of
 *    the 512 input, through exp() of the encodings) ≤ 1e-4, i.e. ≤ 0.05 px. Measured ~2e-6.
 *    Only one 512 px image goes through tfjs (7–11 s on the pure-JS cpu backend).
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { dataDir } from '../../src/config/paths.ts';
import type { BuiltModel, ModelSpec } from '../../models/build/spec.ts';
import { faceApiPackage, faceApiSpecs } from '../../models/build/faceapi/specs.ts';
import { tfAxisPads } from '../../models/build/faceapi/layers.ts';
import { dlibAlignedBox, faceApiSquareInput, landmarksToCrop, type RgbImage } from '../../models/build/faceapi/input.ts';

// face-api's Node build that takes @tensorflow/tfjs as an external package (it also registers
// the wasm backend, which is never selected here); the cpu backend is forced below.
const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const tf = faceapi.tf as any;

const LANDMARK_TOL = 1e-4;
const DESCRIPTOR_TOL = 1e-3;
const MIN_COSINE = 0.9999;

function specNamed(name: string): ModelSpec {
  const spec = faceApiSpecs.find((s) => s.name === name);
  if (!spec) throw new Error(`no spec ${name}`);
  return spec;
}

/** Deterministic integer pixels 0..255 (LCG). */
function randomCrops(n: number, size: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n * size * size * 3 }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s >>> 24;
  });
}

/** amy1.png decoded in place as RGB, resized to size×size (same pixels go to both runtimes). */
async function realCrop(size: number): Promise<Float32Array> {
  const file = path.join(dataDir(), 'faces', 'amy', 'amy1.png');
  const { data, info } = await sharp(file).toColourspace('srgb').removeAlpha().resize(size, size, { fit: 'cover' }).raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(3);
  return Float32Array.from(data);
}

async function runOnnx(session: ort.InferenceSession, output: string, pixels: Float32Array, size: number): Promise<Float32Array> {
  const n = pixels.length / (size * size * 3);
  const out = await session.run({ input: new ort.Tensor('float32', pixels, [n, size, size, 3]) });
  const t = out[output]!;
  expect(t.dims[0]).toBe(n);
  return t.data as Float32Array;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function runFaceApi(net: any, pixels: Float32Array, size: number, raw: (net: any, input: any) => any): Promise<Float32Array> {
  const per = size * size * 3;
  const images = Array.from({ length: pixels.length / per }, (_, i) => tf.tensor3d(pixels.slice(i * per, (i + 1) * per), [size, size, 3]));
  const input = await faceapi.toNetInput(images);
  const out = raw(net, input);
  const data = Float32Array.from(out.dataSync() as Float32Array);
  out.dispose();
  images.forEach((t) => t.dispose());
  return data;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return ab / Math.sqrt(aa * bb);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('face-api ONNX rebuilds', () => {
  it('tfAxisPads follows TensorFlow: extra "same" padding goes after', () => {
    expect(tfAxisPads(112, 3, 2, 'same')).toEqual({ out: 56, before: 0, after: 1 });
    expect(tfAxisPads(56, 3, 1, 'same')).toEqual({ out: 56, before: 1, after: 1 });
    expect(tfAxisPads(150, 7, 2, 'valid')).toEqual({ out: 72, before: 0, after: 0 });
  });

  it('specs carry the source package, paths and I/O contract', async () => {
    const pkg = faceApiPackage();
    expect(faceApiSpecs.map((s) => s.name)).toEqual(['face_landmark_68', 'face_recognition', 'ssd_mobilenetv1']);
    const { entry } = await specNamed('face_landmark_68').build();
    expect(entry.task).toBe('landmarks');
    expect(entry.source).toMatchObject({ package: '@vladmandic/face-api', version: pkg.version, licence: 'MIT' });
    expect(entry.source.path).toEqual(['model/face_landmark_68_model-weights_manifest.json', 'model/face_landmark_68_model.bin']);
    for (const p of entry.source.path) expect(existsSync(path.join(pkg.dir, p))).toBe(true);
    expect(entry.input).toMatchObject({ shape: ['N', 112, 112, 3], layout: 'NHWC', channelOrder: 'RGB', normalisation: { mean: [0, 0, 0], std: [1, 1, 1] } });
    expect(entry.outputs).toEqual([{ name: 'landmarks', shape: ['N', 136] }]);
  });

  describe('face_landmark_68', () => {
    const size = 112;
    let built: BuiltModel;
    let session: ort.InferenceSession;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let net: any;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const raw = (n: any, input: any) => n.runNet(input); // fc output before postProcess

    beforeAll(async () => {
      built = await specNamed('face_landmark_68').build();
      session = await ort.InferenceSession.create(built.bytes);
      net = new faceapi.FaceLandmark68Net();
      await net.loadFromDisk(path.join(faceApiPackage().dir, 'model'));
    });

    it('builds deterministic bytes', async () => {
      const again = await specNamed('face_landmark_68').build();
      expect(Buffer.from(again.bytes).equals(Buffer.from(built.bytes))).toBe(true);
    });

    it('matches face-api on seeded random crops (batch of 3)', async () => {
      const pixels = randomCrops(3, size, 1234);
      const diff = maxAbsDiff(await runOnnx(session, 'landmarks', pixels, size), await runFaceApi(net, pixels, size, raw));
      console.info(`face_landmark_68 random: max abs diff ${diff.toExponential(2)}`);
      expect(diff).toBeLessThanOrEqual(LANDMARK_TOL);
    });

    it('matches face-api on a real face crop', async () => {
      const pixels = await realCrop(size);
      const ours = await runOnnx(session, 'landmarks', pixels, size);
      const diff = maxAbsDiff(ours, await runFaceApi(net, pixels, size, raw));
      console.info(`face_landmark_68 amy1: max abs diff ${diff.toExponential(2)}`);
      expect(diff).toBeLessThanOrEqual(LANDMARK_TOL);
      // Sanity: on a real face the landmarks fall inside the crop.
      expect(Math.min(...ours)).toBeGreaterThan(-0.1);
      expect(Math.max(...ours)).toBeLessThan(1.1);
    });
  });

  describe('face_recognition', () => {
    const size = 150;
    let built: BuiltModel;
    let session: ort.InferenceSession;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let net: any;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const raw = (n: any, input: any) => n.forwardInput(input);

    beforeAll(async () => {
      built = await specNamed('face_recognition').build();
      session = await ort.InferenceSession.create(built.bytes);
      net = new faceapi.FaceRecognitionNet();
      await net.loadFromDisk(path.join(faceApiPackage().dir, 'model'));
    });

    it('declares its contract', () => {
      expect(built.entry.task).toBe('recognizer');
      expect(built.entry.source.path).toEqual(['model/face_recognition_model-weights_manifest.json', 'model/face_recognition_model.bin']);
      expect(built.entry.input.shape).toEqual(['N', 150, 150, 3]);
      expect(built.entry.outputs).toEqual([{ name: 'descriptor', shape: ['N', 128] }]);
    });

    it('matches face-api on seeded random crops (batch of 2)', async () => {
      const pixels = randomCrops(2, size, 99);
      const ours = await runOnnx(session, 'descriptor', pixels, size);
      const ref = await runFaceApi(net, pixels, size, raw);
      const diff = maxAbsDiff(ours, ref);
      console.info(`face_recognition random: max abs diff ${diff.toExponential(2)}`);
      expect(diff).toBeLessThanOrEqual(DESCRIPTOR_TOL);
      for (let i = 0; i < 2; i++) expect(cosine(ours.subarray(i * 128, (i + 1) * 128), ref.subarray(i * 128, (i + 1) * 128))).toBeGreaterThanOrEqual(MIN_COSINE);
    });

    it('matches face-api on a real face crop', async () => {
      const pixels = await realCrop(size);
      const ours = await runOnnx(session, 'descriptor', pixels, size);
      const ref = await runFaceApi(net, pixels, size, raw);
      const diff = maxAbsDiff(ours, ref);
      const cos = cosine(ours, ref);
      console.info(`face_recognition amy1: max abs diff ${diff.toExponential(2)}, cosine ${cos}`);
      expect(diff).toBeLessThanOrEqual(DESCRIPTOR_TOL);
      expect(cos).toBeGreaterThanOrEqual(MIN_COSINE);
    });
  });

  describe('ssd_mobilenetv1', () => {
    const size = 512;
    const tol = 1e-4;

    it('matches face-api before NMS on a real face, and batches consistently', async () => {
      const built = await specNamed('ssd_mobilenetv1').build();
      expect(built.entry.task).toBe('detector');
      expect(built.entry.outputs).toEqual([
        { name: 'boxes', shape: ['N', 5118, 4] },
        { name: 'scores', shape: ['N', 5118] },
      ]);
      const session = await ort.InferenceSession.create(built.bytes);
      // amy1 at 256 px on a mid-grey 512 canvas, so the face does not fill the frame.
      const file = path.join(dataDir(), 'faces', 'amy', 'amy1.png');
      const { data } = await sharp(file)
        .toColourspace('srgb')
        .removeAlpha()
        .resize(256, 256)
        .extend({ top: 128, bottom: 128, left: 128, right: 128, background: { r: 128, g: 128, b: 128 } })
        .raw()
        .toBuffer({ resolveWithObject: true });
      const real = Float32Array.from(data);
      expect(real.length).toBe(size * size * 3);
      const both = new Float32Array(2 * real.length);
      both.set(randomCrops(1, size, 5));
      both.set(real, real.length);
      const run = async (pixels: Float32Array) => {
        const n = pixels.length / real.length;
        const out = await session.run({ input: new ort.Tensor('float32', pixels, [n, size, size, 3]) });
        expect(out.boxes!.dims).toEqual([n, 5118, 4]);
        expect(out.scores!.dims).toEqual([n, 5118]);
        return { boxes: out.boxes!.data as Float32Array, scores: out.scores!.data as Float32Array };
      };
      const single = await run(real);
      const batch = await run(both);
      expect(maxAbsDiff(batch.scores.subarray(5118), single.scores)).toBeLessThanOrEqual(1e-6);

      const net = new faceapi.SsdMobilenetv1();
      await net.loadFromDisk(path.join(faceApiPackage().dir, 'model'));
      const image = tf.tensor3d(real, [size, size, 3]);
      const { boxes, scores } = net.forwardInput(await faceapi.toNetInput([image]));
      const refBoxes = Float32Array.from(boxes[0].dataSync() as Float32Array);
      const refScores = Float32Array.from(scores[0].dataSync() as Float32Array);
      boxes[0].dispose();
      scores[0].dispose();
      image.dispose();

      const boxDiff = maxAbsDiff(single.boxes, refBoxes);
      const scoreDiff = maxAbsDiff(single.scores, refScores);
      console.info(`ssd_mobilenetv1 amy1: boxes max abs diff ${boxDiff.toExponential(2)}, scores ${scoreDiff.toExponential(2)}, best score ${Math.max(...refScores).toFixed(3)}`);
      expect(boxDiff).toBeLessThanOrEqual(tol);
      expect(scoreDiff).toBeLessThanOrEqual(tol);
    });
  });

  describe('input preparation (models/build/faceapi/input.ts) reproduces face-api end to end', () => {
    /** amy1 cut to a non-square region, so padding and resizing both happen. */
    async function nonSquare(left: number, top: number, width: number, height: number): Promise<RgbImage> {
      const file = path.join(dataDir(), 'faces', 'amy', 'amy1.png');
      const { data } = await sharp(file).toColourspace('srgb').removeAlpha().extract({ left, top, width, height }).raw().toBuffer({ resolveWithObject: true });
      return { data: Float32Array.from(data), width, height };
    }
    const toTensor = (img: RgbImage) => tf.tensor3d(Float32Array.from(img.data), [img.height, img.width, 3]);

    it('pads and resizes like NetInput.toBatchTensor', async () => {
      for (const [w, h, size, centred] of [[61, 47, 112, true], [40, 73, 150, true], [61, 47, 112, false], [33, 33, 150, true]] as const) {
        const pixels = randomCrops(1, Math.max(w, h), w * 1000 + h).subarray(0, w * h * 3);
        const img = { data: pixels, width: w, height: h };
        const t = toTensor(img);
        const ref = (await faceapi.toNetInput(t)).toBatchTensor(size, centred);
        const diff = maxAbsDiff(faceApiSquareInput(img, size, centred), Float32Array.from(ref.dataSync() as Float32Array));
        ref.dispose();
        t.dispose();
        expect(diff).toBeLessThanOrEqual(1e-3);
      }
    });

    it('landmarks on a 150×119 crop: prepare → ONNX → landmarksToCrop equals detectLandmarks; dlibAlignedBox equals align()', async () => {
      const img = await nonSquare(0, 17, 150, 119);
      const session = await ort.InferenceSession.create((await specNamed('face_landmark_68').build()).bytes);
      const raw = await runOnnx(session, 'landmarks', faceApiSquareInput(img, 112, true), 112);
      const ours = landmarksToCrop(raw, img.width, img.height);
      const net = new faceapi.FaceLandmark68Net();
      await net.loadFromDisk(path.join(faceApiPackage().dir, 'model'));
      const t = toTensor(img);
      const ref = await net.detectLandmarks(t);
      t.dispose();
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const refXY = Float64Array.from((ref.positions as any[]).flatMap((p) => [p.x, p.y]));
      const diff = maxAbsDiff(Float32Array.from(ours), Float32Array.from(refXY));
      console.info(`landmarks end to end (pixels in a 150×119 crop): max abs diff ${diff.toExponential(2)}`);
      expect(diff).toBeLessThanOrEqual(1e-3);
      const box = ref.align(null, { useDlibAlignment: true });
      expect(dlibAlignedBox(refXY, { width: img.width, height: img.height })).toEqual({ x: box.x, y: box.y, width: box.width, height: box.height });
    });

    it('descriptor on a 131×150 crop: prepare → ONNX equals computeFaceDescriptor', async () => {
      const img = await nonSquare(9, 0, 131, 150);
      const session = await ort.InferenceSession.create((await specNamed('face_recognition').build()).bytes);
      const ours = await runOnnx(session, 'descriptor', faceApiSquareInput(img, 150, true), 150);
      const net = new faceapi.FaceRecognitionNet();
      await net.loadFromDisk(path.join(faceApiPackage().dir, 'model'));
      const t = toTensor(img);
      const ref = (await net.computeFaceDescriptor(t)) as Float32Array;
      t.dispose();
      const diff = maxAbsDiff(ours, ref);
      console.info(`descriptor end to end (131×150 crop): max abs diff ${diff.toExponential(2)}, cosine ${cosine(ours, ref)}`);
      expect(diff).toBeLessThanOrEqual(DESCRIPTOR_TOL);
      expect(cosine(ours, ref)).toBeGreaterThanOrEqual(MIN_COSINE);
    });
  });
});
