/** Turns scored pairs into the eval report printed by `facematch eval`. */
import { accuracyAt, bestAccuracy, equalErrorRate, fnmrAtFmr, foldAccuracy, ratesAt, rocAuc, type ScoredPair } from './metrics.ts';

export const PUBLIC_THRESHOLDS = [0.6, 0.75, 0.85, 0.9] as const;

export interface EvalReport {
  pairs: number;
  positives: number;
  negatives: number;
  images: number;
  images_no_face: number;
  pairs_without_embedding: number;
  auc: number;
  eer: number;
  eer_threshold_raw: number;
  best_accuracy: number;
  best_threshold_raw: number;
  default_threshold: number;
  accuracy_at_default: number;
  fnmr_at_fmr_1pct: number;
  fnmr_at_fmr_0_1pct: number;
  fold_accuracy_mean: number | null;
  fold_accuracy_std: number | null;
  /** FMR / FNMR measured at each public (calibrated) score threshold. */
  thresholds: Array<{ score: number; fmr: number; fnmr: number }>;
  calibration: string;
  engine: string;
}

/**
 * `raw` pairs carry the engine's raw similarity; public thresholds are applied to the calibrated
 * score. Pairs with an image without a face count as non-matches (raw −1): a failure to enrol is
 * never hidden by dropping the pair.
 */
export function buildReport(input: {
  raw: ScoredPair[];
  toScore: (raw: number) => number;
  images: number;
  imagesNoFace: number;
  pairsWithoutEmbedding: number;
  defaultThreshold: number;
  calibration: string;
  engine: string;
}): EvalReport {
  const { raw, toScore } = input;
  const scored = raw.map((p) => ({ ...p, score: toScore(p.score) }));
  const positives = raw.filter((p) => p.same).length;
  const eer = equalErrorRate(raw);
  const best = bestAccuracy(raw);
  const folds = foldAccuracy(raw);
  return {
    pairs: raw.length,
    positives,
    negatives: raw.length - positives,
    images: input.images,
    images_no_face: input.imagesNoFace,
    pairs_without_embedding: input.pairsWithoutEmbedding,
    auc: rocAuc(raw),
    eer: eer.eer,
    eer_threshold_raw: eer.threshold,
    best_accuracy: best.accuracy,
    best_threshold_raw: best.threshold,
    default_threshold: input.defaultThreshold,
    accuracy_at_default: accuracyAt(scored, input.defaultThreshold),
    fnmr_at_fmr_1pct: fnmrAtFmr(raw, 0.01).fnmr,
    fnmr_at_fmr_0_1pct: fnmrAtFmr(raw, 0.001).fnmr,
    fold_accuracy_mean: folds?.mean ?? null,
    fold_accuracy_std: folds?.std ?? null,
    thresholds: PUBLIC_THRESHOLDS.map((t) => {
      const r = ratesAt(scored, t);
      return { score: t, fmr: r.fmr, fnmr: r.fnmr };
    }),
    calibration: input.calibration,
    engine: input.engine,
  };
}

const pct = (v: number, digits = 2) => `${(v * 100).toFixed(digits)} %`;

export function formatReport(r: EvalReport): string {
  const lines = [
    `pairs                  ${r.pairs} (${r.positives} same, ${r.negatives} different)`,
    `images                 ${r.images}, without a face: ${r.images_no_face} (pairs affected: ${r.pairs_without_embedding})`,
    `ROC AUC                ${r.auc.toFixed(5)}`,
    `EER                    ${pct(r.eer)} (raw threshold ${r.eer_threshold_raw.toFixed(4)})`,
    `best accuracy          ${pct(r.best_accuracy)} (raw threshold ${r.best_threshold_raw.toFixed(4)})`,
    `accuracy at default    ${pct(r.accuracy_at_default)} (score ≥ ${r.default_threshold})`,
    `FNMR at FMR 1 %        ${pct(r.fnmr_at_fmr_1pct)}`,
    `FNMR at FMR 0.1 %      ${pct(r.fnmr_at_fmr_0_1pct)}`,
  ];
  if (r.fold_accuracy_mean !== null) lines.push(`10-fold accuracy       ${pct(r.fold_accuracy_mean)} ± ${pct(r.fold_accuracy_std ?? 0)}`);
  lines.push('', 'score threshold   FMR        FNMR');
  for (const t of r.thresholds) lines.push(`${t.score.toFixed(2).padEnd(17)} ${pct(t.fmr, 3).padEnd(10)} ${pct(t.fnmr, 2)}`);
  lines.push('', `engine ${r.engine}; calibration ${r.calibration}`);
  return `${lines.join('\n')}\n`;
}
