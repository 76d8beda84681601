/**
 * Score calibration: a monotone map from the engine's raw cosine similarity to the public score in
 * [0, 1]. The fitted calibration is a piecewise-linear curve in models/calibration.json; without it the
 * raw cosine, clamped to [0, 1], is the score.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { envVar } from '../config/env.ts';
import { fromRepoRoot } from '../config/paths.ts';

export interface ScoreCalibration {
  /** Identifies the calibration (part of the cache key for reference embeddings is the engine version). */
  readonly version: string;
  /** Monotone non-decreasing map from raw cosine ([-1, 1]) to a score in [0, 1]. */
  toScore(raw: number): number;
}

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

/** The fallback: raw cosine clamped to [0, 1]. */
export const rawCosineCalibration: ScoreCalibration = {
  version: 'raw-cosine',
  toScore: (raw) => clamp01(raw),
};

export const CalibrationFileSchema = z
  .object({
    version: z.string().min(1),
    knots: z.array(z.tuple([z.number().min(-1).max(1), z.number().min(0).max(1)])).min(2),
  })
  .superRefine((file, ctx) => {
    for (let i = 1; i < file.knots.length; i++) {
      const [prevRaw, prevScore] = file.knots[i - 1]!;
      const [raw, score] = file.knots[i]!;
      if (!(raw > prevRaw)) ctx.addIssue({ code: 'custom', message: `knot ${i}: raw values must be strictly increasing`, path: ['knots', i, 0] });
      if (score < prevScore) ctx.addIssue({ code: 'custom', message: `knot ${i}: scores must be non-decreasing (monotone)`, path: ['knots', i, 1] });
    }
  });
export type CalibrationFile = z.infer<typeof CalibrationFileSchema>;

/** Piecewise-linear interpolation between knots; flat beyond the first and last knot. */
export class PiecewiseLinearCalibration implements ScoreCalibration {
  readonly version: string;
  private readonly xs: number[];
  private readonly ys: number[];

  constructor(file: CalibrationFile) {
    const parsed = CalibrationFileSchema.parse(file);
    this.version = parsed.version;
    this.xs = parsed.knots.map((k) => k[0]);
    this.ys = parsed.knots.map((k) => k[1]);
  }

  toScore(raw: number): number {
    if (!Number.isFinite(raw)) return 0;
    const { xs, ys } = this;
    const n = xs.length;
    if (raw <= xs[0]!) return ys[0]!;
    if (raw >= xs[n - 1]!) return ys[n - 1]!;
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (xs[mid]! <= raw) lo = mid;
      else hi = mid;
    }
    const t = (raw - xs[lo]!) / (xs[hi]! - xs[lo]!);
    return clamp01(ys[lo]! + t * (ys[hi]! - ys[lo]!));
  }
}

export function defaultCalibrationPath(): string {
  return fromRepoRoot(envVar('FACEMATCH_CALIBRATION'));
}

/**
 * Load the calibration from `file` (default models/calibration.json). A missing file means the raw
 * cosine fallback; a present but invalid file is an error (a silently wrong score is worse than none).
 */
export function loadCalibration(file: string = defaultCalibrationPath()): ScoreCalibration {
  if (!existsSync(file)) return rawCosineCalibration;
  const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const result = CalibrationFileSchema.safeParse(json);
  if (!result.success) {
    throw new Error(`invalid calibration file ${path.basename(file)}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return new PiecewiseLinearCalibration(result.data);
}

/** Alias used by the CLI commands. */
export const loadScoreCalibration = (file?: string): ScoreCalibration => loadCalibration(file);
