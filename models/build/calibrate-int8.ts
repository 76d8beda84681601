/**
 * Measures the activation ranges that int8 quantisation needs and writes them to
 * models/quantisation/<model>.json (committed, so `npm install` builds the int8 models without
 * any photos). The inputs are exactly what the engine feeds each model: the float engine that
 * runs the model goes over a folder of face photos while every model input is recorded. Run by
 * `facematch models --calibrate-int8 <images dir> [--int8-model <name>]`.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { modelsDir } from '../../src/config/paths.ts';
import { createInProcessEngine } from '../../src/engine/index.ts';
import { FACEAPI_RECOGNIZER, type EngineConfig } from '../../src/engine/config.ts';
import { observeModelInputs, readModelManifest } from '../../src/engine/sessions.ts';
import { decodeModel, encodeModel, withExtraOutputs, type ActivationRanges } from './quantise.ts';
import { INT8_PLANS, type Int8Plan } from './int8-plans.ts';
import { INT8_MODELS, quantisationDir, type Int8Model, type RangesFile } from './quantisation-ranges.ts';

interface Recorded {
  data: Float32Array;
  dims: number[];
}

/** The float engine configuration that runs each model, so its inputs are the ones it gets in use. */
const CALIBRATION_ENGINES: Record<Int8Model, Partial<EngineConfig>> = {
  // The face-api net in the configuration that runs it (its own front end included).
  face_recognition: { detector: { family: 'blazeface' }, landmarks: 'faceapi68', recognizers: [FACEAPI_RECOGNIZER] },
  // fr_feature behind the default front end, with its mirror pass (the ranges were measured on the
  // crops and their mirror images, the configuration it ran in then).
  fr_feature: { recognizers: [{ family: 'faceplugin', weight: 1, flip: true }] },
};

/** Runs the float engine over the photos and keeps every input of the given model. */
async function recordInputs(imageFiles: string[], model: Int8Model): Promise<{ inputs: Recorded[]; images: number }> {
  const engine = await createInProcessEngine({ ...CALIBRATION_ENGINES[model], workers: 0, liveness: false, precision: 'float32' });
  const inputs: Recorded[] = [];
  observeModelInputs((name, data, dims) => {
    if (name === model) inputs.push({ data: data.slice(), dims: [...dims] });
  });
  let images = 0;
  try {
    for (const file of imageFiles) {
      try {
        await engine.analyze(new Uint8Array(readFileSync(file)));
        images++;
      } catch {
        /* photos without a face add nothing */
      }
    }
  } finally {
    observeModelInputs(undefined);
    await engine.close();
  }
  return { inputs, images };
}

/** [low, high] of one input's values: the extremes, or the values at the quantile on each side. */
function rangeOf(values: Float32Array, quantile: number | undefined): [number, number] {
  if (quantile === undefined) {
    let lo = Infinity, hi = -Infinity;
    for (const v of values) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return [lo, hi];
  }
  // A typed-array sort is numeric and native; the two order statistics are read off it.
  const sorted = Float32Array.from(values).sort();
  const last = sorted.length - 1;
  return [sorted[Math.floor((1 - quantile) * last)]!, sorted[Math.ceil(quantile * last)]!];
}

async function measureRanges(model: Int8Model, plan: Int8Plan, recorded: Recorded[]): Promise<ActivationRanges> {
  const entry = readModelManifest().find((m) => m.name === model)!;
  const prepared = plan.prepare(decodeModel(readFileSync(path.join(modelsDir(), entry.file))));
  const names = plan.calibrated(prepared);
  const session = await ort.InferenceSession.create(encodeModel(withExtraOutputs(prepared, names)), { graphOptimizationLevel: 'basic' });
  const ranges: ActivationRanges = Object.fromEntries(names.map((n) => [n, [Infinity, -Infinity]]));
  for (const { data, dims } of recorded) {
    // One input at a time, so a quantile is taken per input.
    const size = data.length / dims[0]!;
    for (let i = 0; i < dims[0]!; i++) {
      const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', data.subarray(i * size, (i + 1) * size), [1, ...dims.slice(1)]) });
      for (const n of names) {
        const [lo, hi] = rangeOf(out[n]!.data as Float32Array, plan.quantile);
        const r = ranges[n]!;
        r[0] = Math.min(r[0], lo);
        r[1] = Math.max(r[1], hi);
      }
    }
  }
  await session.release();
  return ranges;
}

export async function calibrateInt8(imageFiles: string[], models: readonly Int8Model[] = INT8_MODELS, log: (s: string) => void = (s) => process.stderr.write(`${s}\n`)): Promise<RangesFile[]> {
  mkdirSync(quantisationDir, { recursive: true });
  const files: RangesFile[] = [];
  for (const model of models) {
    const plan = INT8_PLANS[model];
    const { inputs, images } = await recordInputs(imageFiles, model);
    const count = inputs.reduce((n, r) => n + r.dims[0]!, 0);
    const file: RangesFile = {
      model,
      floatSha256: readModelManifest().find((m) => m.name === model)!.sha256,
      images,
      inputs: count,
      method: plan.quantile === undefined ? 'min/max over every input the engine fed the model' : `per input, the values at the ${plan.quantile} quantile on each side; the widest over every input the engine fed the model`,
      ranges: await measureRanges(model, plan, inputs),
    };
    writeFileSync(path.join(quantisationDir, `${model}.json`), `${JSON.stringify(file, null, 1)}\n`);
    log(`calibrate-int8: ${model}: ${Object.keys(file.ranges).length} activations from ${count} inputs of ${images} images`);
    files.push(file);
  }
  return files;
}
