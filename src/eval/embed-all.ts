/** Embeds every distinct image once, a few at a time, with a progress line on stderr. `load` turns a key into image bytes (default: read the file at that path). */
import { readFile } from 'node:fs/promises';
import { EngineError, type FaceEngine } from '../engine/types.ts';

export interface EmbedOutcome {
  embedding?: Float32Array;
  /** Why there is no embedding: an EngineError code or 'READ_ERROR'. */
  failure?: string;
}

export async function embedAll(
  engine: FaceEngine,
  paths: string[],
  options: { concurrency?: number; progress?: boolean; load?: (key: string) => Promise<Uint8Array> } = {},
): Promise<Map<string, EmbedOutcome>> {
  const results = new Map<string, EmbedOutcome>();
  const queue = [...new Set(paths)];
  const total = queue.length;
  const started = performance.now();
  let done = 0;
  const report = () => {
    if (!options.progress) return;
    const secs = (performance.now() - started) / 1000;
    process.stderr.write(`\rembedding images: ${done}/${total} (${(done / Math.max(secs, 1e-3)).toFixed(1)}/s)`);
  };
  const worker = async () => {
    for (let p = queue.shift(); p !== undefined; p = queue.shift()) {
      try {
        const analysis = await engine.analyze(await (options.load ?? readFile)(p));
        results.set(p, { embedding: analysis.embedding });
      } catch (err) {
        results.set(p, { failure: err instanceof EngineError ? err.code : 'READ_ERROR' });
      }
      done++;
      if (done % 20 === 0 || done === total) report();
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 2 }, worker));
  if (options.progress) process.stderr.write('\n');
  return results;
}
