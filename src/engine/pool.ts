/**
 * A FaceEngine that spreads analyses over worker threads, each with its own engine. Requests go
 * to the worker with the fewest in flight; a worker that dies fails its pending requests and is
 * replaced.
 */
import { Worker } from 'node:worker_threads';
import type { EngineConfig } from './config.ts';
import { EngineError, type EmbeddingPart, type PrecisionInUse, type AnalyzeOptions, type EngineErrorCode, type FaceAnalysis, type FaceEngine, type ImageInput } from './types.ts';
import { cosine } from './similarity.ts';

interface Pending {
  resolve: (a: FaceAnalysis) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

type Reply = { ready: true; version: string; precision?: PrecisionInUse; layout?: EmbeddingPart[] } | { id: number; result: FaceAnalysis } | { id: number; error: { code?: EngineErrorCode; message: string } };

export class WorkerPoolEngine implements FaceEngine {
  private slots: Slot[] = [];
  private nextId = 1;
  private closing = false;
  version = '';
  /** As the workers report it; every worker runs the same check on the same CPU. */
  precision?: PrecisionInUse;
  layout?: EmbeddingPart[];

  private constructor(private readonly config: EngineConfig) {}

  static async create(config: EngineConfig, size: number): Promise<WorkerPoolEngine> {
    const pool = new WorkerPoolEngine(config);
    const ready = await Promise.all(Array.from({ length: size }, () => pool.spawn()));
    pool.version = ready[0]!.version;
    pool.precision = ready[0]!.precision;
    pool.layout = ready[0]!.layout;
    return pool;
  }

  private spawn(): Promise<{ version: string; precision?: PrecisionInUse; layout?: EmbeddingPart[] }> {
    const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: this.config });
    const slot: Slot = { worker, pending: new Map() };
    this.slots.push(slot);
    return new Promise((resolveReady, rejectReady) => {
      worker.on('message', (msg: Reply) => {
        if ('ready' in msg) return resolveReady(msg);
        const p = slot.pending.get(msg.id);
        if (!p) return;
        slot.pending.delete(msg.id);
        if ('result' in msg) p.resolve(msg.result);
        else p.reject(msg.error.code ? new EngineError(msg.error.code, msg.error.message) : new Error(msg.error.message));
      });
      worker.on('error', (err) => rejectReady(err));
      worker.on('exit', (code) => {
        this.slots = this.slots.filter((s) => s !== slot);
        for (const p of slot.pending.values()) p.reject(new Error(`face engine worker stopped (exit code ${code})`));
        slot.pending.clear();
        if (!this.closing) void this.spawn().catch(() => undefined);
      });
    });
  }

  analyze(image: ImageInput, options: AnalyzeOptions = {}): Promise<FaceAnalysis> {
    const slot = this.slots.reduce<Slot | undefined>((best, s) => (!best || s.pending.size < best.pending.size ? s : best), undefined);
    if (!slot) return Promise.reject(new Error('face engine has no workers'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, image, options });
    });
  }

  similarity(a: Float32Array, b: Float32Array): number {
    return cosine(a, b);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots = [];
  }
}
