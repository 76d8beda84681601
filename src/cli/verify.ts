/** `facematch verify <imageA> <imageB> [--json]`: faces, similarity, decision, quality, timings. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createFaceEngine } from '../engine/index.ts';
import { EngineError, type FaceAnalysis } from '../engine/types.ts';
import { loadScoreCalibration } from '../policy/calibration.ts';
import { DEFAULT_THRESHOLD } from '../policy/thresholds.ts';
import { engineArgOptions, engineOptionsFromArgs } from './engine-args.ts';

function summary(a: FaceAnalysis) {
  return {
    image: a.image,
    faces: a.faces.length,
    box: Object.fromEntries(Object.entries(a.face.box).map(([k, v]) => [k, Math.round(v)])),
    detection_score: Number(a.face.score.toFixed(3)),
    quality: a.quality,
    liveness: a.liveness,
    timings_ms: Object.fromEntries(Object.entries(a.timings).map(([k, v]) => [k, Number(v.toFixed(1))])),
  };
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, threshold: { type: 'string' }, ...engineArgOptions },
  });
  if (positionals.length !== 2) {
    process.stderr.write('usage: facematch verify <imageA> <imageB> [--json] [--threshold 0.75]\n');
    return 2;
  }
  const threshold = values.threshold ? Number(values.threshold) : DEFAULT_THRESHOLD;
  const options = engineOptionsFromArgs(values);
  const engine = await createFaceEngine(options);
  const calibration = loadScoreCalibration(options.calibrationFile);
  try {
    const started = performance.now();
    const [a, b] = await Promise.all(positionals.map((p) => engine.analyze(readFileSync(p), { withLiveness: true })));
    const raw = engine.similarity(a!.embedding, b!.embedding);
    const score = calibration.toScore(raw);
    const result = {
      similarity_raw: Number(raw.toFixed(4)),
      score: Number(score.toFixed(2)),
      threshold,
      decision: score >= threshold ? 'CONFIRMED' : 'MISMATCH',
      a: summary(a!),
      b: summary(b!),
      total_ms: Number((performance.now() - started).toFixed(1)),
      engine: engine.version,
      precision: engine.precision ?? null,
      calibration: calibration.version,
    };
    if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      const line = (label: string, s: ReturnType<typeof summary>) =>
        `${label}: ${s.image.width}×${s.image.height} ${s.image.format}, ${s.faces} face(s); largest ${s.box.width}×${s.box.height} px, ` +
        `yaw ${s.quality.yaw}°, pitch ${s.quality.pitch}°, roll ${s.quality.roll}°, sharpness ${s.quality.sharpness}, brightness ${s.quality.brightness}` +
        (s.liveness ? `, antispoof ${s.liveness.antispoof.toFixed(2)}, liveness ${s.liveness.liveness.toFixed(2)}` : '') +
        `\n   timings ms: ${Object.entries(s.timings_ms).map(([k, v]) => `${k} ${v}`).join(', ')}`;
      process.stdout.write(
        `${line('A', result.a)}\n${line('B', result.b)}\n` +
          `similarity ${result.similarity_raw} (raw) → score ${result.score}; threshold ${threshold}: ${result.decision}\n` +
          `total ${result.total_ms} ms` + (result.precision ? `; recognition net ${result.precision.recognizer} (${result.precision.reason})` : '') + '\n',
      );
    }
    return 0;
  } catch (err) {
    if (err instanceof EngineError) {
      process.stderr.write(`facematch verify: ${err.code}: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await engine.close();
  }
}
