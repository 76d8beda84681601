/**
 * The ONNX nets of the npm package `faceplugin-face-recognition-js` (MIT): a 512-D face descriptor
 * (`fr_feature`), an Ultra-Light-style face detector (`fr_detect`) and a 64×64 greyscale 68-point
 * landmark net (`fr_landmark`). They ship as ONNX exported from PyTorch with a fixed batch of 1;
 * the build makes the batch dimension symbolic where the graph allows it (so mirrored views run in
 * one call) and otherwise keeps the weights exactly as published. The publisher does not state the
 * training data of any of these nets.
 */
import type { ModelSpec, ModelManifestEntry } from '../spec.ts';
import { decodeModel, encodeModel } from '../quantise.ts';
import { splitPRelu } from '../split-prelu.ts';
import { readPackageFiles, type PinnedPackage } from '../shared/npm-tarball.ts';

export const FACEPLUGIN_PACKAGE: PinnedPackage = {
  name: 'faceplugin-face-recognition-js',
  version: '0.0.1',
  integrity: 'sha512-shriXjd4zJHEwhK1jHK+bWo8Vv6Vu9B/w6RRsd4AFtNM/jaI2vhuOamOSMl9qQmLd8WlQ7dgqN+3C2iOi5pXWw==',
};

const PROVENANCE =
  'Publisher: Faceplugin (package faceplugin-face-recognition-js, repository Faceplugin-ltd/FaceRecognition-LivenessDetection-Javascript), MIT licence in the package and the repository. ' +
  'Training data: not stated by the publisher.';

interface Dim {
  dimValue?: unknown;
  dimParam?: string;
}
interface ValueInfo {
  type?: { tensorType?: { shape?: { dim: Dim[] } } };
}
interface Graph {
  node: Array<{ opType: string; name?: string; input: string[]; output: string[] }>;
  initializer: Array<{ name: string; dataType: number; rawData?: Uint8Array; dims: unknown[] }>;
  input: ValueInfo[];
  output: ValueInfo[];
}

/** Marks the batch dimension of every graph input and output as symbolic ('N'). */
function symbolicBatch(graph: Graph): void {
  for (const v of [...graph.input, ...graph.output]) {
    const dims = v.type?.tensorType?.shape?.dim;
    if (dims?.[0]) dims[0] = { dimParam: 'N' };
  }
}

/** Rewrites the int64 shape constant of the Reshape feeding the output from [1, −1] to [−1, dims]. */
function batchFreeReshape(graph: Graph, dims: number): void {
  const reshapes = graph.node.filter((n) => n.opType === 'Reshape');
  if (reshapes.length !== 1) throw new Error(`expected one Reshape, found ${reshapes.length}`);
  const shape = graph.initializer.find((t) => t.name === reshapes[0]!.input[1]);
  const current = shape?.rawData ? Array.from(new BigInt64Array(new Uint8Array(shape.rawData).buffer)) : [];
  if (!shape || current.join() !== '1,-1') throw new Error(`unexpected Reshape shape ${current.join()}`);
  shape.rawData = new Uint8Array(BigInt64Array.from([-1n, BigInt(dims)]).buffer);
}

interface FacepluginDef {
  name: string;
  task: ModelManifestEntry['task'];
  /** The graph rewrites this net gets (batch made symbolic, faster equivalent ops); none: as published. */
  convert?: (graph: Graph) => void;
  input: ModelManifestEntry['input'];
  outputs: ModelManifestEntry['outputs'];
  notes: string;
}

