/** `facematch bench [--images dir] [--json] [--rounds n] [--no-peer]` */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runBench } from '../../bench/engine-bench.ts';
import { dataDir } from '../config/paths.ts';
import { createFaceEngine } from '../engine/index.ts';
import { engineArgOptions, engineOptionsFromArgs } from './engine-args.ts';

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      images: { type: 'string' },
      json: { type: 'boolean', default: false },
      rounds: { type: 'string', default: '3' },
      'peer-pairs': { type: 'string', default: '12' },
      'no-peer': { type: 'boolean', default: false },
      ...engineArgOptions,
    },
  });
  const engine = await createFaceEngine(engineOptionsFromArgs(values));
  try {
    const report = await runBench(engine, {
      images: values.images ?? path.join(dataDir(), 'faces'),
      rounds: Number(values.rounds),
      peerPairs: Number(values['peer-pairs']),
      skipPeer: values['no-peer'],
      log: (line) => process.stderr.write(`${line}\n`),
    });
    if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      const s = Object.entries(report.stages).map(([k, v]) => `  ${k.padEnd(10)} p50 ${v.p50} ms, p95 ${v.p95} ms`).join('\n');
      process.stdout.write(
        `engine ${report.engine}; ${report.images_used}/${report.images} images with a face\n` +
          (report.precision ? `recognition net: ${report.precision.recognizer} (${report.precision.reason})\n` : '') +
          `per stage (one image):\n${s}\n` +
          `end-to-end two-image verification: p50 ${report.end_to_end.p50} ms, p95 ${report.end_to_end.p95} ms (n=${report.end_to_end.n})\n` +
          `throughput: ${Object.entries(report.throughput_verifications_per_s).map(([k, v]) => `${k.replace('concurrency_', 'c=')} ${v}/s`).join(', ')}\n` +
          `peak RSS ${report.peak_rss_mb} MB\n` +
          (report.faceapi
            ? `face-api (${report.faceapi.backend}) on ${report.faceapi.pairs_compared} pairs: p50 ${report.faceapi.end_to_end.p50} ms, p95 ${report.faceapi.end_to_end.p95} ms; ` +
              `ours on the same pairs p50 ${report.ours_on_faceapi_pairs?.p50} ms → ${report.ratio_vs_faceapi}× faster\n`
            : ''),
      );
    }
    return 0;
  } finally {
    await engine.close();
  }
}
