/**
 * face-api's SsdMobilenetv1 face detector up to, but not including, non-max suppression:
 * MobileNetV1 (depthwise conv + batch norm + ReLU6, pointwise conv + offset + ReLU6) on a 512×512
 * input, six SSD box predictors (5118 anchors), box decoding against the anchors shipped in the
 * manifest ('Output/extra_dim') and the face-class sigmoid — what face-api's forwardInput returns.
 *
 * Outputs: boxes [N, 5118, 4] as (top, left, bottom, right) fractions of the 512 input and
 * scores [N, 5118].
 */
import { OnnxGraph } from '../onnx-graph.ts';
import { TfLayers, type Fmap } from './layers.ts';
import { floatWeight, type WeightMap } from './weights.ts';

export const SSD_INPUT_SIZE = 512;
export const SSD_NUM_ANCHORS = 5118;
const BN_EPSILON = 0.0010000000474974513;

function pointwiseConvLayer(l: TfLayers, x: Fmap, prefix: string, idx: number, stride: number): Fmap {
  const base = `${prefix}/Conv2d_${idx}_pointwise`;
  return l.clip(l.conv(x, `${base}/weights`, stride, 'same', `${base}/convolution_bn_offset`), 0, 6);
}

function depthwiseConvLayer(l: TfLayers, x: Fmap, idx: number, stride: number): Fmap {
  const base = `MobilenetV1/Conv2d_${idx}_depthwise`;
  const out = l.depthwiseConv(x, `${base}/depthwise_weights`, stride, 'same');
  const bn = l.batchNorm(
    out,
    { mean: `${base}/BatchNorm/moving_mean`, variance: `${base}/BatchNorm/moving_variance`, offset: `${base}/BatchNorm/beta`, scale: `${base}/BatchNorm/gamma` },
    BN_EPSILON,
  );
  return l.clip(bn, 0, 6);
}

/** A 1×1 'same' conv + bias, output back to NHWC order and flattened to [N, H*W*A, width]. */
function predictor(l: TfLayers, x: Fmap, base: string, width: number): string {
  const g = l.g;
  const conv = l.conv(x, `${base}/weights`, 1, 'same', `${base}/biases`);
  const nhwc = g.op('Transpose', [conv.name], { perm: [0, 2, 3, 1] });
  return g.op('Reshape', [nhwc, g.constInt64('shape', [0, -1, width])]);
}

export function buildSsdMobilenetv1Graph(weights: WeightMap): OnnxGraph {
  const g = new OnnxGraph('ssd_mobilenetv1');
  const l = new TfLayers(g, weights);
  const input = g.input('input', ['N', SSD_INPUT_SIZE, SSD_INPUT_SIZE, 3]);
  // face-api: x / 127.5 - 1
  const scaled = g.op('Sub', [g.op('Div', [input, g.constFloat('divisor', [127.5], [])]), g.constFloat('one', [1], [])]);
  let x: Fmap = { name: g.op('Transpose', [scaled], { perm: [0, 3, 1, 2] }), c: 3, h: SSD_INPUT_SIZE, w: SSD_INPUT_SIZE };

  x = pointwiseConvLayer(l, x, 'MobilenetV1', 0, 2);
  let conv11: Fmap | undefined;
  for (let idx = 1; idx <= 13; idx++) {
    x = depthwiseConvLayer(l, x, idx, [2, 4, 6, 12].includes(idx) ? 2 : 1);
    x = pointwiseConvLayer(l, x, 'MobilenetV1', idx, 1);
    if (idx === 11) conv11 = x;
  }
  if (!conv11) throw new Error('ssd: conv11 missing');

  const c0 = pointwiseConvLayer(l, x, 'Prediction', 0, 1);
  const c1 = pointwiseConvLayer(l, c0, 'Prediction', 1, 2);
  const c2 = pointwiseConvLayer(l, c1, 'Prediction', 2, 1);
  const c3 = pointwiseConvLayer(l, c2, 'Prediction', 3, 2);
  const c4 = pointwiseConvLayer(l, c3, 'Prediction', 4, 1);
  const c5 = pointwiseConvLayer(l, c4, 'Prediction', 5, 2);
  const c6 = pointwiseConvLayer(l, c5, 'Prediction', 6, 1);
  const c7 = pointwiseConvLayer(l, c6, 'Prediction', 7, 2);

  const sources = [conv11, x, c1, c3, c5, c7];
  const anchorsPerCell = sources.map((_, i) => floatWeight(weights, `Prediction/BoxPredictor_${i}/BoxEncodingPredictor/biases`).shape[0]! / 4);
  const total = sources.reduce((a, s, i) => a + s.h * s.w * anchorsPerCell[i]!, 0);
  if (total !== SSD_NUM_ANCHORS) throw new Error(`ssd: ${total} anchors, expected ${SSD_NUM_ANCHORS}`);
  const encodings = g.op('Concat', sources.map((s, i) => predictor(l, s, `Prediction/BoxPredictor_${i}/BoxEncodingPredictor`, 4)), { axis: 1 });
  const classes = g.op('Concat', sources.map((s, i) => predictor(l, s, `Prediction/BoxPredictor_${i}/ClassPredictor`, 3)), { axis: 1 });

  // Box decoding (face-api outputLayer): anchor sizes and centres are constants, computed here
  // with float32 rounding at each step as tfjs does.
  const anchors = floatWeight(weights, 'Output/extra_dim', [1, SSD_NUM_ANCHORS, 4]).data;
  const f = Math.fround;
  const sizes = new Float32Array(SSD_NUM_ANCHORS * 2);
  const centres = new Float32Array(SSD_NUM_ANCHORS * 2);
  for (let i = 0; i < SSD_NUM_ANCHORS; i++) {
    for (let k = 0; k < 2; k++) {
      const size = f(anchors[i * 4 + 2 + k]! - anchors[i * 4 + k]!);
      sizes[i * 2 + k] = size;
      centres[i * 2 + k] = f(anchors[i * 4 + k]! + f(size / 2));
    }
  }
  const sizesC = g.constFloat('anchor_sizes', sizes, [SSD_NUM_ANCHORS, 2]);
  const centresC = g.constFloat('anchor_centres', centres, [SSD_NUM_ANCHORS, 2]);
  const [p01, p23] = g.node('Split', [encodings, g.constInt64('split', [2, 2])], { axis: 2 }, 2) as [string, string];
  const centre = g.op('Add', [g.op('Mul', [g.op('Div', [p01, g.constFloat('ten', [10], [])]), sizesC]), centresC]);
  const half = g.op('Div', [g.op('Mul', [g.op('Exp', [g.op('Div', [p23, g.constFloat('five', [5], [])])]), sizesC]), g.constFloat('two', [2], [])]);
  g.op('Concat', [g.op('Sub', [centre, half]), g.op('Add', [centre, half])], { axis: 2 }, 'boxes');
  g.output('boxes', ['N', SSD_NUM_ANCHORS, 4]);

  const face = g.op('Slice', [classes, g.constInt64('starts', [1]), g.constInt64('ends', [2]), g.constInt64('axes', [2])]);
  g.op('Squeeze', [g.op('Sigmoid', [face]), g.constInt64('axes', [2])], {}, 'scores');
  g.output('scores', ['N', SSD_NUM_ANCHORS]);
  return g;
}