const DEFS: FacepluginDef[] = [
  {
    name: 'fr_feature',
    task: 'recognizer',
    convert: (g) => {
      batchFreeReshape(g, 512);
      symbolicBatch(g);
      // Bit-identical, and about 1.45× faster: onnxruntime's per-channel PRelu is a slow broadcast loop.
      splitPRelu({ graph: g });
    },
    input: { name: 'input', shape: ['N', 3, 112, 112], layout: 'NCHW', channelOrder: 'RGB', normalisation: { mean: [127, 127, 127], std: [128, 128, 128] } },
    outputs: [{ name: 'output', shape: ['N', 512] }],
    notes:
      'MobileFaceNet-style descriptor (Conv/PReLU/Add), 512-D, not normalised. Input: a 112x112 RGB crop aligned by five points onto the ArcFace template (the publisher maps 68 points to five: eye centres from points 37,38,40,41 and 43,44,46,47, nose tip 30, mouth corners as the mean of 48/60 and 54/64), pixel (p-127)/128. ' +
      'Converted: the batch dimension made symbolic (the final Reshape [1,-1] became [-1,512]); every PRelu(x, a) rewritten as Relu(x) + a*(x - Relu(x)), which gives bit-identical descriptors and runs about 1.45x faster in onnxruntime. ' +
      PROVENANCE,
  },
  {
    name: 'fr_detect',
    task: 'detector',
    input: { name: 'input', shape: [1, 3, 240, 320], layout: 'NCHW', channelOrder: 'RGB', normalisation: { mean: [127, 127, 127], std: [128, 128, 128] } },
    outputs: [
      { name: 'scores', shape: [1, 4420, 2] },
      { name: 'boxes', shape: [1, 4420, 4] },
    ],
    notes:
      'Ultra-Light-Fast-Generic-Face-Detector-style (RFB) detector, 320x240 input, the whole frame resized (no aspect padding in the publisher code), pixel (p-127)/128, RGB. ' +
      'Outputs: softmax scores [background, face] and box regressions for 4420 priors (min sizes 10/16/24, 32/48, 64/96, 128/192/256 at strides 8, 16, 32, 64; decoding in the engine\'s detector family). No landmarks. Unchanged from the package. ' +
      PROVENANCE,
  },
  {
    name: 'fr_landmark',
    task: 'landmarks',
    convert: symbolicBatch,
    input: { name: 'input', shape: ['N', 1, 64, 64], layout: 'NCHW', channelOrder: 'RGB', normalisation: { mean: [0], std: [256] } },
    outputs: [{ name: 'output', shape: ['N', 136] }],
    notes:
      '68-point (iBUG order) landmark regressor on a 64x64 greyscale crop of the detector box (the publisher crops the box as given, resizes to 64x64 and feeds grey/256). Output: 68 (x, y) pairs relative to the crop (0..1). ' +
      'Converted: the batch dimension made symbolic. ' +
      PROVENANCE,
  },
];

/** One download for all the nets of the package. */
let packageFiles: Promise<Map<string, Uint8Array>> | undefined;
const modelFiles = () => (packageFiles ??= readPackageFiles(FACEPLUGIN_PACKAGE, DEFS.map((d) => `model/${d.name}.onnx`)));

/** A net exactly as the package ships it (for checks that a conversion changed nothing). */
export async function publishedNet(name: string): Promise<Uint8Array> {
  const bytes = (await modelFiles()).get(`model/${name}.onnx`);
  if (!bytes) throw new Error(`${FACEPLUGIN_PACKAGE.name} has no model/${name}.onnx`);
  return bytes;
}

export const facepluginSpecs: ModelSpec[] = DEFS.map((def) => ({
  name: def.name,
  async build() {
    const files = await modelFiles();
    let bytes = files.get(`model/${def.name}.onnx`)!;
    if (def.convert) {
      const model = decodeModel(bytes) as unknown as { graph: Graph };
      def.convert(model.graph);
      bytes = encodeModel(model as never);
    }
    return {
      bytes,
      entry: {
        name: def.name,
        task: def.task,
        source: { package: FACEPLUGIN_PACKAGE.name, version: FACEPLUGIN_PACKAGE.version, path: [`model/${def.name}.onnx`], licence: 'MIT' },
        input: def.input,
        outputs: def.outputs,
        notes: def.notes,
      },
    };
  },
}));
