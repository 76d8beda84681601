/**
 * `facematch eval --pairs <csv> --images <dir> [--json] [--scores out.csv] [--plot roc.svg] [--fit-calibration out.json]`
 * With --fit-calibration, the score map is first fitted on all pairs of the embedded images (as
 * `facematch calibrate` does), written, and then used for the report's public thresholds.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createFaceEngine } from '../engine/index.ts';
import { embedAll } from '../eval/embed-all.ts';
import { readPairs } from '../eval/pairs.ts';
import { buildReport, formatReport } from '../eval/report.ts';
import { registryStyleLoader } from '../eval/registry-style.ts';
import { rocSvg } from '../eval/roc-svg.ts';
import { fitAndWriteCalibration } from '../calibration/from-embeddings.ts';
import { loadScoreCalibration } from '../policy/calibration.ts';
import { DEFAULT_THRESHOLD } from '../policy/thresholds.ts';
import { engineOptionsFromArgs, engineArgOptions } from './engine-args.ts';

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      pairs: { type: 'string' },
      images: { type: 'string' },
      json: { type: 'boolean', default: false },
      scores: { type: 'string' },
      plot: { type: 'string' },
      concurrency: { type: 'string' },
      'fit-calibration': { type: 'string' },
      'registry-style': { type: 'boolean', default: false },
      'registry-seed': { type: 'string', default: '13' },
      ...engineArgOptions,
    },
  });
  if (!values.pairs || !values.images) {
    process.stderr.write('usage: facematch eval --pairs <csv> --images <dir> [--json] [--scores out.csv] [--plot roc.svg] [--fit-calibration out.json] [--registry-style [--registry-seed n]] [--config engine.json]\n');
    return 2;
  }
  if (!/^\d+$/.test(values['registry-seed'])) {
    process.stderr.write('--registry-seed must be a non-negative integer\n');
    return 2;
  }
  const pairs = readPairs(values.pairs, values.images);
  const engineOptions = engineOptionsFromArgs(values);
  const engine = await createFaceEngine(engineOptions);
  try {
    // Under the registry-style protocol the second image of each pair is its degraded version.
    const registry = values['registry-style'] ? registryStyleLoader(engine, values.images, Number(values['registry-seed'])) : undefined;
    const second = (p: (typeof pairs)[number]) => (registry ? registry.key(p.pathB) : p.pathB);
    const embeddings = await embedAll(engine, pairs.flatMap((p) => [p.pathA, second(p)]), { concurrency: Number(values.concurrency ?? Math.max(2, engineOptions.workers * 2)), progress: true, load: registry?.load });
    if (registry) process.stderr.write(`registry-style protocol (seed ${values['registry-seed']}): second images degraded; ${registry.originalsWithoutFace} originals without a face were cropped around the centre\n`);
    const fitted = values['fit-calibration'];
    if (fitted) fitAndWriteCalibration(embeddings, values.pairs, engine.version, fitted, (line) => process.stderr.write(`${line}\n`));
    const calibration = loadScoreCalibration(fitted ?? engineOptions.calibrationFile);
    const noFace = [...embeddings.values()].filter((e) => !e.embedding).length;
    let pairsWithout = 0;
    const raw = pairs.map((p) => {
      const a = embeddings.get(p.pathA)?.embedding;
      const b = embeddings.get(second(p))?.embedding;
      if (!a || !b) pairsWithout++;
      return { score: a && b ? engine.similarity(a, b) : -1, same: p.same, fold: p.fold };
    });
    const report = buildReport({
      raw,
      toScore: (r) => calibration.toScore(r),
      images: embeddings.size,
      imagesNoFace: noFace,
      pairsWithoutEmbedding: pairsWithout,
      defaultThreshold: DEFAULT_THRESHOLD,
      calibration: calibration.version,
      engine: engine.version,
    });
    if (values.scores) {
      const rows = pairs.map((p, i) => `${p.a},${p.b},${p.same ? 1 : 0},${raw[i]!.score.toFixed(6)},${calibration.toScore(raw[i]!.score).toFixed(4)}`);
      writeFileSync(values.scores, `a,b,same,raw,score\n${rows.join('\n')}\n`);
    }
    if (values.plot) writeFileSync(values.plot, rocSvg(raw, `ROC — ${values.pairs.split('/').slice(-2).join('/')} (AUC ${report.auc.toFixed(4)})`));
    process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : formatReport(report));
    const failures = [...embeddings.entries()].filter(([, e]) => !e.embedding);
    if (failures.length && !values.json) {
      process.stderr.write(`images without an embedding:\n${failures.map(([p, e]) => `  ${p}: ${e.failure}`).join('\n')}\n`);
    }
    return 0;
  } finally {
    await engine.close();
  }
}
