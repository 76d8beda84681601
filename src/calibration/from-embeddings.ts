/**
 * Fits the score calibration on embedded images named by a pairs file: identity = the image's
 * folder name (as in LFW), every image pair counted. Shared by `facematch calibrate` and
 * `facematch eval --fit-calibration` (which then reports with the map it just fitted, so a
 * re-measurement embeds the images once).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EmbedOutcome } from '../eval/embed-all.ts';
import { fitCalibration, type CalibrationFile } from './fit.ts';

/** The identity of an image as LFW lays it out: the name of its folder. */
export const identityOf = (imagePath: string): string => path.basename(path.dirname(imagePath));

export function fitAndWriteCalibration(results: Map<string, EmbedOutcome>, pairsFile: string, engineVersion: string, out: string, log: (line: string) => void): CalibrationFile {
  const usable = [...results.entries()].filter(([, r]) => r.embedding);
  log(`scoring all pairs of ${usable.length} images (${results.size - usable.length} without a face)…`);
  const calibration = fitCalibration(
    usable.map(([, r]) => r.embedding!),
    usable.map(([p]) => identityOf(p)),
    { on: `${path.basename(path.dirname(path.resolve(pairsFile)))}/${path.basename(pairsFile)}`, engine: engineVersion },
  );
  writeFileSync(out, `${JSON.stringify(calibration, null, 2)}\n`);
  log(`${calibration.fitted.impostor_pairs.toLocaleString('en')} impostor and ${calibration.fitted.genuine_pairs.toLocaleString('en')} genuine pairs`);
  for (const a of calibration.fitted.anchors) log(`score ${a.score.toFixed(2)} ← raw ${a.raw.toFixed(4)}: FMR ${(a.target_fmr * 100).toFixed(3)} %, FNMR ${(a.fnmr * 100).toFixed(2)} %`);
  log(`wrote ${path.relative(process.cwd(), out)} (${calibration.version})`);
  return calibration;
}
