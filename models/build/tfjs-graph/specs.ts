import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../../src/config/paths.ts';
import type { BuiltModel, ModelManifestEntry, ModelSpec } from '../spec.ts';
import { convertTfjsGraph, type GraphOutputSpec } from './convert.ts';
import { loadTfjsModel } from './weights.ts';

/** Where @vladmandic/human's package (and its models/ folder) is installed. */
export const humanPackageDir = path.join(repoRoot, 'node_modules', '@vladmandic', 'human');

export function humanPackageVersion(): string {
  return (JSON.parse(readFileSync(path.join(humanPackageDir, 'package.json'), 'utf8')) as { version: string }).version;
}

export function humanModelPath(file: string): string {
  return path.join(humanPackageDir, 'models', `${file}.json`);
}

export interface TfjsGraphModelDef {
  name: string;
  /** Base name of the model in the package's models/ folder. */
  file: string;
  task: ModelManifestEntry['task'];
  placeholder: string;
  /** Fixed batch size, when the TF graph hard-codes one (e.g. in Reshape shapes). */
  batch?: number;
  channelOrder: 'RGB' | 'BGR';
  normalisation: { mean: number[]; std: number[] };
  outputs: GraphOutputSpec[];
  notes: string;
}

const PIXELS_0_255 = { mean: [0, 0, 0], std: [1, 1, 1] };
const PIXELS_0_1 = { mean: [0, 0, 0], std: [255, 255, 255] };
const PIXELS_MINUS1_1 = { mean: [127.5, 127.5, 127.5], std: [127.5, 127.5, 127.5] };

const HUMAN_FACE_CROP =
  "Human feeds it the face crop that its face pipeline produces: the BlazeFace box enlarged 1.4x about its centre and made square, cut from the RGB frame with bilinear crop-and-resize (first to 192x192, the mesh input size), then resized bilinearly to this model's input size.";

