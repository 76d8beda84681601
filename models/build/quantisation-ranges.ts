/**
 * The committed activation ranges of the int8 models (models/quantisation/<model>.json): where they
 * live, what they record, and which models have them. Read by the model build; written by
 * calibrate-int8.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../src/config/paths.ts';
import type { ActivationRanges } from './quantise.ts';

export const quantisationDir = path.join(repoRoot, 'models', 'quantisation');

/**
 * The float models that have an int8 variant (how each is made: int8-plans.ts). Only the
 * recognition nets gain: measured with onnxruntime on a 2-core x86 CPU with VNNI, the ResNet runs
 * 2.1× faster in int8, while BlazeFace (mostly depthwise convolutions) got slower (3.8 → 5.0 ms)
 * and the landmark net gained 0.3 ms per run, not worth moving the alignment.
 */
export const INT8_MODELS = ['face_recognition', 'fr_feature'] as const;
export type Int8Model = (typeof INT8_MODELS)[number];

export interface RangesFile {
  model: string;
  /** sha256 of the float model the ranges were measured on. */
  floatSha256: string;
  images: number;
  /** Model inputs (crops, letterboxed frames) the ranges were measured on. */
  inputs: number;
  method: string;
  ranges: ActivationRanges;
}

export function readRanges(model: string): RangesFile {
  return JSON.parse(readFileSync(path.join(quantisationDir, `${model}.json`), 'utf8')) as RangesFile;
}
