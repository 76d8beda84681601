/**
 * int8 variants of float models: the float graph as built, made ready by the exact rewrites of its
 * plan (int8-plans.ts), then quantised (QDQ) with the activation ranges committed in
 * models/quantisation/. Built at install like every other model; no photos needed.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { ModelSpec } from './spec.ts';
import { faceApiSpecs } from './faceapi/specs.ts';
import { tfjsGraphSpecs } from './tfjs-graph/specs.ts';
import { facepluginSpecs } from './faceplugin/specs.ts';
import { INT8_PLANS } from './int8-plans.ts';
import { INT8_MODELS, readRanges, quantisationDir, type Int8Model } from './quantisation-ranges.ts';
import { decodeModel, encodeModel, PORTABLE_RANGE, quantiseQdq } from './quantise.ts';

function int8Spec(floatName: Int8Model): ModelSpec {
  const plan = INT8_PLANS[floatName];
  return {
    name: `${floatName}_int8`,
    async build() {
      const float = [...faceApiSpecs, ...tfjsGraphSpecs, ...facepluginSpecs].find((s) => s.name === floatName)!;
      const built = await float.build();
      const ranges = readRanges(floatName);
      const sha = createHash('sha256').update(built.bytes).digest('hex');
      // Ranges belong to one exact float graph: a changed builder must be recalibrated.
      if (sha !== ranges.floatSha256) throw new Error(`models/quantisation/${floatName}.json was measured on another build of ${floatName}: run \`facematch models --calibrate-int8 <photos>\``);
      const prepared = plan.prepare(decodeModel(built.bytes));
      const convs = plan.convs?.(prepared);
      const bytes = encodeModel(quantiseQdq(prepared, ranges.ranges, PORTABLE_RANGE, convs));
      return {
        bytes,
        entry: {
          ...built.entry,
          name: `${floatName}_int8`,
          source: { ...built.entry.source, path: [...built.entry.source.path, `(this repository) models/${path.basename(quantisationDir)}/${floatName}.json`] },
          notes:
            `${built.entry.notes} int8 (${plan.describe}): conv weights per output channel (symmetric, within ±${PORTABLE_RANGE.weightMax} so that no x86-64 int8 kernel can overflow), biases int32, activations uint8 ` +
            `with ranges measured on the ${ranges.inputs} inputs the engine gave it for ${ranges.images} development photos (${ranges.method}); ` +
            'onnxruntime fuses the QDQ pairs into its integer kernels (QLinearConv, QLinearAdd).',
        },
      };
    },
  };
}

export const quantisedSpecs: ModelSpec[] = INT8_MODELS.map(int8Spec);
