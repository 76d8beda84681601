/**
 * How each int8 model is made from its float original: the exact rewrites that come first, which
 * activations calibration measures, how their ranges are taken, and which convolutions are
 * quantised. Shared by the calibration step (calibrate-int8.ts) and the model build
 * (quantised-specs.ts), so both see the same graph.
 */
import { convActivations, decodeModel, foldConvChannelAffine, quantisableActivations } from './quantise.ts';
import { splitPRelu } from './split-prelu.ts';
import type { Int8Model } from './quantisation-ranges.ts';

type Model = ReturnType<typeof decodeModel>;

export interface Int8Plan {
  /** The float graph made ready for QDQ by exact rewrites (same descriptors). */
  prepare(model: Model): Model;
  /** The activation tensors whose ranges calibration records. */
  calibrated(model: Model): string[];
  /**
   * Range of an activation on one input: its extremes, or the given quantile on each side (a few
   * outlying values then clip instead of coarsening the grid for all the others). The recorded
   * range is the widest over all calibration inputs.
   */
  quantile?: number;
  /** The convolutions to quantise; undefined: all of them. */
  convs?(model: Model): ReadonlySet<string>;
  /** What is quantised, for the manifest notes. */
  describe: string;
}

/**
 * The pointwise (1×1) convolutions of fr_feature that run in int8: rounding errors add up layer
 * by layer, so these are the 16 that cost least, measured one at a time on calibration crops
 * (never the held-out ones) and added in that order while the worst crop stayed above cosine 0.996
 * and the mean above 0.9988 (the README's int8 section has the table). The others (among them
 * the expansions before each stride and the last two layers) stay float, as do the 3×3
 * convolutions, PRelu and the residual Adds. Calibration records every convolution's input and output, so this list can
 * change without recalibrating.
 */
export const FR_FEATURE_INT8_CONVS: readonly string[] = [
  'Conv_50', 'Conv_62', 'Conv_44', 'Conv_56', 'Conv_68', 'Conv_38', 'Conv_27', 'Conv_79',
  'Conv_21', 'Conv_85', 'Conv_60', 'Conv_15', 'Conv_9', 'Conv_66', 'Conv_13', 'Conv_48',
];

export const INT8_PLANS: Record<Int8Model, Int8Plan> = {
  face_recognition: {
    prepare: foldConvChannelAffine,
    calibrated: (model) => quantisableActivations(model),
    describe: 'every convolution and residual Add',
  },
  fr_feature: {
    prepare: (model) => splitPRelu(model),
    calibrated: convActivations,
    quantile: 0.9999,
    convs: () => new Set(FR_FEATURE_INT8_CONVS),
    describe: `${FR_FEATURE_INT8_CONVS.length} of the 32 pointwise convolutions, those least sensitive to rounding; PRelu rewritten as Relu + slope·(x − Relu), bit-identical and faster in onnxruntime; the other convolutions, PRelu and the residual Adds stay float`,
  },
};
