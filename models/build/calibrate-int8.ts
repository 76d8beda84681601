/**
 * Measures the activation ranges that int8 quantisation needs and writes them to
 * models/quantisation/<model>.json (committed, so `npm install` builds the int8 models without
 * any photos). The inputs are exactly what the engine feeds each model: the float engine runs over
 * a folder of face photos while every model input is recorded. Run by
 * `facematch models --calibrate-int8 <images dir>`.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { modelsDir } from '../../src/config/paths.ts';
import { createInProcessEngine } from '../../src/engine/index.ts';
import { FACEAPI_RECOGNIZER } from '../../src/engine/config.ts';
import { observeModelInputs, readModelManifest } from '../../src/engine/sessions.ts';
import { decodeModel, encodeModel, foldConvChannelAffine, quantisableActivations, withExtraOutputs, type ActivationRanges } from './quantise.ts';
import { INT8_MODELS, quantisationDir, type RangesFile } from './quantisation-ranges.ts';

interface Recorded {
  data: Float32Array;
  dims: number[];
}

/** Runs the float engine over the photos and keeps every input of the given models. */
async function recordInputs(imageFiles: string[], models: readonly string[]): Promise<{ inputs: Map<string, Recorded[]>; images: number }> {
  // The inputs the face-api net gets in the configuration that runs it (its own front end included).
  const engine = await createInProcessEngine({ workers: 0, liveness: false, precision: 'float32', detector: { family: 'blazeface' }, landmarks: 'faceapi68', recognizers: [FACEAPI_RECOGNIZER] });
  const inputs = new Map<string, Recorded[]>(models.map((m) => [m, []]));
  observeModelInputs((model, data, dims) => inputs.get(model)?.push({ data: data.slice(), dims: [...dims] }));
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

async function measureRanges(model: string, recorded: Recorded[]): Promise<ActivationRanges> {
  const entry = readModelManifest().find((m) => m.name === model)!;
  const folded = foldConvChannelAffine(decodeModel(readFileSync(path.join(modelsDir(), entry.file))));
  const names = quantisableActivations(folded);
  const session = await ort.InferenceSession.create(encodeModel(withExtraOutputs(folded, names)), { graphOptimizationLevel: 'basic' });
  const ranges: ActivationRanges = Object.fromEntries(names.map((n) => [n, [Infinity, -Infinity]]));
  for (const { data, dims } of recorded) {
    const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', data, dims) });
    for (const n of names) {
      const values = out[n]!.data as Float32Array;
      const r = ranges[n]!;
      for (let k = 0; k < values.length; k++) {
        const v = values[k]!;
        if (v < r[0]) r[0] = v;
        if (v > r[1]) r[1] = v;
      }
    }
  }
  await session.release();
  return ranges;
}

export async function calibrateInt8(imageFiles: string[], log: (s: string) => void = (s) => process.stderr.write(`${s}\n`)): Promise<RangesFile[]> {
  const { inputs, images } = await recordInputs(imageFiles, INT8_MODELS);
  mkdirSync(quantisationDir, { recursive: true });
  const files: RangesFile[] = [];
  for (const model of INT8_MODELS) {
    const recorded = inputs.get(model)!;
    const count = recorded.reduce((n, r) => n + r.dims[0]!, 0);
    const file: RangesFile = {
      model,
      floatSha256: readModelManifest().find((m) => m.name === model)!.sha256,
      images,
      inputs: count,
      method: 'min/max over every input the engine fed the model',
      ranges: await measureRanges(model, recorded),
    };
    writeFileSync(path.join(quantisationDir, `${model}.json`), `${JSON.stringify(file, null, 1)}\n`);
    log(`calibrate-int8: ${model}: ${Object.keys(file.ranges).length} activations from ${count} inputs of ${images} images`);
    files.push(file);
  }
  return files;
}
