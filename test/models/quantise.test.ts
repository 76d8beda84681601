/**
 * int8 quantisation of the recognition net: the folding step is exact, and the quantised net
 * stays close to the float one on real aligned face crops (LFW accuracy of both is measured by
 * `facematch eval`, not here).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelsDir } from '../../src/config/paths.ts';
import { decodeModel, encodeModel, foldConvChannelAffine, PORTABLE_RANGE, quantiseQdq, quantisableActivations, uint8Params } from '../../models/build/quantise.ts';
import { readRanges } from '../../models/build/quantisation-ranges.ts';
import { createInProcessEngine } from '../../src/engine/index.ts';
import { FACEAPI_RECOGNIZER } from '../../src/engine/config.ts';
import { FaceApiRecognizer } from '../../src/engine/families/faceapi-recognizer.ts';
import { decodeImage } from '../../src/engine/decode.ts';
import { fivePointFrom68 } from '../../src/engine/components.ts';
import { hasSharedData, sharedImage } from '../support/shared-data.ts';
import { rng } from '../support/rng.ts';

const floatBytes = () => readFileSync(path.join(modelsDir(), 'face_recognition.onnx'));

async function descriptors(model: Uint8Array, input: Float32Array, n: number): Promise<Float32Array[]> {
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const out = (await session.run({ input: new ort.Tensor('float32', input, [n, 150, 150, 3]) })).descriptor!.data as Float32Array;
  await session.release();
  return Array.from({ length: n }, (_, i) => out.slice(i * 128, (i + 1) * 128));
}

const cosine = (a: Float32Array, b: Float32Array) => {
  let d = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { d += a[i]! * b[i]!; na += a[i]! * a[i]!; nb += b[i]! * b[i]!; }
  return d / Math.sqrt(na * nb);
};

describe('uint8Params', () => {
  it('covers the measured range, with zero on the grid', () => {
    for (const [lo, hi] of [[0, 6], [-1, 3], [0.5, 2], [-4, -1]] as Array<[number, number]>) {
      const { scale, zeroPoint } = uint8Params([lo, hi]);
      expect(Number.isInteger(zeroPoint) && zeroPoint >= 0 && zeroPoint <= 255).toBe(true);
      // Smallest and largest representable values, within half a step of rounding the zero point.
      expect((0 - zeroPoint) * scale).toBeLessThanOrEqual(Math.min(lo, 0) + scale / 2 + 1e-9);
      expect((255 - zeroPoint) * scale).toBeGreaterThanOrEqual(Math.max(hi, 0) - scale / 2 - 1e-9);
      expect(scale).toBeLessThanOrEqual((Math.max(hi, 0) - Math.min(lo, 0)) / 255 + 1e-12);
    }
  });
});

describe('quantiseQdq', () => {
  it('refuses a model when a calibration range is missing', () => {
    const folded = foldConvChannelAffine(decodeModel(floatBytes()));
    const ranges = readRanges('face_recognition').ranges;
    const [first] = quantisableActivations(folded);
    const { [first!]: _dropped, ...rest } = ranges;
    expect(() => quantiseQdq(folded, rest)).toThrow(/no calibration range/);
  });
});

describe('the built int8 net', () => {
  it('keeps every conv weight within ±63, so no pair of u8·s8 products can saturate a 16-bit sum (2·255·64 < 2¹⁵)', () => {
    const model = decodeModel(readFileSync(path.join(modelsDir(), 'face_recognition_int8.onnx'))) as unknown as {
      graph: { initializer: Array<{ name: string; dataType: number; rawData: Uint8Array }> };
    };
    const weights = model.graph.initializer.filter((t) => t.name.endsWith('/int8'));
    expect(weights.length).toBe(29); // every convolution of the ResNet
    let largest = 0;
    for (const w of weights) for (const v of new Int8Array(new Uint8Array(w.rawData).buffer)) largest = Math.max(largest, Math.abs(v));
    expect(PORTABLE_RANGE.weightMax).toBe(63);
    expect(largest).toBe(PORTABLE_RANGE.weightMax);
    expect(2 * 255 * (largest + 1)).toBeLessThan(2 ** 15);
  });
});

describe.skipIf(!hasSharedData)('int8 face_recognition', () => {
  let chips: Float32Array[] = [];
  const people = ['faces/obama/obama1.jpg', 'faces/obama/obama2.jpg', 'faces/biden/biden2.jpg', 'faces/penny/penny1.png', 'faces/sheldon/sheldon2.png'];
  beforeAll(async () => {
    const engine = await createInProcessEngine({ workers: 0, liveness: false, recognizers: [FACEAPI_RECOGNIZER] });
    const recognizer = new FaceApiRecognizer(undefined as never);
    for (const file of people) {
      const analysis = await engine.analyze(sharedImage(file));
      const image = await decodeImage(sharedImage(file), { maxBytes: 10e6, maxPixels: 40e6, maxSide: 1600 });
      // Landmarks come back in original coordinates; these photos are below maxSide, so scale is 1.
      expect(image.scale).toBe(1);
      const l68 = analysis.face.landmarks;
      chips.push(recognizer.chip(image, { landmarks68: l68, fivePoint: fivePointFrom68(l68) }));
    }
    await engine.close();
  });

  const batch = () => {
    const input = new Float32Array(chips.length * 150 * 150 * 3);
    chips.forEach((c, i) => input.set(c, i * 150 * 150 * 3));
    return input;
  };

  it('folding the scale layers into the convolutions keeps the descriptor (≤ 1e-4)', async () => {
    const random = rng(7);
    const noise = Float32Array.from({ length: 2 * 150 * 150 * 3 }, () => random() * 255);
    const original = await descriptors(floatBytes(), noise, 2);
    const folded = await descriptors(encodeModel(foldConvChannelAffine(decodeModel(floatBytes()))), noise, 2);
    for (let i = 0; i < 2; i++) for (let k = 0; k < 128; k++) expect(Math.abs(folded[i]![k]! - original[i]![k]!)).toBeLessThan(1e-4);
  });

  it('the int8 net gives descriptors within cosine 0.995 of the float net on real face crops', async () => {
    const float = await descriptors(floatBytes(), batch(), chips.length);
    const int8 = await descriptors(readFileSync(path.join(modelsDir(), 'face_recognition_int8.onnx')), batch(), chips.length);
    for (let i = 0; i < chips.length; i++) expect(cosine(float[i]!, int8[i]!)).toBeGreaterThan(0.995);
    // And it still tells people apart: same person closer than any different pair.
    const same = cosine(int8[0]!, int8[1]!);
    for (const j of [2, 3, 4]) expect(same).toBeGreaterThan(cosine(int8[0]!, int8[j]!));
  });
});
