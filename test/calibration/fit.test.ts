import { describe, expect, it } from 'vitest';
import { fitCalibration, SimilarityHistogram } from '../../src/calibration/fit.ts';
import { PiecewiseLinearCalibration } from '../../src/policy/calibration.ts';

/** Deterministic pseudo-random unit vectors: identity centres plus per-image noise. */
function syntheticEmbeddings(identities: number, perIdentity: number, dims: number, noise: number) {
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const unit = (v: Float32Array) => {
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  };
  const embeddings: Float32Array[] = [];
  const labels: string[] = [];
  for (let i = 0; i < identities; i++) {
    const centre = unit(Float32Array.from({ length: dims }, rand));
    for (let j = 0; j < perIdentity; j++) {
      embeddings.push(unit(centre.map((c) => c + noise * rand())));
      labels.push(`person_${i}`);
    }
  }
  return { embeddings, labels };
}

describe('score calibration fitting', () => {
  it('places the public thresholds at the measured impostor tail rates', () => {
    const { embeddings, labels } = syntheticEmbeddings(300, 4, 16, 0.6);
    const cal = fitCalibration(embeddings, labels, { on: 'synthetic', engine: 'test' }, [
      { fmr: 1e-2, score: 0.6 },
      { fmr: 1e-3, score: 0.75 },
    ]);
    expect(cal.fitted.impostor_pairs + cal.fitted.genuine_pairs).toBe((1200 * 1199) / 2);
    // Measure the FMR the fitted map gives at the public thresholds, on the same pairs.
    const map = new PiecewiseLinearCalibration(cal);
    let impostors = 0, above60 = 0, above75 = 0;
    for (let i = 0; i < embeddings.length; i++) {
      for (let j = i + 1; j < embeddings.length; j++) {
        if (labels[i] === labels[j]) continue;
        let dot = 0;
        for (let k = 0; k < 16; k++) dot += embeddings[i]![k]! * embeddings[j]![k]!;
        const s = map.toScore(dot);
        impostors++;
        if (s >= 0.6) above60++;
        if (s >= 0.75) above75++;
      }
    }
    expect(above60 / impostors).toBeGreaterThan(0.008);
    expect(above60 / impostors).toBeLessThanOrEqual(0.0101);
    expect(above75 / impostors).toBeGreaterThan(0.0007);
    expect(above75 / impostors).toBeLessThanOrEqual(0.00101);
    // Knots are strictly increasing in both coordinates and span the cosine range.
    for (let i = 1; i < cal.knots.length; i++) {
      expect(cal.knots[i]![0]).toBeGreaterThan(cal.knots[i - 1]![0]);
      expect(cal.knots[i]![1]).toBeGreaterThan(cal.knots[i - 1]![1]);
    }
    expect(cal.knots[0]).toEqual([-1, 0]);
    expect(cal.knots.at(-1)).toEqual([1, 1]);
  });

  it('refuses a target rate the data cannot measure', () => {
    const { embeddings, labels } = syntheticEmbeddings(10, 3, 8, 0.5);
    expect(() => fitCalibration(embeddings, labels, { on: 's', engine: 't' }, [{ fmr: 1e-5, score: 0.9 }])).toThrow(/impostor pairs/);
  });

  it('histogram tail thresholds are exact to the bin width', () => {
    const h = new SimilarityHistogram();
    for (let i = 0; i < 1000; i++) h.add(i / 1000);
    // 100 of the 1000 values are ≥ 0.9; the smallest threshold keeping 10 % lies just above 0.899.
    const t = h.thresholdForUpperTail(0.1);
    expect(t).toBeGreaterThan(0.899);
    expect(t).toBeLessThanOrEqual(0.9);
    expect(h.fractionBelow(0.5)).toBeCloseTo(0.5, 2);
  });
});
