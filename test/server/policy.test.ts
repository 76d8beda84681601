import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCalibration, PiecewiseLinearCalibration, rawCosineCalibration } from '../../src/policy/calibration.ts';
import { createPolicy, tierFor } from '../../src/policy/policy.ts';

describe('policy', () => {
  it('decides verdict, tier, reason code and remarks from the rounded score', () => {
    const p = createPolicy();
    expect(p.decide({ raw: 0.912 })).toMatchObject({ match_result: 'CONFIRMED', score: 0.91, threshold: 0.75, tier: 'STRONG_MATCH', reason_code: 'MATCH_SUCCESS' });
    expect(p.decide({ raw: 0.8 })).toMatchObject({ match_result: 'CONFIRMED', tier: 'MATCH' });
    expect(p.decide({ raw: 0.7 })).toMatchObject({ match_result: 'MISMATCH', tier: 'NO_MATCH', reason_code: 'SCORE_BELOW_THRESHOLD' });
    expect(p.decide({ raw: -0.4 }).score).toBe(0);
    expect(p.decide({ raw: 0.9, threshold: 0.95 }).tier).toBe('NO_MATCH');
    expect(p.decide({ raw: 0.9 }).remarks).toMatch(/high confidence/);
  });

  it('tiers follow the contract boundaries', () => {
    expect(tierFor(0.85, 0.75)).toBe('STRONG_MATCH');
    expect(tierFor(0.84, 0.75)).toBe('MATCH');
    expect(tierFor(0.75, 0.75)).toBe('MATCH');
    expect(tierFor(0.74, 0.75)).toBe('NO_MATCH');
    expect(tierFor(0.5, 0.4)).toBe('MATCH');
  });
});

describe('score calibration', () => {
  it('falls back to the clamped raw cosine when there is no calibration file', () => {
    const c = loadCalibration(path.join(mkdtempSync(path.join(tmpdir(), 'cal-')), 'none.json'));
    expect(c).toBe(rawCosineCalibration);
    expect(c.toScore(1.2)).toBe(1);
    expect(c.toScore(-0.3)).toBe(0);
    expect(c.toScore(0.42)).toBe(0.42);
  });

  it('interpolates piecewise-linearly between knots and is flat outside', () => {
    const c = new PiecewiseLinearCalibration({ version: 'cal-test', knots: [[-1, 0], [0.2, 0.1], [0.4, 0.75], [0.6, 0.95], [1, 1]] });
    expect(c.toScore(-1)).toBe(0);
    expect(c.toScore(0.3)).toBeCloseTo(0.425, 10);
    expect(c.toScore(0.4)).toBeCloseTo(0.75, 10);
    expect(c.toScore(2)).toBe(1);
    let prev = -Infinity;
    for (let x = -1; x <= 1; x += 0.01) {
      const y = c.toScore(x);
      expect(y).toBeGreaterThanOrEqual(prev);
      prev = y;
    }
  });

  it('loads a calibration file and rejects a non-monotone one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cal-'));
    const good = path.join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ version: 'cal-1', knots: [[-1, 0], [0.3, 0.75], [1, 1]], fitted: { note: 'extra fields are ignored' } }));
    const c = loadCalibration(good);
    expect(c.version).toBe('cal-1');
    expect(createPolicy(c).decide({ raw: 0.3 })).toMatchObject({ score: 0.75, match_result: 'CONFIRMED' });
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ version: 'cal-2', knots: [[0, 0.5], [0.5, 0.4]] }));
    expect(() => loadCalibration(bad)).toThrow(/monotone/);
  });
});
