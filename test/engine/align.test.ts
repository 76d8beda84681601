import { describe, expect, it } from 'vitest';
import { applySimilarity, estimateSimilarity, invertSimilarity, similarityAngle, warpSimilarity } from '../../src/engine/align.ts';

describe('similarity alignment', () => {
  it('recovers a known rotation, scale and shift exactly', () => {
    const truth = { a: 1.5 * Math.cos(0.3), b: 1.5 * Math.sin(0.3), tx: 12, ty: -7 };
    const src = [{ x: 0, y: 0 }, { x: 10, y: 2 }, { x: 3, y: 9 }, { x: -4, y: 5 }];
    const dst = src.map((p) => applySimilarity(truth, p));
    const t = estimateSimilarity(src, dst);
    expect(t.a).toBeCloseTo(truth.a, 10);
    expect(t.b).toBeCloseTo(truth.b, 10);
    expect(t.tx).toBeCloseTo(12, 10);
    expect(t.ty).toBeCloseTo(-7, 10);
    expect(similarityAngle(t)).toBeCloseTo((0.3 * 180) / Math.PI, 8);
    const back = applySimilarity(invertSimilarity(t), dst[2]!);
    expect(back.x).toBeCloseTo(3, 10);
    expect(back.y).toBeCloseTo(9, 10);
  });

  it('is the least-squares fit when points are noisy (no reflection)', () => {
    const src = [{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 0, y: 1 }];
    const mirrored = src.map((p) => ({ x: -p.x, y: p.y }));
    const t = estimateSimilarity(src, mirrored);
    // A reflection cannot be represented: the best similarity has a smaller scale than 1.
    expect(Math.hypot(t.a, t.b)).toBeLessThan(1);
  });

  it('warps pixels to where the transform sends them', () => {
    // 4×4 image with one bright pixel at (1, 2).
    const data = new Uint8Array(4 * 4 * 3);
    data.set([255, 128, 0], (2 * 4 + 1) * 3);
    const shift = { a: 1, b: 0, tx: 1, ty: 0 }; // source (1,2) → output (2,2)
    const out = warpSimilarity({ data, width: 4, height: 4 }, shift, 4, 4);
    expect(out[(2 * 4 + 2) * 3]).toBeCloseTo(255);
    expect(out[(2 * 4 + 2) * 3 + 1]).toBeCloseTo(128);
    expect(out[(2 * 4 + 1) * 3]).toBeCloseTo(0);
  });
});
