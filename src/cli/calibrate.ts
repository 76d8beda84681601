/**
 * `facematch calibrate --pairs <csv> --images <dir> [--out file] [--config engine.json]`
 * Embeds every image the pairs CSV names and fits the raw → score map on all image pairs
 * (identity = the image's folder name, as in LFW). Writes the calibration JSON.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fitCalibration } from '../calibration/fit.ts';
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
  const options = engineOptions;
  const out = values.out ?? options.calibrationFile ?? path.join(repoRoot, 'models', 'calibration.json');
  const pairs = readPairs(values.pairs, values.images);
  const engine = await createFaceEngine(options);
  try {
    const results = await embedAll(engine, pairs.flatMap((p) => [p.pathA, p.pathB]), { concurrency: Number(values.concurrency ?? Math.max(2, engineOptions.workers * 2)), progress: true });
    const usable = [...results.entries()].filter(([, r]) => r.embedding);
    process.stderr.write(`scoring all pairs of ${usable.length} images (${results.size - usable.length} without a face)…\n`);
    const calibration = fitCalibration(
      usable.map(([, r]) => r.embedding!),
      usable.map(([p]) => path.basename(path.dirname(p))),
      { on: `${path.basename(path.dirname(path.resolve(values.pairs)))}/${path.basename(values.pairs)}`, engine: engine.version },
    );
    writeFileSync(out, `${JSON.stringify(calibration, null, 2)}\n`);
    process.stdout.write(`${calibration.fitted.impostor_pairs.toLocaleString('en')} impostor and ${calibration.fitted.genuine_pairs.toLocaleString('en')} genuine pairs\n`);
    for (const a of calibration.fitted.anchors) {
      process.stdout.write(`score ${a.score.toFixed(2)} ← raw ${a.raw.toFixed(4)}: FMR ${(a.target_fmr * 100).toFixed(3)} %, FNMR ${(a.fnmr * 100).toFixed(2)} %\n`);
    }
    process.stdout.write(`wrote ${path.relative(process.cwd(), out)} (${calibration.version})\n`);
    return 0;
  } finally {
    await engine.close();
  }
}
