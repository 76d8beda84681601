/**
 * createFaceEngine(): builds the engine from its configuration. Sessions are created once here
 * and reused by every analysis.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ModelManifestEntry } from '../../models/build/spec.ts';
import { EngineConfig } from './config.ts';
import type { FaceDetector } from './components.ts';
import { defaultDecodeLimits } from './decode.ts';
import { OnnxFaceEngine, type WeightedRecognizer } from './engine.ts';
import { ArcFaceRecognizer, facepluginFivePoint, looksLikeArcFace } from './families/arcface.ts';
import { BlazeFaceDetector } from './families/blazeface.ts';
import { FaceApiLandmarks } from './families/faceapi-landmarks.ts';
import { FacepluginDetector } from './families/faceplugin-detector.ts';
import { FacepluginLandmarks } from './families/faceplugin-landmarks.ts';
import { FACEAPI_CHIP_SIZE, faceApiDescriptors, FaceApiRecognizer } from './families/faceapi-recognizer.ts';
import { FaceResRecognizer } from './families/faceres.ts';
import { HumanLiveness } from './families/human-liveness.ts';
import { looksLikeYuNet, YuNetDetector } from './families/yunet.ts';
import { openSession, openSessionFromFile, readModelManifest, type ModelSession } from './sessions.ts';
import { choosePrecision, int8Agreement, type PrecisionInUse } from './precision-check.ts';

import type { FaceEngine } from './types.ts';
import { WorkerPoolEngine } from './pool.ts';

export type { FaceEngine } from './types.ts';

/** A manifest-like description for a third-party model file, checksummed at load. */
function externalEntry(file: string, task: ModelManifestEntry['task']): ModelManifestEntry {
  const bytes = readFileSync(file);
  return {
    name: file.split('/').pop()!.replace(/\.onnx$/, ''),
    file,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    bytes: bytes.length,
    task,
    source: { package: 'external', version: '', path: [file], licence: 'as supplied by the operator' },
    input: { name: '', shape: [], layout: 'NCHW', channelOrder: 'RGB', normalisation: { mean: [0, 0, 0], std: [1, 1, 1] } },
    outputs: [],
  };
}

export interface ClosableFaceEngine extends FaceEngine {
  close(): Promise<void>;
}

/**
 * The engine for an application: with `workers` > 0 (the default is one per core), analyses run
 * in worker threads, off the event loop and in parallel; with 0, in this thread.
 */
export async function createFaceEngine(input: Partial<EngineConfig> = {}): Promise<ClosableFaceEngine> {
  const config = EngineConfig.parse(input);
  if (config.workers === 0) return createInProcessEngine(config);
  return WorkerPoolEngine.create({ ...config, workers: 0 }, config.workers);
}

