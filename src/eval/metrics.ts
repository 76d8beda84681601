/**
 * Verification metrics over scored pairs (higher score = more likely the same person).
 * FMR: share of impostor pairs at or above a threshold; FNMR: share of genuine pairs below it.
 */

export interface ScoredPair {
  score: number;
  same: boolean;
  fold?: number;
}

export interface Rates {
  threshold: number;
  fmr: number;
  fnmr: number;
}

/** ROC AUC as the Mann–Whitney probability that a genuine pair outscores an impostor (ties count ½). */
export function rocAuc(pairs: ScoredPair[]): number {
  const sorted = [...pairs].sort((a, b) => a.score - b.score);
  let rankSumGenuine = 0;
  let positives = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j]!.score === sorted[i]!.score) j++;
    const averageRank = (i + 1 + j) / 2; // 1-based ranks i+1 … j
    for (let k = i; k < j; k++) if (sorted[k]!.same) { rankSumGenuine += averageRank; positives++; }
    i = j;
  }
  const negatives = sorted.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSumGenuine - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function ratesAt(pairs: ScoredPair[], threshold: number): Rates {
  let g = 0, i = 0, falseNonMatch = 0, falseMatch = 0;
  for (const p of pairs) {
    if (p.same) { g++; if (p.score < threshold) falseNonMatch++; }
    else { i++; if (p.score >= threshold) falseMatch++; }
  }
  return { threshold, fmr: i ? falseMatch / i : Number.NaN, fnmr: g ? falseNonMatch / g : Number.NaN };
}

/** Candidate thresholds: every distinct score, plus one above the maximum. */
function candidates(pairs: ScoredPair[]): number[] {
  const s = [...new Set(pairs.map((p) => p.score))].sort((a, b) => a - b);
  return [...s, (s[s.length - 1] ?? 0) + 1e-9];
}

/** Sweeps all thresholds in one pass: yields (threshold, fmr, fnmr, correct). */
function sweep(pairs: ScoredPair[]): Array<Rates & { correct: number }> {
  const sorted = [...pairs].sort((a, b) => a.score - b.score);
  const genuine = sorted.filter((p) => p.same).length;
  const impostor = sorted.length - genuine;
  const out: Array<Rates & { correct: number }> = [];
  // At threshold t = sorted[k].score: pairs with index < k are rejected.
  let rejectedGenuine = 0, rejectedImpostor = 0;
  const thresholds = candidates(pairs);
  let k = 0;
  for (const t of thresholds) {
    while (k < sorted.length && sorted[k]!.score < t) {
      if (sorted[k]!.same) rejectedGenuine++;
      else rejectedImpostor++;
      k++;
    }
    out.push({
      threshold: t,
      fmr: impostor ? (impostor - rejectedImpostor) / impostor : Number.NaN,
      fnmr: genuine ? rejectedGenuine / genuine : Number.NaN,
      correct: rejectedImpostor + (genuine - rejectedGenuine),
    });
  }
  return out;
}

/** Equal error rate: where FMR and FNMR cross (mean of the two at the closest threshold). */
export function equalErrorRate(pairs: ScoredPair[]): { eer: number; threshold: number } {
  let best = { eer: 1, threshold: 0, gap: Infinity };
  for (const r of sweep(pairs)) {
    const gap = Math.abs(r.fmr - r.fnmr);
    if (gap < best.gap) best = { eer: (r.fmr + r.fnmr) / 2, threshold: r.threshold, gap };
  }
  return { eer: best.eer, threshold: best.threshold };
}

/** The threshold maximising accuracy (midpoint of the best run of thresholds). */
export function bestAccuracy(pairs: ScoredPair[]): { accuracy: number; threshold: number } {
  let best = { correct: -1, threshold: 0 };
  for (const r of sweep(pairs)) if (r.correct > best.correct) best = { correct: r.correct, threshold: r.threshold };
  return { accuracy: best.correct / pairs.length, threshold: best.threshold };
}

export function accuracyAt(pairs: ScoredPair[], threshold: number): number {
  let correct = 0;
  for (const p of pairs) if ((p.score >= threshold) === p.same) correct++;
  return correct / pairs.length;
}

/** FNMR at the lowest threshold whose FMR does not exceed the target. */
export function fnmrAtFmr(pairs: ScoredPair[], targetFmr: number): Rates {
  for (const r of sweep(pairs)) if (r.fmr <= targetFmr) return { threshold: r.threshold, fmr: r.fmr, fnmr: r.fnmr };
  return { threshold: Infinity, fmr: 0, fnmr: 1 };
}

/** Standard LFW protocol: per fold, the threshold is chosen on the other folds. Population std. */
export function foldAccuracy(pairs: ScoredPair[]): { mean: number; std: number; folds: number[] } | undefined {
  const foldIds = [...new Set(pairs.map((p) => p.fold).filter((f): f is number => f !== undefined))].sort((a, b) => a - b);
  if (foldIds.length < 2) return undefined;
  const folds = foldIds.map((f) => {
    const train = pairs.filter((p) => p.fold !== f);
    const test = pairs.filter((p) => p.fold === f);
    return accuracyAt(test, bestAccuracy(train).threshold);
  });
  const mean = folds.reduce((a, b) => a + b, 0) / folds.length;
  const std = Math.sqrt(folds.reduce((a, b) => a + (b - mean) ** 2, 0) / folds.length);
  return { mean, std, folds };
}
