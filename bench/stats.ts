/** Percentiles for benchmark samples (nearest-rank). */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarise(samples: number[]): { p50: number; p95: number; n: number } {
  const r = (v: number) => Math.round(v * 10) / 10;
  return { p50: r(percentile(samples, 50)), p95: r(percentile(samples, 95)), n: samples.length };
}
