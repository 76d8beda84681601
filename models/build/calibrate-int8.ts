/**
 * Measures the activation ranges that int8 quantisation needs, on real aligned face chips, and
 * writes them to models/quantisation/<model>.json (committed, so `npm install` can build the int8
 * model without any photos). Run by `facematch models --calibrate-int8 <images dir>`.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { repoRoot } from '../../src/config/paths.ts';
import { decodeImage } from '../../src/engine/decode.ts';
import { orderByPrimary } from '../../src/engine/engine.ts';
import { BlazeFaceDetector } from '../../src/engine/families/blazeface.ts';
import { FaceApiLandmarks } from '../../src/engine/families/faceapi-landmarks.ts';
import { FaceApiRecognizer } from '../../src/engine/families/faceapi-recognizer.ts';
import { flipHorizontal, fivePointFrom68 } from '../../src/engine/components.ts';
import { openSession, readModelManifest } from '../../src/engine/sessions.ts';
import { decodeModel, encodeModel, foldConvChannelAffine, quantisableActivations, withExtraOutputs, type ActivationRanges } from './quantise.ts';

export const quantisationDir = path.join(repoRoot, 'models', 'quantisation');

export interface RangesFile {
  model: string;
  /** sha256 of the float model the ranges were measured on. */
  floatSha256: string;
  images: number;
  crops: number;
  method: string;
  ranges: ActivationRanges;
}

export function readRanges(model: string): RangesFile {
  return JSON.parse(readFileSync(path.join(quantisationDir, `${model}.json`), 'utf8')) as RangesFile;
}

/** Face chips as the engine makes them: every face, three zooms, each also mirrored. */
async function recognitionChips(imageFiles: string[], log: (s: string) => void): Promise<{ chips: Float32Array[]; images: number }> {
  const manifest = readModelManifest();
  const detector = new BlazeFaceDetector(await openSession('blazeface', {}, manifest));
  const landmarks = new FaceApiLandmarks(await openSession('face_landmark_68', {}, manifest), { flip: true });
  const recognizer = new FaceApiRecognizer(await openSession('face_recognition', {}, manifest));
  const chips: Float32Array[] = [];
  let images = 0;
  for (const file of imageFiles) {
    let image;
    try {
      image = await decodeImage(new Uint8Array(readFileSync(file)), { maxBytes: 10e6, maxPixels: 40e6, maxSide: 1600 });
    } catch {
      continue;
    }
    const detections = await detector.detect(image);
    if (detections.length === 0) continue;
    orderByPrimary(detections, image.width, image.height);
    const points = await landmarks.locate(image, detections);
    images++;
    points.forEach((l68) => {
      for (const zoom of [0.93, 1, 1.07]) {
        const chip = recognizer.chip(image, { landmarks68: l68, fivePoint: fivePointFrom68(l68) }, zoom);
        chips.push(chip, flipHorizontal(chip, 150));
      }
    });
  }
  log(`calibrate-int8: ${chips.length} chips from ${images} images`);
  return { chips, images };
}

export async function calibrateFaceRecognitionInt8(imageFiles: string[], log: (s: string) => void = (s) => process.stderr.write(`${s}\n`)): Promise<RangesFile> {
  const entry = readModelManifest().find((m) => m.name === 'face_recognition')!;
  const floatBytes = readFileSync(path.join(repoRoot, 'models', 'onnx', entry.file));
  const folded = foldConvChannelAffine(decodeModel(floatBytes));
  const names = quantisableActivations(folded);
  const session = await ort.InferenceSession.create(encodeModel(withExtraOutputs(folded, names)), { graphOptimizationLevel: 'basic' });
  const { chips, images } = await recognitionChips(imageFiles, log);
  const ranges: ActivationRanges = Object.fromEntries(names.map((n) => [n, [Infinity, -Infinity]]));
  const batch = 8, plane = 150 * 150 * 3;
  for (let i = 0; i < chips.length; i += batch) {
    const part = chips.slice(i, i + batch);
    const input = new Float32Array(plane * part.length);
    part.forEach((c, k) => input.set(c, k * plane));
    const out = await session.run({ input: new ort.Tensor('float32', input, [part.length, 150, 150, 3]) });
    for (const n of names) {
      const data = out[n]!.data as Float32Array;
      const r = ranges[n]!;
      for (let k = 0; k < data.length; k++) {
        const v = data[k]!;
        if (v < r[0]) r[0] = v;
        if (v > r[1]) r[1] = v;
      }
    }
  }
  const file: RangesFile = { model: 'face_recognition', floatSha256: entry.sha256, images, crops: chips.length, method: 'min/max over every crop', ranges };
  mkdirSync(quantisationDir, { recursive: true });
  writeFileSync(path.join(quantisationDir, 'face_recognition.json'), `${JSON.stringify(file, null, 1)}\n`);
  return file;
}
