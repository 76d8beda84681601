/**
 * `facematch calibrate --pairs <csv> --images <dir> [--out file] [--config engine.json]`
 * Embeds every image the pairs CSV names and fits the raw → score map on all image pairs
 * (identity = the image's folder name, as in LFW). Writes the calibration JSON.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fitAndWriteCalibration } from '../calibration/from-embeddings.ts';
import { repoRoot } from '../config/paths.ts';
import { createFaceEngine } from '../engine/index.ts';
import { embedAll } from '../eval/embed-all.ts';
import { readPairs } from '../eval/pairs.ts';
import { engineArgOptions, engineOptionsFromArgs } from './engine-args.ts';

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { pairs: { type: 'string' }, images: { type: 'string' }, out: { type: 'string' }, concurrency: { type: 'string' }, ...engineArgOptions },
  });
  if (!values.pairs || !values.images) {
    process.stderr.write('usage: facematch calibrate --pairs <csv> --images <dir> [--out calibration.json] [--config engine.json]\n');
    return 2;
  }
  const engineOptions = engineOptionsFromArgs(values);
  const out = values.out ?? engineOptions.calibrationFile ?? path.join(repoRoot, 'models', 'calibration.json');
  const pairs = readPairs(values.pairs, values.images);
  const engine = await createFaceEngine(engineOptions);
  try {
    const results = await embedAll(engine, pairs.flatMap((p) => [p.pathA, p.pathB]), { concurrency: Number(values.concurrency ?? Math.max(2, engineOptions.workers * 2)), progress: true });
    fitAndWriteCalibration(results, values.pairs, engine.version, out, (line) => process.stdout.write(`${line}\n`));
    return 0;
  } finally {
    await engine.close();
  }
}