export async function createInProcessEngine(input: Partial<EngineConfig> = {}): Promise<OnnxFaceEngine> {
  const config = EngineConfig.parse(input);
  const manifest = readModelManifest();
  const sessions: ModelSession[] = [];
  const open = async (name: string) => {
    const s = await openSession(name, { intraOpThreads: config.threads }, manifest);
    sessions.push(s);
    return s;
  };
  let precision: PrecisionInUse = { recognizer: 'float32', reason: config.precision === 'float32' ? 'configured ("precision": "float32")' : 'the configured recognizers have no int8 variant (float32 kernels give the same descriptors on every x86-64 CPU, within rounding)' };
  /** The built-in recognition net: int8 when configured and it agrees with the float net on this CPU. */
  const openRecognitionNet = async () => {
    if (config.precision !== 'int8' || !manifest.some((m) => m.name === 'face_recognition_int8')) return open('face_recognition');
    const [int8, float] = await Promise.all(['face_recognition_int8', 'face_recognition'].map((n) => openSession(n, { intraOpThreads: config.threads }, manifest)));
    precision = choosePrecision(await int8Agreement(faceApiDescriptors, int8!, float!, 128, FACEAPI_CHIP_SIZE));
    const [kept, dropped] = precision.recognizer === 'int8' ? [int8!, float!] : [float!, int8!];
    await dropped.session.release();
    sessions.push(kept);
    return kept;
  };
  const openExternal = async (file: string, task: ModelManifestEntry['task']) => {
    const s = await openSessionFromFile(file, externalEntry(file, task), { intraOpThreads: config.threads });
    sessions.push(s);
    return s;
  };

  let detector: FaceDetector;
  if (config.detector.family === 'faceplugin') {
    detector = new FacepluginDetector(await open('fr_detect'), { scoreThreshold: config.detector.scoreThreshold });
  } else if (config.detector.family !== 'blazeface') {
    const s = await openExternal(config.detector.path, 'detector');
    if (!looksLikeYuNet(s.session.outputNames)) throw new Error(`${config.detector.path} is not a supported detector: YuNet's outputs (cls/obj/bbox/kps per stride 8, 16, 32) are missing`);
    detector = new YuNetDetector(s, { scoreThreshold: config.detector.scoreThreshold, size: config.detector.size });
  } else {
    detector = new BlazeFaceDetector(await open('blazeface'), { scoreThreshold: config.detector.scoreThreshold });
  }

  const recognizers: WeightedRecognizer[] = [];
  for (const r of config.recognizers) {
    if (r.family === 'faceapi') recognizers.push({ recognizer: new FaceApiRecognizer(await openRecognitionNet(), { flip: r.flip, jitter: r.jitterScales.map((scale) => ({ scale, degrees: 0 })) }), weight: r.weight });
    else if (r.family === 'faceres') recognizers.push({ recognizer: new FaceResRecognizer(await open('faceres'), { flip: r.flip, zoomOut: r.zoomOut }), weight: r.weight });
    else if (r.family === 'faceplugin') {
      const options = { channelOrder: 'RGB' as const, mean: 127, std: 128, flip: r.flip, fivePoint: facepluginFivePoint };
      recognizers.push({ recognizer: new ArcFaceRecognizer('fr_feature', await open('fr_feature'), 512, options), weight: r.weight });
    }
    else {
      const s = await openExternal(r.path, 'recognizer');
      const meta = (s.session as unknown as { inputMetadata: Array<{ shape?: Array<number | string> }>; outputMetadata: Array<{ shape?: Array<number | string> }> });
      const inShape = meta.inputMetadata?.[0]?.shape ?? [];
      const outShape = meta.outputMetadata?.[0]?.shape ?? [];
      if (!looksLikeArcFace(inShape, outShape)) throw new Error(`${r.path} is not ArcFace-shaped (expects input [N,3,112,112] and output [N,128|512]); got ${JSON.stringify(inShape)} → ${JSON.stringify(outShape)}`);
      recognizers.push({ recognizer: new ArcFaceRecognizer(r.name ?? s.entry.name, s, Number(outShape[1]), r), weight: r.weight });
    }
  }

  const floatOthers = recognizers.filter((r) => r.recognizer.name !== 'face_recognition').map((r) => r.recognizer.name);
  if (precision.recognizer === 'int8' && floatOthers.length > 0) precision = { ...precision, reason: `face_recognition: ${precision.reason}; ${floatOthers.join(', ')} float32 (no int8 variant in use)` };

  const landmarks = config.landmarks === 'faceplugin' ? new FacepluginLandmarks(await open('fr_landmark')) : new FaceApiLandmarks(await open('face_landmark_68'), { flip: true });
  const liveness = config.liveness ? new HumanLiveness(await open('antispoof'), await open('liveness')) : undefined;

  const fingerprint = createHash('sha256')
    .update(
      JSON.stringify({
        detector: config.detector.family,
        recognizers: config.recognizers,
        models: sessions.map((s) => s.entry.sha256),
        ...(config.greyscaleEmbedding ? { greyscaleEmbedding: true } : {}),
        // Only 'faceplugin' enters the hash, so face-api landmark chains keep the versions they had.
        ...(config.landmarks !== 'faceapi68' ? { landmarks: config.landmarks } : {}),
      }),
    )
    .digest('hex')
    .slice(0, 10);
  const version = `${detector.name}+${recognizers.map((r) => r.recognizer.name).join('+')}@${fingerprint}`;

  return new OnnxFaceEngine({
    detector,
    landmarks,
    recognizers,
    liveness,
    decodeLimits: { ...defaultDecodeLimits, maxSide: config.maxSide },
    faceScaledDecode: config.faceScaledDecode,
    greyscaleEmbedding: config.greyscaleEmbedding,
    version,
    precision,
    close: async () => {
      await Promise.all(sessions.map((s) => s.session.release()));
    },
  });
}
