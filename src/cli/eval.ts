/**
 * `facematch eval --pairs <csv> --images <dir> [--json] [--scores out.csv] [--plot roc.svg] [--fit-calibration out.json] [--fuse]`
 * With --fit-calibration, the score map is first fitted on all pairs of the embedded images (as
 * `facematch calibrate` does), written, and then used for the report's public thresholds.
 * With --fuse (an engine configured with two recognizers), the fusion weight is fitted on the
 * folds (see src/eval/fusion.ts), and the rest of the evaluation uses the fitted weights.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createFaceEngine } from '../engine/index.ts';
import { embedAll } from '../eval/embed-all.ts';
import { readPairs } from '../eval/pairs.ts';
import { buildReport, formatReport } from '../eval/report.ts';
import { registryStyleLoader } from '../eval/registry-style.ts';
import { rocSvg } from '../eval/roc-svg.ts';
import { fitAndWriteCalibration, identityOf } from '../calibration/from-embeddings.ts';
import { loadScoreCalibration } from '../policy/calibration.ts';
import { DEFAULT_THRESHOLD } from '../policy/thresholds.ts';
import { engineOptionsFromArgs, engineArgOptions } from './engine-args.ts';
import { cosine } from '../engine/similarity.ts';
import type { EmbeddingPart } from '../engine/types.ts';
import type { EmbedOutcome } from '../eval/embed-all.ts';
import { fitFusion, partCosines, reweight } from '../eval/fusion.ts';
import { fitCalibration } from '../calibration/fit.ts';
import { fnmrAtFmr, foldAccuracy } from '../eval/metrics.ts';

const pct = (v: number, digits = 2) => `${(v * 100).toFixed(digits)} %`;

/**
 * Fusion analysis of an engine configured with two or more recognizers: each recognizer alone and
 * each pair fused with a weight fitted on the folds (fold accuracy, FNMR at FMR 0.1 % on the pairs,
 * FNMR at FMR 0.1 % and 0.01 % over all image pairs). With exactly two recognizers the embeddings
 * come back re-weighted to the fitted weights, so the report and calibration are of the fused score.
 */
function fuseEmbeddings(layout: EmbeddingPart[] | undefined, embeddings: Map<string, EmbedOutcome>, pairs: Array<{ a: string; b: string; same: boolean; fold?: number }>): Map<string, EmbedOutcome> {
  if (!layout || layout.length < 2) throw new Error('--fuse needs an engine configured with two or more recognizers');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const cosines = pairs.map((p) => {
    const a = embeddings.get(p.a)?.embedding, b = embeddings.get(p.b)?.embedding;
    return { cosines: a && b ? partCosines(a, b, layout) : undefined, same: p.same, fold: p.fold };
  });
  const usable = [...embeddings.entries()].filter(([, r]) => r.embedding);
  const identities = usable.map(([p]) => identityOf(p));
  const allPairs = (weights: number[]) => {
    const targets = [{ fmr: 1e-3, score: 0.75 }, { fmr: 1e-4, score: 0.85 }];
    try {
      const anchors = fitCalibration(usable.map(([, r]) => reweight(r.embedding!, layout, weights)), identities, { on: '', engine: '' }, targets).fitted.anchors;
      return anchors.map((a) => `FNMR ${pct(a.fnmr)} at FMR ${pct(a.target_fmr)}`).join(', ');
    } catch (err) {
      return `n/a (${err instanceof Error ? err.message : String(err)})`;
    }
  };
  const label = (i: number) => `#${i + 1} ${layout[i]!.name}`;
  layout.forEach((_, i) => {
    const alone = cosines.map((p) => ({ score: p.cosines ? p.cosines[i]! : -1, same: p.same, fold: p.fold }));
    const folds = foldAccuracy(alone);
    log(`${label(i)} alone: 10-fold ${folds ? `${pct(folds.mean)} ± ${pct(folds.std)}` : 'n/a'}, FNMR at FMR 0.1 % ${pct(fnmrAtFmr(alone, 1e-3).fnmr)} (pairs); all image pairs: ${allPairs(layout.map((__, j) => (j === i ? 1 : 0)))}`);
  });
  let fitted: number[] | undefined;
  for (let i = 0; i < layout.length; i++) {
    for (let j = i + 1; j < layout.length; j++) {
      const fusion = fitFusion(cosines.map((p) => ({ ...p, cosines: p.cosines && [p.cosines[i]!, p.cosines[j]!] })));
      const weights = layout.map((__, k) => (k === i ? fusion.weights[0] : k === j ? fusion.weights[1] : 0));
      log(`${label(i)} + ${label(j)}: α per held-out fold ${fusion.folds.map((f) => f.alpha.toFixed(3)).join(' ')}; fold accuracy with α chosen on the other folds ${pct(fusion.accuracy.mean)} ± ${pct(fusion.accuracy.std)}`);
      log(`  α = ${fusion.alpha.toFixed(3)} on all folds (engine weights ${fusion.weights[0].toFixed(4)}, ${fusion.weights[1].toFixed(4)}): all image pairs: ${allPairs(weights)}`);
      if (layout.length === 2) fitted = weights;
    }
  }
  if (!fitted) {
    log('more than two recognizers: the report below is of the embedding as configured');
    return embeddings;
  }
  return new Map([...embeddings].map(([k, r]) => [k, r.embedding ? { embedding: reweight(r.embedding, layout, fitted) } : r]));
}

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
      fuse: { type: 'boolean', default: false },
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
    if (values.fuse && (engine.layout?.length ?? 0) < 2) {
      process.stderr.write('--fuse needs an engine configured with two or more recognizers (--config)\n');
      return 2;
    }
    // Under the registry-style protocol the second image of each pair is its degraded version.
    const registry = values['registry-style'] ? registryStyleLoader(engine, values.images, Number(values['registry-seed'])) : undefined;
    const second = (p: (typeof pairs)[number]) => (registry ? registry.key(p.pathB) : p.pathB);
    let embeddings = await embedAll(engine, pairs.flatMap((p) => [p.pathA, second(p)]), { concurrency: Number(values.concurrency ?? Math.max(2, engineOptions.workers * 2)), progress: true, load: registry?.load });
    if (registry) process.stderr.write(`registry-style protocol (seed ${values['registry-seed']}): second images degraded; ${registry.originalsWithoutFace} originals without a face were cropped around the centre\n`);
    if (values.fuse) embeddings = fuseEmbeddings(engine.layout, embeddings, pairs.map((p) => ({ a: p.pathA, b: second(p), same: p.same, fold: p.fold })));
    const fitted = values['fit-calibration'];
    if (fitted) fitAndWriteCalibration(embeddings, values.pairs, engine.version, fitted, (line) => process.stderr.write(`${line}\n`));
    const calibration = loadScoreCalibration(fitted ?? engineOptions.calibrationFile);
    const noFace = [...embeddings.values()].filter((e) => !e.embedding).length;
    let pairsWithout = 0;
    const raw = pairs.map((p) => {
      const a = embeddings.get(p.pathA)?.embedding;
      const b = embeddings.get(second(p))?.embedding;
      if (!a || !b) pairsWithout++;
      return { score: a && b ? cosine(a, b) : -1, same: p.same, fold: p.fold };
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
