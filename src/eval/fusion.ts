/**
 * Score-level fusion of two recognizers, fitted without in-sample choice. The engine concatenates
 * each recognizer's unit embedding scaled by w_i / √Σw², so the cosine of two such embeddings is
 * Σ w_i²·cos_i / Σ w_i²: a weighted mean of the per-recognizer cosines. With two recognizers that
 * is α·cos₁ + (1 − α)·cos₂, α = w₁² / (w₁² + w₂²). The nets' cosines spread very differently, so α
 * is searched on a grid of shares β of the cosines scaled by their impostor spread (σ). For each
 * LFW fold, β is chosen on the other nine folds (lowest FNMR at FMR 0.1 %, then highest accuracy)
 * and measured on the held-out fold.
 */
import type { EmbeddingPart } from '../engine/types.ts';
import { accuracyAt, bestAccuracy, fnmrAtFmr, type ScoredPair } from './metrics.ts';

/** The per-recognizer cosines of two concatenated embeddings. */
export function partCosines(a: Float32Array, b: Float32Array, layout: EmbeddingPart[]): number[] {
  const total = layout.reduce((s, p) => s + p.weight * p.weight, 0);
  let offset = 0;
  return layout.map((part) => {
    let dot = 0;
    for (let k = offset; k < offset + part.dims; k++) dot += a[k]! * b[k]!;
    offset += part.dims;
    return (dot * total) / (part.weight * part.weight);
  });
}

/** The same embedding as if the engine had run with other weights (a zero weight drops that part). */
export function reweight(e: Float32Array, layout: EmbeddingPart[], weights: number[]): Float32Array {
  const oldTotal = Math.sqrt(layout.reduce((s, p) => s + p.weight * p.weight, 0));
  const newTotal = Math.sqrt(weights.reduce((s, w) => s + w * w, 0));
  const out = new Float32Array(e.length);
  let offset = 0;
  layout.forEach((part, i) => {
    const k = (oldTotal / part.weight) * (weights[i]! / newTotal);
    for (let j = offset; j < offset + part.dims; j++) out[j] = e[j]! * k;
    offset += part.dims;
  });
  return out;
}

export interface FusionPair {
  /** Per-recognizer cosines; undefined when either image has no embedding. */
  cosines?: number[];
  same: boolean;
  fold?: number;
}

/** Engine weights giving a fused score of α·cos₁ + (1 − α)·cos₂. */
export function weightsFor(alpha: number): [number, number] {
  return [Math.sqrt(alpha), Math.sqrt(1 - alpha)];
}

const fused = (pairs: FusionPair[], alpha: number): ScoredPair[] =>
  pairs.map((p) => ({ score: p.cosines ? alpha * p.cosines[0]! + (1 - alpha) * p.cosines[1]! : -1, same: p.same, fold: p.fold }));

function impostorSpread(pairs: FusionPair[], part: number): number {
  const values = pairs.filter((p) => p.cosines && !p.same).map((p) => p.cosines![part]!);
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length) || 1;
}

/** The α with the lowest FNMR at FMR 0.1 % on these pairs (ties: higher accuracy, then the more even split). */
export function chooseAlpha(pairs: FusionPair[], shares: number[]): number {
  const s1 = impostorSpread(pairs, 0), s2 = impostorSpread(pairs, 1);
  const grid = shares.map((beta) => beta / s1 / (beta / s1 + (1 - beta) / s2));
  let best = { alpha: 0.5, fnmr: Infinity, accuracy: -1 };
  for (const alpha of grid) {
    const scored = fused(pairs, alpha);
    const fnmr = fnmrAtFmr(scored, 1e-3).fnmr;
    const accuracy = bestAccuracy(scored).accuracy;
    const better = fnmr < best.fnmr || (fnmr === best.fnmr && (accuracy > best.accuracy || (accuracy === best.accuracy && Math.abs(alpha - 0.5) < Math.abs(best.alpha - 0.5))));
    if (better) best = { alpha, fnmr, accuracy };
  }
  return best.alpha;
}

export interface FusionReport {
  /** α chosen on the other folds, and the held-out fold's accuracy at the threshold also chosen there. */
  folds: Array<{ fold: number; alpha: number; accuracy: number }>;
  accuracy: { mean: number; std: number };
  /** α fitted on all folds: the weights to deploy. */
  alpha: number;
  weights: [number, number];
}

export function fitFusion(pairs: FusionPair[], shares = Array.from({ length: 21 }, (_, i) => i / 20)): FusionReport {
  const foldIds = [...new Set(pairs.map((p) => p.fold).filter((f): f is number => f !== undefined))].sort((a, b) => a - b);
  if (foldIds.length < 2) throw new Error('fusion fitting needs a pairs file with folds');
  const folds = foldIds.map((fold) => {
    const train = pairs.filter((p) => p.fold !== fold);
    const alpha = chooseAlpha(train, shares);
    const test = fused(pairs.filter((p) => p.fold === fold), alpha);
    return { fold, alpha, accuracy: accuracyAt(test, bestAccuracy(fused(train, alpha)).threshold) };
  });
  const mean = folds.reduce((s, f) => s + f.accuracy, 0) / folds.length;
  const std = Math.sqrt(folds.reduce((s, f) => s + (f.accuracy - mean) ** 2, 0) / folds.length);
  const alpha = chooseAlpha(pairs, shares);
  return { folds, accuracy: { mean, std }, alpha, weights: weightsFor(alpha) };
}
