/**
 * Engine worker thread: owns one in-process engine (its own ONNX sessions) and answers analyze
 * requests. onnxruntime runs inference on the calling thread, so running it here keeps the
 * HTTP event loop free and lets the two images of a verification be analysed in parallel.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createInProcessEngine } from './index.ts';
import { EngineError, type AnalyzeOptions } from './types.ts';
import type { EngineConfig } from './config.ts';

export interface WorkerRequest {
  id: number;
  image: string | Uint8Array;
  options: AnalyzeOptions;
}

const port = parentPort!;
const engine = await createInProcessEngine(workerData as EngineConfig);
port.postMessage({ ready: true, version: engine.version, precision: engine.precision, layout: engine.layout });

port.on('message', async (req: WorkerRequest | 'close') => {
  if (req === 'close') {
    await engine.close();
    port.close();
    return;
  }
  try {
    const result = await engine.analyze(req.image, req.options);
    const transfer: ArrayBuffer[] = [result.embedding.buffer as ArrayBuffer];
    if (result.crop) transfer.push(result.crop.buffer as ArrayBuffer);
    port.postMessage({ id: req.id, result }, transfer);
  } catch (err) {
    const error = err instanceof EngineError ? { code: err.code, message: err.message } : { message: err instanceof Error ? err.message : String(err) };
    port.postMessage({ id: req.id, error });
  }
});
