/**
 * Parity: each converted ONNX model against the original TFJS graph model (pure-JS cpu
 * backend) on the same inputs. The ONNX models are built in memory from the package files.
 *
 * Tolerance: max |onnx - tfjs| <= 3e-5 * max(1, max |tfjs|) per output. Both run float32
 * with identical weights (float16 weights are widened exactly by both), so differences come
 * only from summation order in convolutions / matmuls; 3e-5 of the output scale is well
 * above that float32 noise (observed <= 2.5e-6 relative) and far below any difference that
 * would matter downstream, while a layout or padding mistake shows up as O(1e-1..1).
 */
import path from 'node:path';
import sharp from 'sharp';
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataDir } from '../../src/config/paths.ts';
import { buildTfjsGraphModel, humanModelPath, tfjsGraphModelDefs, type TfjsGraphModelDef } from '../../models/build/tfjs-graph/specs.ts';
import { loadTfjsModel } from '../../models/build/tfjs-graph/weights.ts';
import { rng } from '../support/rng.ts';

const RELATIVE_TOLERANCE = 3e-5;


/** Random pixels 0..255 mapped through the model's declared normalisation. */
function randomInput(def: TfjsGraphModelDef, shape: number[], seed: number): Float32Array {
  const r = rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    out[i] = (r() * 255 - def.normalisation.mean[c]!) / def.normalisation.std[c]!;
  }
  return out;
}

/** The test face, resized (stretched) to size x size, normalised like the model expects. */
async function imageInput(def: TfjsGraphModelDef, size: number): Promise<Float32Array> {
  const file = path.join(dataDir(), 'faces', 'obama', 'obama1.jpg');
  const raw = await sharp(file).removeAlpha().resize(size, size, { fit: 'fill' }).raw().toBuffer();
  const out = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const c = i % 3;
    out[i] = (raw[i]! - def.normalisation.mean[c]!) / def.normalisation.std[c]!;
  }
  return out;
}

async function loadReference(def: TfjsGraphModelDef): Promise<tf.GraphModel> {
  const { json, weightData } = loadTfjsModel(humanModelPath(def.file));
  const handler: tf.io.IOHandler = {
    load: async () => ({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[],
      weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength) as ArrayBuffer,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy,
    }),
  };
  return tf.loadGraphModel(handler);
}

/** Runs the TFJS model and assembles outputs the way the ONNX spec declares them. */
function runReference(model: tf.GraphModel, def: TfjsGraphModelDef, input: Float32Array, shape: number[]): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor(input, shape, 'float32');
    const names = def.outputs.flatMap((o) => o.from);
    const res = model.execute(x, names);
    const list = Array.isArray(res) ? res : [res];
    const byName = new Map(names.map((n, i) => [n, list[i]!]));
    return def.outputs.map((o) => {
      const parts = o.from.map((f) => byName.get(f)!);
      const t = parts.length === 1 ? parts[0]! : tf.concat(parts, o.concatAxis ?? -1);
      return t.dataSync() as Float32Array;
    });
  });
}

interface Loaded {
  def: TfjsGraphModelDef;
  reference: tf.GraphModel;
  session: ort.InferenceSession;
}

const loaded = new Map<string, Loaded>();
const measured: string[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

afterAll(async () => {
  for (const l of loaded.values()) {
    l.reference.dispose();
    await l.session.release();
  }
  // Visible with --reporter=verbose; records the measured differences.
  console.log(measured.join('\n'));
});

async function load(name: string): Promise<Loaded> {
  let l = loaded.get(name);
  if (!l) {
    const def = tfjsGraphModelDefs.find((d) => d.name === name)!;
    const built = await buildTfjsGraphModel(def);
    const session = await ort.InferenceSession.create(built.bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    l = { def, reference: await loadReference(def), session };
    loaded.set(name, l);
  }
  return l;
}

async function compare(l: Loaded, input: Float32Array, shape: number[], label: string): Promise<number[]> {
  const want = runReference(l.reference, l.def, input, shape);
  const res = await l.session.run({ input: new ort.Tensor('float32', input, shape) });
  const diffs: number[] = [];
  l.def.outputs.forEach((o, i) => {
    const got = res[o.name]!.data as Float32Array;
    const ref = want[i]!;
    expect(got.length, `${l.def.name}.${o.name} length`).toBe(ref.length);
    let maxDiff = 0;
    let scale = 0;
    for (let j = 0; j < ref.length; j++) {
      maxDiff = Math.max(maxDiff, Math.abs(got[j]! - ref[j]!));
      scale = Math.max(scale, Math.abs(ref[j]!));
    }
    const tol = RELATIVE_TOLERANCE * Math.max(1, scale);
    measured.push(`${l.def.name} ${label} ${o.name}: max|diff| ${maxDiff.toExponential(2)} (output scale ${scale.toPrecision(3)}, tolerance ${tol.toExponential(2)})`);
    expect(Number.isFinite(maxDiff)).toBe(true);
    expect(maxDiff, `${l.def.name}.${o.name} (${label})`).toBeLessThanOrEqual(tol);
    diffs.push(maxDiff);
  });
  return diffs;
}

describe('TFJS graph → ONNX parity', () => {
  it('blazeface: random input and a real face', async () => {
    const l = await load('blazeface');
    const shape = [1, 256, 256, 3];
    await compare(l, randomInput(l.def, shape, 1), shape, 'random');
    await compare(l, await imageInput(l.def, 256), shape, 'obama1');
  });

  it('faceres: random batch of 2 and a real face', async () => {
    const l = await load('faceres');
    const shape = [2, 224, 224, 3];
    await compare(l, randomInput(l.def, shape, 2), shape, 'random');
    await compare(l, await imageInput(l.def, 224), [1, 224, 224, 3], 'obama1');
  });

  it('antispoof: random batch of 3 and a real face', async () => {
    const l = await load('antispoof');
    const shape = [3, 128, 128, 3];
    await compare(l, randomInput(l.def, shape, 3), shape, 'random');
    await compare(l, await imageInput(l.def, 128), [1, 128, 128, 3], 'obama1');
  });

  it('facemesh: random batch of 2 and a real face', async () => {
    const l = await load('facemesh');
    const shape = [2, 192, 192, 3];
    await compare(l, randomInput(l.def, shape, 5), shape, 'random');
    await compare(l, await imageInput(l.def, 192), [1, 192, 192, 3], 'obama1');
  });

  it('liveness: random batch of 3 and a real face', async () => {
    const l = await load('liveness');
    const shape = [3, 32, 32, 3];
    await compare(l, randomInput(l.def, shape, 4), shape, 'random');
    await compare(l, await imageInput(l.def, 32), [1, 32, 32, 3], 'obama1');
  });
});
