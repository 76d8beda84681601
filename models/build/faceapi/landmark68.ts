/**
 * face-api's FaceLandmark68Net (the full one): FaceFeatureExtractor (four dense blocks of
 * depthwise-separable convolutions, 112 → 7) + 7×7/2 average pool + a 256 → 136 fully connected
 * layer. Output is the raw net output: x0, y0, x1, y1, … as fractions of the 112×112 input.
 */
import { OnnxGraph } from '../onnx-graph.ts';
import { TfLayers, type Fmap } from './layers.ts';
import { floatWeight, type WeightMap } from './weights.ts';

export const LANDMARK_INPUT_SIZE = 112;
/** face-api subtracts this RGB mean and divides by 255 inside the forward pass. */
export const FACEAPI_MEAN_RGB = [122.782, 117.001, 104.298];

/** denseBlock4 from face-api: conv0 downsamples by 2, conv1..3 are densely connected. */
function denseBlock4(l: TfLayers, x: Fmap, prefix: string, isFirstLayer: boolean): Fmap {
  const out1 = l.relu(
    isFirstLayer ? l.conv(x, `${prefix}/conv0/filters`, 2, 'same', `${prefix}/conv0/bias`) : l.separableConv(x, `${prefix}/conv0`, 2, 'same'),
  );
  const out2 = l.separableConv(out1, `${prefix}/conv1`, 1, 'same');
  const in3 = l.relu(l.add(out1, out2));
  const out3 = l.separableConv(in3, `${prefix}/conv2`, 1, 'same');
  const in4 = l.relu(l.add(out1, l.add(out2, out3)));
  const out4 = l.separableConv(in4, `${prefix}/conv3`, 1, 'same');
  return l.relu(l.add(out1, l.add(out2, l.add(out3, out4))));
}

export function buildFaceLandmark68Graph(weights: WeightMap): OnnxGraph {
  const g = new OnnxGraph('face_landmark_68');
  const l = new TfLayers(g, weights);
  let x = l.imageInput('input', LANDMARK_INPUT_SIZE, FACEAPI_MEAN_RGB, 255);
  x = denseBlock4(l, x, 'dense0', true);
  x = denseBlock4(l, x, 'dense1', false);
  x = denseBlock4(l, x, 'dense2', false);
  x = denseBlock4(l, x, 'dense3', false);
  x = l.pool('AveragePool', x, 7, 2);
  if (x.h !== 1 || x.w !== 1) throw new Error(`landmark net: expected 1×1 after pooling, got ${x.h}×${x.w}`);
  const features = g.op('Flatten', [x.name], { axis: 1 });
  const fcW = floatWeight(weights, 'fc/weights', [x.c, 136]);
  const fcB = floatWeight(weights, 'fc/bias', [136]);
  const mm = g.op('MatMul', [features, g.initializer('fc/weights', { dims: fcW.shape, data: fcW.data })]);
  g.op('Add', [mm, g.initializer('fc/bias', { dims: [136], data: fcB.data })], {}, 'landmarks');
  g.output('landmarks', ['N', 136]);
  return g;
}
