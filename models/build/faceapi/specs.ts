import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { OnnxGraph } from '../onnx-graph.ts';
import type { BuiltModel, ModelManifestEntry, ModelSpec } from '../spec.ts';
import { buildFaceLandmark68Graph, LANDMARK_INPUT_SIZE } from './landmark68.ts';
import { buildFaceRecognitionGraph, RECOGNITION_INPUT_SIZE } from './recognition.ts';
import { buildSsdMobilenetv1Graph, SSD_INPUT_SIZE, SSD_NUM_ANCHORS } from './ssd.ts';
import { loadWeightManifest, type WeightMap } from './weights.ts';

export const FACEAPI_PACKAGE = '@vladmandic/face-api';

/** The installed face-api package: its directory, version and licence. */
export function faceApiPackage(): { dir: string; version: string; licence: string } {
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve(`${FACEAPI_PACKAGE}/package.json`);
  const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string; license: string };
  return { dir: path.dirname(pkgJson), version: pkg.version, licence: pkg.license };
}

/** Package-relative paths of a face-api model's weight manifest and its shards. */
export function faceApiModelFiles(model: string): string[] {
  const { dir } = faceApiPackage();
  const manifest = `model/${model}-weights_manifest.json`;
  const groups = JSON.parse(readFileSync(path.join(dir, manifest), 'utf8')) as Array<{ paths: string[] }>;
  return [manifest, ...groups.flatMap((gr) => gr.paths.map((p) => `model/${p}`))];
}

export function loadFaceApiWeights(model: string): WeightMap {
  return loadWeightManifest(path.join(faceApiPackage().dir, 'model', `${model}-weights_manifest.json`));
}

const PREPROCESSING_NOTE =
  'Input is the raw RGB crop, 0..255, NHWC; the graph itself applies face-api\'s in-net preprocessing ' +
  '(x - [122.782, 117.001, 104.298]) / 255, hence mean 0 / std 1 here.';

function faceApiSpec(opts: {
  name: string;
  model: string;
  task: ModelManifestEntry['task'];
  size: number;
  outputs: ModelManifestEntry['outputs'];
  build: (w: WeightMap) => OnnxGraph;
  /** The in-graph preprocessing, for the notes. */
  preprocessing?: string;
  notes: string;
}): ModelSpec {
  return {
    name: opts.name,
    async build(): Promise<BuiltModel> {
      const pkg = faceApiPackage();
      const graph = opts.build(loadFaceApiWeights(opts.model));
      const source = { package: FACEAPI_PACKAGE, version: pkg.version, path: faceApiModelFiles(opts.model), licence: pkg.licence };
      const bytes = graph.toBytes({ source: `${FACEAPI_PACKAGE}@${pkg.version} model/${opts.model}`, licence: pkg.licence }, opts.notes);
      return {
        bytes,
        entry: {
          name: opts.name,
          task: opts.task,
          source,
          input: {
            name: 'input',
            shape: ['N', opts.size, opts.size, 3],
            layout: 'NHWC',
            channelOrder: 'RGB',
            normalisation: { mean: [0, 0, 0], std: [1, 1, 1] },
          },
          outputs: opts.outputs,
          notes: `${opts.preprocessing ?? PREPROCESSING_NOTE} ${opts.notes}`,
        },
      };
    },
  };
}

/** face-api weight-manifest nets, rebuilt as ONNX graphs. */
export const faceApiSpecs: ModelSpec[] = [
  faceApiSpec({
    name: 'face_landmark_68',
    model: 'face_landmark_68_model',
    task: 'landmarks',
    size: LANDMARK_INPUT_SIZE,
    outputs: [{ name: 'landmarks', shape: ['N', 136] }],
    build: buildFaceLandmark68Graph,
    notes:
      'FaceLandmark68Net (full). Output x0,y0,…,x67,y67 as fractions of the 112×112 input. face-api feeds it the ' +
      'detection box cropped from the image, zero-padded (centred) to a square, resized bilinearly to 112.',
  }),
  faceApiSpec({
    name: 'face_recognition',
    model: 'face_recognition_model',
    task: 'recognizer',
    size: RECOGNITION_INPUT_SIZE,
    outputs: [{ name: 'descriptor', shape: ['N', 128] }],
    build: buildFaceRecognitionGraph,
    notes:
      'FaceRecognitionNet (dlib ResNet). 128-D descriptor, not L2-normalised. face-api feeds it the aligned face box ' +
      '(axis-aligned square from the 68 landmarks, no rotation), zero-padded (centred) to a square if clipped, resized bilinearly to 150.',
  }),
  faceApiSpec({
    name: 'ssd_mobilenetv1',
    model: 'ssd_mobilenetv1_model',
    task: 'detector',
    size: SSD_INPUT_SIZE,
    outputs: [
      { name: 'boxes', shape: ['N', SSD_NUM_ANCHORS, 4] },
      { name: 'scores', shape: ['N', SSD_NUM_ANCHORS] },
    ],
    build: buildSsdMobilenetv1Graph,
    preprocessing:
      'Input is the raw RGB image, 0..255, NHWC; the graph itself applies face-api\'s x / 127.5 - 1, hence mean 0 / std 1 here.',
    notes:
      'SsdMobilenetv1 without non-max suppression: boxes are decoded against the 5118 anchors, as (top, left, bottom, right) ' +
      'fractions of the 512×512 input; scores are the face-class sigmoid. face-api pads the image with zeros at the ' +
      'right or bottom (not centred) to a square and resizes it bilinearly to 512; it then keeps scores > minConfidence ' +
      '(0.5), applies greedy NMS dropping IoU > 0.5 (max 100), clamps boxes to 0..1 and scales them by the padded side.',
  }),
];
