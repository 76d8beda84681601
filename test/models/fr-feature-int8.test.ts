/**
 * fr_feature's mixed-precision int8 variant: the PRelu rewrite it starts from is bit-identical,
 * only the planned convolutions are quantised (7-bit weights), the build is deterministic, and on
 * real face crops the descriptors stay within cosine 0.995 of the float net, a bound that the
 * quantisation of every layer fails (fidelity on 300 LFW people is measured in the README, not here).
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelsDir } from '../../src/config/paths.ts';
import { createInProcessEngine } from '../../src/engine/index.ts';
import { observeModelInputs, readModelManifest } from '../../src/engine/sessions.ts';
import { convShapes, decodeModel, encodeModel, PORTABLE_RANGE, quantiseQdq } from '../../models/build/quantise.ts';
import { publishedNet } from '../../models/build/faceplugin/specs.ts';
import { INT8_PLANS } from '../../models/build/int8-plans.ts';
import { readRanges } from '../../models/build/quantisation-ranges.ts';
import { quantisedSpecs } from '../../models/build/quantised-specs.ts';
import { hasSharedData, sharedImage } from '../support/shared-data.ts';
import { rng } from '../support/rng.ts';

const CROP = 3 * 112 * 112;
const floatBytes = () => new Uint8Array(readFileSync(path.join(modelsDir(), 'fr_feature.onnx')));
const int8Bytes = () => new Uint8Array(readFileSync(path.join(modelsDir(), 'fr_feature_int8.onnx')));

async function descriptors(model: Uint8Array, input: Float32Array): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const out = (await session.run({ input: new ort.Tensor('float32', input, [input.length / CROP, 3, 112, 112]) })).output!.data as Float32Array;
  await session.release();
  return out;
}

function cosines(a: Float32Array, b: Float32Array): number[] {
  return Array.from({ length: a.length / 512 }, (_, i) => {
    let d = 0, na = 0, nb = 0;
    for (let k = i * 512; k < (i + 1) * 512; k++) {
      d += a[k]! * b[k]!;
      na += a[k]! * a[k]!;
      nb += b[k]! * b[k]!;
    }
    return d / Math.sqrt(na * nb);
  });
}

interface Initializer {
  name: string;
  rawData: Uint8Array;
}

describe('splitPRelu', () => {
  it('leaves the shipped fr_feature without PRelu and with the published net\'s descriptors, bit for bit', async () => {
    expect(decodeModel(floatBytes()).graph.node.some((n) => n.opType === 'PRelu')).toBe(false);
    const published = await publishedNet('fr_feature');
    expect(decodeModel(published).graph.node.some((n) => n.opType === 'PRelu')).toBe(true);
    const random = rng(11);
    // The published graph has a fixed batch of one.
    const input = Float32Array.from({ length: CROP }, () => random() * 2 - 1);
    expect(await descriptors(floatBytes(), input)).toEqual(await descriptors(published, input));
  });
});

describe('quantiseQdq with a selection of convolutions', () => {
  it('refuses a name that is not a convolution of the model', () => {
    expect(() => quantiseQdq(decodeModel(floatBytes()), readRanges('fr_feature').ranges, PORTABLE_RANGE, new Set(['Conv_404']))).toThrow(/no Conv named Conv_404/);
  });

  it('quantises exactly the planned convolutions of fr_feature, every weight within ±63', () => {
    const model = decodeModel(int8Bytes()) as unknown as { graph: { initializer: Initializer[] } };
    const planned = INT8_PLANS.fr_feature.convs!(decodeModel(floatBytes()));
    const weights = model.graph.initializer.filter((t) => t.name.endsWith('/int8'));
    expect(weights.length).toBe(planned.size);
    // Half of the pointwise convolutions, and nothing else.
    const shapes = convShapes(decodeModel(floatBytes()));
    expect(planned.size).toBe(16);
    expect(shapes.filter((c) => planned.has(c.name)).every((c) => c.kernel === 1 && c.group === 1)).toBe(true);
    let largest = 0;
    for (const w of weights) for (const v of new Int8Array(new Uint8Array(w.rawData).buffer)) largest = Math.max(largest, Math.abs(v));
    expect(largest).toBe(PORTABLE_RANGE.weightMax);
  });
});

describe('the fr_feature_int8 build', () => {
  it('is deterministic and matches the manifest', async () => {
    const spec = quantisedSpecs.find((s) => s.name === 'fr_feature_int8')!;
    const [a, b] = [await spec.build(), await spec.build()];
    const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
    expect(sha(a.bytes)).toBe(sha(b.bytes));
    expect(sha(a.bytes)).toBe(readModelManifest().find((m) => m.name === 'fr_feature_int8')!.sha256);
    expect(readRanges('fr_feature').floatSha256).toBe(readModelManifest().find((m) => m.name === 'fr_feature')!.sha256);
  }, 60_000);
});

describe.skipIf(!hasSharedData)('fr_feature_int8 on real face crops', () => {
  // Held-out people (the calibration photos are the development set and other LFW people).
  const photos = ['AJ_Cook/AJ_Cook_0001.jpg', 'Aaron_Eckhart/Aaron_Eckhart_0001.jpg', 'Aaron_Peirsol/Aaron_Peirsol_0001.jpg', 'Aaron_Sorkin/Aaron_Sorkin_0001.jpg', 'Abdullah_Gul/Abdullah_Gul_0001.jpg'];
  let crops: Float32Array;
  let float: Float32Array;
  beforeAll(async () => {
    // Exactly the crops the default engine feeds fr_feature, and their mirror images.
    const engine = await createInProcessEngine({ workers: 0, liveness: false, precision: 'float32', recognizers: [{ family: 'faceplugin', weight: 1, flip: true }] });
    const seen: Float32Array[] = [];
    observeModelInputs((model, data) => {
      if (model === 'fr_feature') seen.push(data.slice());
    });
    try {
      for (const photo of photos) await engine.analyze(sharedImage(`lfw/images/${photo}`));
    } finally {
      observeModelInputs(undefined);
      await engine.close();
    }
    crops = new Float32Array(seen.reduce((n, s) => n + s.length, 0));
    seen.reduce((offset, s) => (crops.set(s, offset), offset + s.length), 0);
    float = await descriptors(floatBytes(), crops);
  }, 60_000);

  it('keeps every descriptor within cosine 0.995 of the float net', async () => {
    expect(crops.length / CROP).toBeGreaterThanOrEqual(2 * photos.length);
    const agreement = cosines(await descriptors(int8Bytes(), crops), float);
    expect(Math.min(...agreement)).toBeGreaterThan(0.995);
  });

  it('is a bound that quantising every layer fails', async () => {
    const all = new Set(convShapes(decodeModel(floatBytes())).map((c) => c.name));
    const everything = quantiseQdq(decodeModel(floatBytes()), readRanges('fr_feature').ranges, PORTABLE_RANGE, all);
    const agreement = cosines(await descriptors(encodeModel(everything), crops), float);
    expect(Math.min(...agreement)).toBeLessThan(0.995);
  });
});
