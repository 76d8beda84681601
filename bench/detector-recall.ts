/**
 * Detector recall, BlazeFace against fr_detect, on the images of a pairs file: every image as it
 * is, and every second image degraded registry-style (src/eval/registry-style.ts) around
 * BlazeFace's largest box, so both detectors see the same bytes. Reports, per fr_detect score
 * threshold, the images where each finds no face and those only BlazeFace finds.
 *
 *   npx tsx bench/detector-recall.ts --pairs <csv> --images <dir> [--seed 13] [--thresholds 0.5,0.65,0.8]
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Detection } from '../src/engine/components.ts';
import { decodeImage, defaultDecodeLimits } from '../src/engine/decode.ts';
import { BlazeFaceDetector } from '../src/engine/families/blazeface.ts';
import { FacepluginDetector } from '../src/engine/families/faceplugin-detector.ts';
import { openSession } from '../src/engine/sessions.ts';
import { readPairs } from '../src/eval/pairs.ts';
import { degradeToRegistryStyle, drawDegradation } from '../src/eval/registry-style.ts';

const { values } = parseArgs({
  options: { pairs: { type: 'string' }, images: { type: 'string' }, seed: { type: 'string', default: '13' }, thresholds: { type: 'string', default: '0.5,0.65,0.8' } },
});
if (!values.pairs || !values.images) {
  process.stderr.write('usage: npx tsx bench/detector-recall.ts --pairs <csv> --images <dir> [--seed 13] [--thresholds 0.5,0.65,0.8]\n');
  process.exit(2);
}
const imagesDir = values.images;
const thresholds = values.thresholds.split(',').map(Number);
// Whole images, so boxes are in the original coordinates the degradation crops in.
const limits = defaultDecodeLimits;

const reference = new BlazeFaceDetector(await openSession('blazeface'));
const session = await openSession('fr_detect');
const candidates = thresholds.map((t) => new FacepluginDetector(session, { scoreThreshold: t }));

interface Tally {
  images: number;
  blazefaceMisses: string[];
  /** Per threshold: images fr_detect finds no face in, and those among them BlazeFace finds. */
  misses: string[][];
  lost: string[][];
}
const tally = (): Tally => ({ images: 0, blazefaceMisses: [], misses: thresholds.map(() => []), lost: thresholds.map(() => []) });
const originals = tally(), degraded = tally();
const largest = (ds: Detection[]) => [...ds].sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height)[0];

async function count(t: Tally, name: string, bytes: Uint8Array): Promise<Detection[]> {
  const image = await decodeImage(bytes, limits);
  const found = await reference.detect(image);
  t.images++;
  if (found.length === 0) t.blazefaceMisses.push(name);
  for (const [i, detector] of candidates.entries()) {
    if ((await detector.detect(image)).length > 0) continue;
    t.misses[i]!.push(name);
    if (found.length > 0) t.lost[i]!.push(name);
  }
  return found;
}

const seen = new Set<string>(), seenDegraded = new Set<string>();
for (const pair of readPairs(values.pairs, imagesDir)) {
  for (const [file, degrade] of [[pair.pathA, false], [pair.pathB, true]] as const) {
    const name = path.relative(imagesDir, file);
    const bytes = new Uint8Array(await readFile(file));
    let found: Detection[] | undefined;
    if (!seen.has(name)) {
      seen.add(name);
      found = await count(originals, name, bytes);
    }
    if (!degrade || seenDegraded.has(name)) continue;
    seenDegraded.add(name);
    const image = await decodeImage(bytes, limits);
    // As the protocol does for originals without a face: a centred box of 40 % of the shorter side.
    const side = 0.4 * Math.min(image.width, image.height);
    const box = largest(found ?? (await reference.detect(image)))?.box ?? { x: (image.width - side) / 2, y: (image.height - side) / 2, width: side, height: side };
    await count(degraded, name, await degradeToRegistryStyle(bytes, box, drawDegradation(Number(values.seed), name)));
  }
}

for (const [label, t] of [['originals', originals], ['registry-style', degraded]] as const) {
  process.stdout.write(`${label}: ${t.images} images; BlazeFace finds no face in ${t.blazefaceMisses.length}\n`);
  thresholds.forEach((threshold, i) => {
    process.stdout.write(`  fr_detect ≥ ${threshold}: no face in ${t.misses[i]!.length}, of which BlazeFace finds one in ${t.lost[i]!.length}${t.lost[i]!.length ? `: ${t.lost[i]!.join(', ')}` : ''}\n`);
  });
}
