/**
 * `facematch models [--if-missing]`: (re)build the ONNX models and their manifest.
 * `facematch models --calibrate-int8 <images dir> [--calibrate-int8 <dir> …] [--int8-model <name> …]`:
 * re-measure the activation ranges of the int8 models (all, or the named ones) on the face photos
 * in those folders (a development step; the ranges are committed), then rebuild.
 */
import { parseArgs } from 'node:util';
import { buildModels } from '../../models/build/index.ts';
import { listImages } from '../../bench/engine-bench.ts';
import { INT8_MODELS, type Int8Model } from '../../models/build/quantisation-ranges.ts';

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'if-missing': { type: 'boolean' }, 'calibrate-int8': { type: 'string', multiple: true }, 'int8-model': { type: 'string', multiple: true } } });
  if (values['calibrate-int8']) {
    const { calibrateInt8 } = await import('../../models/build/calibrate-int8.ts');
    const files = values['calibrate-int8'].flatMap((dir) => listImages(dir));
    if (files.length === 0) throw new Error(`no JPEG/PNG/WebP images under ${values['calibrate-int8'].join(', ')}`);
    const models = values['int8-model'] ?? [...INT8_MODELS];
    const unknown = models.filter((m) => !(INT8_MODELS as readonly string[]).includes(m));
    if (unknown.length) throw new Error(`no int8 variant of ${unknown.join(', ')} (models with one: ${INT8_MODELS.join(', ')})`);
    await calibrateInt8(files, models as Int8Model[]);
  }
  await buildModels({ ifMissing: values['if-missing'] === true && !values['calibrate-int8'] });
  return 0;
}
