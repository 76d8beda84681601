import { describe, expect, it } from 'vitest';
import { l2normalise } from '../../src/engine/components.ts';
import { cosine } from '../../src/engine/similarity.ts';
import { chooseAlpha, fitFusion, partCosines, reweight, weightsFor, type FusionPair } from '../../src/eval/fusion.ts';
import { rng } from '../../src/eval/prng.ts';

/** Concatenates unit parts as the engine does: part i scaled by w_i / √Σw². */
function concatenate(parts: Float32Array[], weights: number[]): Float32Array {
  const total = Math.sqrt(weights.reduce((s, w) => s + w * w, 0));
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  parts.forEach((p, i) => {
    p.forEach((v, k) => (out[offset + k] = (v * weights[i]!) / total));
    offset += p.length;
  });
  return out;
}

const random = rng(7);
const unit = (n: number) => l2normalise(Float32Array.from({ length: n }, () => random() - 0.5));

describe('fusion of two recognizers', () => {
  const layout = [
    { name: 'a', dims: 8, weight: 2 },
    { name: 'b', dims: 16, weight: 1 },
  ];
  const [a1, a2, b1, b2] = [unit(8), unit(8), unit(16), unit(16)];
  const x = concatenate([a1, b1], [2, 1]);
  const y = concatenate([a2, b2], [2, 1]);

  it('recovers each recognizer’s cosine from the concatenated embeddings', () => {
    const [ca, cb] = partCosines(x, y, layout);
    expect(ca).toBeCloseTo(cosine(a1, a2), 5);
    expect(cb).toBeCloseTo(cosine(b1, b2), 5);
  });

  it('re-weights an embedding as if the engine had run with other weights', () => {
    const [w1, w2] = weightsFor(0.3);
    const expected = concatenate([a1, b1], [w1, w2]);
    const got = reweight(x, layout, [w1, w2]);
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
    // The fused cosine is then α·cos_a + (1 − α)·cos_b.
    expect(cosine(got, reweight(y, layout, [w1, w2]))).toBeCloseTo(0.3 * cosine(a1, a2) + 0.7 * cosine(b1, b2), 5);
  });

  /** Genuine pairs score high on the informative recognizer; the other is noise on a much narrower scale. */
  function synthetic(informative: 0 | 1): FusionPair[] {
    return Array.from({ length: 2000 }, (_, i) => {
      const same = i % 2 === 0;
      const signal = (same ? 0.6 : 0.1) + (random() - 0.5) * 0.5;
      const noise = 0.9 + (random() - 0.5) * 0.02;
      return { cosines: informative === 0 ? [signal, noise] : [noise, signal], same, fold: i % 10 };
    });
  }

  it('chooses the weight that favours the recognizer that separates the pairs', () => {
    expect(chooseAlpha(synthetic(0), [0, 0.5, 1])).toBe(1);
    expect(chooseAlpha(synthetic(1), [0, 0.5, 1])).toBe(0);
  });

  it('fits the weight on the other folds for each held-out fold', () => {
    const report = fitFusion(synthetic(1));
    expect(report.folds).toHaveLength(10);
    for (const f of report.folds) expect(f.alpha).toBeLessThan(0.1);
    expect(report.accuracy.mean).toBeGreaterThan(0.8);
    expect(report.weights[1]).toBeGreaterThan(report.weights[0]);
  });

  it('refuses pairs without folds', () => {
    expect(() => fitFusion(synthetic(0).map((p) => ({ ...p, fold: undefined })))).toThrow(/folds/);
  });
});
