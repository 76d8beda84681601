/**
 * `facematch bench`: per-stage and end-to-end latency of two-image verification, throughput at
 * several concurrencies and peak memory, then the same images through face-api on tfjs-wasm.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FaceEngine } from '../src/engine/types.ts';
import { decodeImage } from '../src/engine/decode.ts';
import { summarise } from './stats.ts';

export interface BenchOptions {
  images: string;
  rounds: number;
  peerPairs: number;
  skipPeer: boolean;
  log: (line: string) => void;
}

export function listImages(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(jpe?g|png|webp)$/i.test(name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, performance.now() - t];
}

export async function runBench(engine: FaceEngine, options: BenchOptions) {
  const files = listImages(options.images);
  if (files.length < 2) throw new Error(`need at least two images in ${options.images}`);
  const bytes = files.map((f) => new Uint8Array(readFileSync(f)));
  const pairs: Array<[number, number]> = bytes.map((_, i) => [i, (i + 1) % bytes.length]);
  const verify = async ([a, b]: [number, number]) => {
    const [x, y] = await Promise.all([engine.analyze(bytes[a]!), engine.analyze(bytes[b]!)]);
    return engine.similarity(x.embedding, y.embedding);
  };
  options.log(`warming up on ${files.length} images…`);
  const usableIdx: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    try {
      await engine.analyze(bytes[i]!);
      usableIdx.push(i);
    } catch {
      /* images without a face are left out of the timing */
    }
  }
  const ok = new Set(usableIdx);
  const verifyPairs = pairs.filter(([a, b]) => ok.has(a) && ok.has(b));

  // Per stage, one image at a time.
  const stages: Record<string, number[]> = {};
  for (let r = 0; r < options.rounds; r++) {
    for (const i of usableIdx) {
      const a = await engine.analyze(bytes[i]!);
      for (const [k, v] of Object.entries(a.timings)) (stages[k] ??= []).push(v);
    }
  }
  // End-to-end two-image verification (decode of both, detection, landmarks, embedding, compare).
  const e2e: number[] = [];
  for (let r = 0; r < options.rounds; r++) for (const p of verifyPairs) e2e.push((await timed(() => verify(p)))[1]);
  options.log(`end-to-end: ${e2e.length} verifications`);

  // Throughput.
  const throughput: Record<string, number> = {};
  for (const c of [1, 2, 4]) {
    const queue = Array.from({ length: Math.max(verifyPairs.length * 2, 24) }, (_, i) => verifyPairs[i % verifyPairs.length]!);
    const total = queue.length;
    const [, ms] = await timed(() => Promise.all(Array.from({ length: c }, async () => {
      for (let p = queue.shift(); p; p = queue.shift()) await verify(p);
    })));
    throughput[`concurrency_${c}`] = Math.round((total / (ms / 1000)) * 10) / 10;
    options.log(`concurrency ${c}: ${throughput[`concurrency_${c}`]} verifications/s`);
  }
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);

  let faceapi: { backend: string; end_to_end: ReturnType<typeof summarise>; pairs_compared: number; images_without_face: number } | undefined;
  let ours_on_same_pairs: ReturnType<typeof summarise> | undefined;
  if (!options.skipPeer) {
    const { createFaceApiPeer } = await import('./faceapi-peer.ts');
    const peer = await createFaceApiPeer();
    options.log(`face-api on ${peer.backend}: warming up…`);
    const found = new Set<number>();
    const peerVerify = async ([a, b]: [number, number]) => {
      for (const i of [a, b]) {
        const img = await decodeImage(bytes[i]!);
        const r = await peer.describe(img.data, img.width, img.height);
        if (r.descriptor) found.add(i);
      }
    };
    for (const i of usableIdx) await peerVerify([i, i]);
    const comparable = verifyPairs.filter(([a, b]) => found.has(a) && found.has(b)).slice(0, options.peerPairs);
    const peerTimes: number[] = [];
    const ourTimes: number[] = [];
    // Each side in its own loop over the same pairs and rounds, so neither pays for waking up
    // after the other has had the CPU.
    for (let r = 0; r < options.rounds; r++) for (const p of comparable) peerTimes.push((await timed(() => peerVerify(p)))[1]);
    for (let r = 0; r < options.rounds; r++) for (const p of comparable) ourTimes.push((await timed(() => verify(p)))[1]);
    faceapi = { backend: peer.backend, end_to_end: summarise(peerTimes), pairs_compared: comparable.length, images_without_face: usableIdx.length - found.size };
    ours_on_same_pairs = summarise(ourTimes);
  }
  const end_to_end = summarise(e2e);
  return {
    images: files.length,
    images_used: usableIdx.length,
    engine: engine.version,
    precision: engine.precision ?? null,
    stages: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, summarise(v)])),
    end_to_end,
    throughput_verifications_per_s: throughput,
    peak_rss_mb: peakRssMb,
    faceapi,
    ours_on_faceapi_pairs: ours_on_same_pairs,
    ratio_vs_faceapi: faceapi && ours_on_same_pairs ? Math.round((faceapi.end_to_end.p50 / ours_on_same_pairs.p50) * 10) / 10 : null,
  };
}
