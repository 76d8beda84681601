import { describe, expect, it } from 'vitest';
import { accuracyAt, bestAccuracy, equalErrorRate, fnmrAtFmr, foldAccuracy, ratesAt, rocAuc, type ScoredPair } from '../../src/eval/metrics.ts';
import { parsePairsCsv } from '../../src/eval/pairs.ts';

const p = (score: number, same: boolean, fold?: number): ScoredPair => ({ score, same, fold });

describe('verification metrics', () => {
  it('AUC is 1 for perfect separation, 0.5 for identical scores, and counts inversions', () => {
    expect(rocAuc([p(0.9, true), p(0.8, true), p(0.1, false), p(0.2, false)])).toBe(1);
    expect(rocAuc([p(0.5, true), p(0.5, false)])).toBe(0.5);
    // one genuine (0.3) below one impostor (0.4): 3 of 4 genuine–impostor orderings correct
    expect(rocAuc([p(0.9, true), p(0.3, true), p(0.4, false), p(0.1, false)])).toBe(0.75);
  });

  it('FMR / FNMR at a threshold count ≥ as accept', () => {
    const pairs = [p(0.9, true), p(0.6, true), p(0.6, false), p(0.2, false)];
    expect(ratesAt(pairs, 0.6)).toEqual({ threshold: 0.6, fmr: 0.5, fnmr: 0 });
    expect(ratesAt(pairs, 0.61)).toEqual({ threshold: 0.61, fmr: 0, fnmr: 0.5 });
  });

  it('EER, best accuracy, and FNMR at a target FMR', () => {
    const pairs = [p(0.9, true), p(0.7, true), p(0.5, true), p(0.6, false), p(0.3, false), p(0.1, false)];
    const best = bestAccuracy(pairs);
    expect(best.accuracy).toBeCloseTo(5 / 6);
    expect(accuracyAt(pairs, best.threshold)).toBeCloseTo(5 / 6);
    expect(equalErrorRate(pairs).eer).toBeCloseTo(1 / 3);
    const at0 = fnmrAtFmr(pairs, 0);
    expect(at0.fmr).toBe(0);
    expect(at0.fnmr).toBeCloseTo(1 / 3);
  });

  it('10-fold accuracy picks each threshold on the other folds', () => {
    const pairs: ScoredPair[] = [];
    for (let f = 0; f < 10; f++) {
      pairs.push(p(0.8, true, f), p(0.2, false, f));
    }
    pairs.push(p(0.1, true, 3)); // one hard genuine pair in fold 3
    const r = foldAccuracy(pairs)!;
    expect(r.folds).toHaveLength(10);
    expect(r.folds[3]).toBeCloseTo(2 / 3);
    expect(r.mean).toBeCloseTo((9 + 2 / 3) / 10);
    expect(r.std).toBeGreaterThan(0);
    expect(foldAccuracy([p(1, true), p(0, false)])).toBeUndefined();
  });
});

describe('pairs CSV', () => {
  it('accepts 1/0, true/false and yes/no in any case, with optional fold', () => {
    const rows = parsePairsCsv('a,b,same,fold\nx.jpg,y.jpg,1,0\nx.jpg,z.jpg,FALSE,1\nq,r,Yes,2\n');
    expect(rows).toEqual([
      { a: 'x.jpg', b: 'y.jpg', same: true, fold: 0 },
      { a: 'x.jpg', b: 'z.jpg', same: false, fold: 1 },
      { a: 'q', b: 'r', same: true, fold: 2 },
    ]);
  });
  it('rejects a bad header or label', () => {
    expect(() => parsePairsCsv('left,right\n1,2')).toThrow(/a,b,same/);
    expect(() => parsePairsCsv('a,b,same\nx,y,maybe')).toThrow(/line 2/);
  });
});
