/**
 * face-api's FaceRecognitionNet: the dlib face-recognition ResNet (29 conv layers, "ResNet-34
 * style") on a 150×150 input. Every conv layer is conv + bias followed by a per-channel scale
 * layer (the folded batch norm); down-sampling residual blocks add a 2×2/2 average-pooled,
 * channel-zero-padded shortcut. Output: the 128-D descriptor before any L2 normalisation.
 */
import { OnnxGraph } from '../onnx-graph.ts';
import { FACEAPI_MEAN_RGB } from './landmark68.ts';
import { TfLayers, type Fmap, type TfPadding } from './layers.ts';
import { floatWeight, type WeightMap } from './weights.ts';

export const RECOGNITION_INPUT_SIZE = 150;

function convLayer(l: TfLayers, x: Fmap, prefix: string, stride: number, withRelu: boolean, padding: TfPadding): Fmap {
  let out = l.conv(x, `${prefix}/conv/filters`, stride, padding, `${prefix}/conv/bias`);
  out = l.channelScale(out, `${prefix}/scale/weights`, `${prefix}/scale/biases`);
  return withRelu ? l.relu(out) : out;
}

function residual(l: TfLayers, x: Fmap, prefix: string): Fmap {
  let out = convLayer(l, x, `${prefix}/conv1`, 1, true, 'same');
  out = convLayer(l, out, `${prefix}/conv2`, 1, false, 'same');
  return l.relu(l.add(out, x));
}

function residualDown(l: TfLayers, x: Fmap, prefix: string): Fmap {
  let out = convLayer(l, x, `${prefix}/conv1`, 2, true, 'valid');
  out = convLayer(l, out, `${prefix}/conv2`, 1, false, 'same');
  let pooled = l.pool('AveragePool', x, 2, 2);
  // face-api appends one zero row and one zero column to the conv branch when the strided
  // 'valid' conv came out one smaller than the pooled shortcut (odd sizes 8 → 3 vs 4, 4 → 1 vs 2).
  if (pooled.h !== out.h || pooled.w !== out.w) {
    if (pooled.h !== out.h + 1 || pooled.w !== out.w + 1) throw new Error(`${prefix}: unexpected shapes ${out.h}×${out.w} vs ${pooled.h}×${pooled.w}`);
    out = l.zeroPadEnd(out, 0, 1, 1);
  }
  // The shortcut gets zero channels appended when the block doubles the channel count.
  if (pooled.c !== out.c) {
    if (out.c !== 2 * pooled.c) throw new Error(`${prefix}: unexpected channels ${pooled.c} → ${out.c}`);
    pooled = l.zeroPadEnd(pooled, pooled.c, 0, 0);
  }
  return l.relu(l.add(pooled, out));
}

export function buildFaceRecognitionGraph(weights: WeightMap): OnnxGraph {
  const g = new OnnxGraph('face_recognition');
  const l = new TfLayers(g, weights);
  let x = l.imageInput('input', RECOGNITION_INPUT_SIZE, FACEAPI_MEAN_RGB, 255);
  x = convLayer(l, x, 'conv32_down', 2, true, 'valid');
  x = l.pool('MaxPool', x, 3, 2);
  for (const p of ['conv32_1', 'conv32_2', 'conv32_3']) x = residual(l, x, p);
  x = residualDown(l, x, 'conv64_down');
  for (const p of ['conv64_1', 'conv64_2', 'conv64_3']) x = residual(l, x, p);
  x = residualDown(l, x, 'conv128_down');
  for (const p of ['conv128_1', 'conv128_2']) x = residual(l, x, p);
  x = residualDown(l, x, 'conv256_down');
  for (const p of ['conv256_1', 'conv256_2']) x = residual(l, x, p);
  x = residualDown(l, x, 'conv256_down_out');
  const pooled = g.op('ReduceMean', [x.name], { axes: [2, 3], keepdims: 0 });
  const fc = floatWeight(weights, 'fc', [x.c, 128]);
  g.op('MatMul', [pooled, g.initializer('fc', { dims: fc.shape, data: fc.data })], {}, 'descriptor');
  g.output('descriptor', ['N', 128]);
  return g;
}