export const tfjsGraphModelDefs: TfjsGraphModelDef[] = [
  {
    name: 'blazeface',
    file: 'blazeface',
    task: 'detector',
    placeholder: 'input',
    batch: 1,
    channelOrder: 'RGB',
    normalisation: PIXELS_MINUS1_1,
    outputs: [
      // 16x16 grid x 2 anchors (512 rows) first, then 8x8 grid x 6 anchors (384 rows): Human's anchor order.
      { name: 'logits', from: ['Identity', 'Identity_1'], concatAxis: 1 },
      { name: 'regressors', from: ['Identity_2', 'Identity_3'], concatAxis: 1 },
    ],
    notes:
      'MediaPipe BlazeFace (back-camera variant, 256x256, 896 anchors). Input: whole RGB frame resized bilinearly to 256x256 (no aspect padding by default), pixel/127.5-1. ' +
      'Outputs are raw: logits [1,896,1] (score = sigmoid(logit)); regressors [1,896,16] = [cx, cy, w, h, kp0x, kp0y, ..., kp5x, kp5y] in pixels of the 256x256 input: ' +
      'box centre and keypoints are offsets from the anchor centre, w/h are absolute sizes (no anchor scaling). ' +
      'Keypoints: 0 eye on the image-left (subject right eye), 1 eye on the image-right, 2 nose tip, 3 mouth centre, 4 ear tragion image-left, 5 ear tragion image-right. ' +
      'Anchors: stride 16 on a 16x16 grid with 2 anchors per cell (rows 0..511), then stride 32 on an 8x8 grid with 6 anchors per cell (rows 512..895); row-major (y, then x, then anchor); centre = stride*(gx+0.5), stride*(gy+0.5). ' +
      'The four TF outputs (Identity, Identity_1, Identity_2, Identity_3) are concatenated in that order.',
  },
  {
    name: 'faceres',
    file: 'faceres',
    task: 'recognizer',
    placeholder: 'input_1',
    channelOrder: 'RGB',
    normalisation: PIXELS_0_255,
    outputs: [
      { name: 'embedding', from: ['global_pooling/Mean'] },
      { name: 'age', from: ['age_pred/Softmax'] },
      { name: 'gender', from: ['gender_pred/Sigmoid'] },
    ],
    notes:
      'HSE FaceRes (MobileNet-style) descriptor + age/gender heads, float16-quantised weights widened to float32. ' +
      `Input: RGB face crop 224x224 with pixel values 0..255 (Human multiplies its 0..1 crop by 255). ${HUMAN_FACE_CROP} ` +
      'embedding [N,1024] is the global average pool (not L2-normalised). age [N,100] softmax over one-year age bins (Human: age = argmax index, shifted towards the more probable neighbour bin by 10x its probability). ' +
      'gender [N,1] sigmoid: <= 0.5 female, > 0.5 male in Human.',
  },
  {
    name: 'antispoof',
    file: 'antispoof',
    task: 'antispoof',
    placeholder: 'conv2d_input',
    channelOrder: 'RGB',
    normalisation: PIXELS_0_1,
    outputs: [{ name: 'real', from: ['Identity'] }],
    notes:
      `Small CNN anti-spoofing classifier, float16-quantised weights. Input: RGB face crop 128x128 with values 0..1. ${HUMAN_FACE_CROP} ` +
      'real [N,1] is a sigmoid score that Human reports as face.real (higher = more likely a real face).',
  },
  {
    name: 'liveness',
    file: 'liveness',
    task: 'liveness',
    placeholder: 'conv2d_1_input',
    channelOrder: 'RGB',
    normalisation: PIXELS_0_1,
    outputs: [{ name: 'scores', from: ['Identity'] }],
    notes:
      `LivenessNet-style CNN. Input: RGB face crop 32x32 with values 0..1. ${HUMAN_FACE_CROP} ` +
      'scores [N,2] softmax; Human reports scores[0] as face.live. The class order is not documented by the source; treat the meaning of index 0 as unverified.',
  },
  {
    name: 'facemesh',
    file: 'facemesh',
    task: 'landmarks',
    placeholder: 'input_1',
    channelOrder: 'RGB',
    normalisation: PIXELS_0_1,
    outputs: [
      { name: 'mesh', from: ['Identity_2'] },
      { name: 'faceflag', from: ['Identity_1'] },
      { name: 'contours', from: ['Identity'] },
    ],
    notes:
      'MediaPipe FaceMesh (468 landmarks), float16-quantised weights. Input: RGB face crop 192x192 with values 0..1, cut from the BlazeFace box enlarged 1.4x and made square (Human). ' +
      'mesh [N,1404] = 468 x (x, y, z), x/y in pixels of the 192x192 crop, z relative depth in the same units. faceflag [N,1] sigmoid face-presence score. ' +
      'contours [N,266] = 133 x (x, y) auxiliary output (unused by Human).',
  },
];

function weightPaths(file: string): string[] {
  const json = JSON.parse(readFileSync(humanModelPath(file), 'utf8')) as { weightsManifest: Array<{ paths: string[] }> };
  return [`models/${file}.json`, ...json.weightsManifest.flatMap((g) => g.paths.map((p) => `models/${p}`))];
}

export async function buildTfjsGraphModel(def: TfjsGraphModelDef): Promise<BuiltModel> {
  const version = humanPackageVersion();
  const { json, weights } = loadTfjsModel(humanModelPath(def.file));
  const res = convertTfjsGraph(json, weights, {
    graphName: def.name,
    inputs: [{ node: def.placeholder, name: 'input', ...(def.batch !== undefined ? { batch: def.batch } : {}) }],
    outputs: def.outputs,
    meta: { source: `@vladmandic/human@${version}/models/${def.file}.json`, licence: 'MIT' },
    docString: `${def.name}: converted op by op from the TFJS graph model in @vladmandic/human ${version}`,
  });
  const input = res.inputs[0]!;
  return {
    bytes: res.bytes,
    entry: {
      name: def.name,
      task: def.task,
      source: { package: '@vladmandic/human', version, path: weightPaths(def.file), licence: 'MIT' },
      input: { ...input, layout: 'NHWC', channelOrder: def.channelOrder, normalisation: def.normalisation },
      outputs: res.outputs,
      notes: def.notes,
    },
  };
}

/** TFJS graph models from @vladmandic/human, converted op by op. */
export const tfjsGraphSpecs: ModelSpec[] = tfjsGraphModelDefs.map((def) => ({ name: def.name, build: () => buildTfjsGraphModel(def) }));
