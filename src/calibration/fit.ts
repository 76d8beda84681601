/**
 * Score calibration fitting. From labelled embeddings (identity per image) it measures the raw
 * similarity at which the false-match rate over *all* impostor pairs reaches each target, and
 * builds a monotone piecewise-linear map raw → public score through those anchor points:
 *   FMR 1 % → 0.60, 0.1 % → 0.75, 0.01 % → 0.85, 0.001 % → 0.90.
 * All impostor pairs of a few thousand images are millions of pairs, enough to place 0.001 %.
 */

export interface CalibrationTarget {
  fmr: number;
  score: number;
}

export const DEFAULT_TARGETS: CalibrationTarget[] = [
  { fmr: 1e-2, score: 0.6 },
  { fmr: 1e-3, score: 0.75 },
  { fmr: 1e-4, score: 0.85 },
  { fmr: 1e-5, score: 0.9 },
];

export interface CalibrationFile {
  version: string;
  /** [raw, score] knots, strictly increasing in both. */
  knots: Array<[number, number]>;
  fitted: {
    on: string;
    images: number;
    identities: number;
    impostor_pairs: number;
    genuine_pairs: number;
    anchors: Array<{ target_fmr: number; score: number; raw: number; fnmr: number }>;
    engine: string;
    date: string;
  };
}

/** A fixed-bin histogram of raw similarities in [-1, 1]: counting millions of pairs in O(1) memory. */
export class SimilarityHistogram {
  static readonly BINS = 200_000;
  readonly counts = new Float64Array(SimilarityHistogram.BINS);
  total = 0;
  add(v: number) {
    const b = Math.min(SimilarityHistogram.BINS - 1, Math.max(0, Math.floor(((v + 1) / 2) * SimilarityHistogram.BINS)));
    this.counts[b]!++;
    this.total++;
  }
  binValue(b: number): number {
    return (b / SimilarityHistogram.BINS) * 2 - 1;
  }
  /** Smallest raw threshold t with P(score ≥ t) ≤ rate. */
  thresholdForUpperTail(rate: number): number {
    let above = 0;
    for (let b = SimilarityHistogram.BINS - 1; b >= 0; b--) {
      if (above + this.counts[b]! > rate * this.total) return this.binValue(b + 1);
      above += this.counts[b]!;
    }
    return -1;
  }
  /** Share of values below t. */
  fractionBelow(t: number): number {
    const cut = Math.floor(((t + 1) / 2) * SimilarityHistogram.BINS);
    let below = 0;
    for (let b = 0; b < Math.min(cut, SimilarityHistogram.BINS); b++) below += this.counts[b]!;
    return below / this.total;
  }
}

function dot(a: Float32Array, ai: number, b: Float32Array, bi: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += a[ai + k]! * b[bi + k]!;
  return s;
}

/** Scores every pair of images: genuine if the identities match, impostor otherwise. */
export function pairHistograms(embeddings: Float32Array[], identities: string[]): { genuine: SimilarityHistogram; impostor: SimilarityHistogram } {
  const n = embeddings.length;
  const d = embeddings[0]?.length ?? 0;
  const flat = new Float32Array(n * d);
  embeddings.forEach((e, i) => flat.set(e, i * d));
  const ids = identities.map((id) => id);
  const genuine = new SimilarityHistogram();
  const impostor = new SimilarityHistogram();
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = dot(flat, i * d, flat, j * d, d);
      if (ids[i] === ids[j]) genuine.add(s);
      else impostor.add(s);
    }
  }
  return { genuine, impostor };
}

export function fitCalibration(
  embeddings: Float32Array[],
  identities: string[],
  meta: { on: string; engine: string },
  targets: CalibrationTarget[] = DEFAULT_TARGETS,
): CalibrationFile {
  const { genuine, impostor } = pairHistograms(embeddings, identities);
  if (genuine.total === 0 || impostor.total === 0) throw new Error('calibration needs both genuine and impostor pairs (several images per identity, several identities)');
  const minMeasurable = 1 / impostor.total;
  const anchors = targets.map((t) => {
    if (t.fmr < minMeasurable * 10) throw new Error(`FMR ${t.fmr} needs more than ${impostor.total} impostor pairs to place reliably`);
    const raw = impostor.thresholdForUpperTail(t.fmr);
    return { target_fmr: t.fmr, score: t.score, raw: Math.round(raw * 1e5) / 1e5, fnmr: genuine.fractionBelow(raw) };
  });
  for (let i = 1; i < anchors.length; i++) {
    if (anchors[i]!.raw <= anchors[i - 1]!.raw) anchors[i]!.raw = anchors[i - 1]!.raw + 1e-4;
  }
  // Ends: raw −1 → 0 and raw 1 → 1, so the map covers the whole cosine range monotonically.
  const knots: Array<[number, number]> = [[-1, 0], ...anchors.map((a) => [a.raw, a.score] as [number, number]), [1, 1]];
  const hash = knots.map((k) => k[0].toFixed(4)).join('|');
  let h = 0;
  for (const c of hash) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return {
    version: `cal-${h.toString(16).padStart(8, '0')}`,
    knots,
    fitted: {
      on: meta.on,
      images: embeddings.length,
      identities: new Set(identities).size,
      impostor_pairs: impostor.total,
      genuine_pairs: genuine.total,
      anchors,
      engine: meta.engine,
      date: new Date().toISOString().slice(0, 10),
    },
  };
}
