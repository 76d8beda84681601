/**
 * int8 variants of float models: the float graph as built, its per-channel scale layers folded
 * into the convolutions, then quantised (QDQ) with the activation ranges committed in
 * models/quantisation/. Built at install like every other model; no photos needed.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { ModelSpec } from './spec.ts';
import { faceApiSpecs } from './faceapi/specs.ts';
import { tfjsGraphSpecs } from './tfjs-graph/specs.ts';
import { INT8_MODELS, readRanges, quantisationDir } from './quantisation-ranges.ts';
import { decodeModel, encodeModel, foldConvChannelAffine, PORTABLE_RANGE, quantiseQdq } from './quantise.ts';

function int8Spec(floatName: string): ModelSpec {
  return {
    name: `${floatName}_int8`,
    async build() {
      const float = [...faceApiSpecs, ...tfjsGraphSpecs].find((s) => s.name === floatName)!;
      const built = await float.build();
      const ranges = readRanges(floatName);
      const sha = createHash('sha256').update(built.bytes).digest('hex');
      // Ranges belong to one exact float graph: a changed builder must be recalibrated.
      if (sha !== ranges.floatSha256) throw new Error(`models/quantisation/${floatName}.json was measured on another build of ${floatName}: run \`facematch models --calibrate-int8 <photos>\``);
      const bytes = encodeModel(quantiseQdq(foldConvChannelAffine(decodeModel(built.bytes)), ranges.ranges, PORTABLE_RANGE));
      return {
        bytes,
        entry: {
          ...built.entry,
          name: `${floatName}_int8`,
          source: { ...built.entry.source, path: [...built.entry.source.path, `(this repository) models/${path.basename(quantisationDir)}/${floatName}.json`] },
          notes:
            `${built.entry.notes} int8: conv weights per output channel (symmetric, within ±${PORTABLE_RANGE.weightMax} so that no x86-64 int8 kernel can overflow), biases int32, activations uint8 ` +
            `with ranges measured on the ${ranges.inputs} inputs the engine gave it for ${ranges.images} development photos (${ranges.method}); ` +
            'onnxruntime fuses the QDQ pairs into QLinearConv/QLinearAdd.',
        },
      };
    },
  };
}

export const quantisedSpecs: ModelSpec[] = INT8_MODELS.map(int8Spec);
