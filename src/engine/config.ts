/**
 * Engine configuration (zod-validated): which detector and recognizers to run, threads, and the
 * score calibration that belongs to that combination. The default uses only the models built
 * from npm packages; third-party ONNX models ("bring your own") are named by path.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const weight = z.number().positive().default(1);

export const DetectorConfig = z.discriminatedUnion('family', [
  z.object({ family: z.literal('blazeface'), scoreThreshold: z.number().min(0).max(1).optional() }),
  /** Faceplugin's fr_detect (Ultra-Light RFB-style, 320×240, no keypoints); built in, like BlazeFace. */
  z.object({ family: z.literal('faceplugin'), scoreThreshold: z.number().min(0).max(1).optional() }),
  z.object({
    /** 'auto': recognised from the ONNX outputs (YuNet is the supported third-party family). */
    family: z.enum(['yunet', 'auto']),
    path: z.string(),
    scoreThreshold: z.number().min(0).max(1).default(0.6),
    size: z.number().int().positive().optional(),
  }),
]);

export const RecognizerConfig = z.discriminatedUnion('family', [
  z.object({
    family: z.literal('faceapi'),
    weight,
    /** Mirror test-time augmentation. */
    flip: z.boolean().default(true),
    /** Chip zooms averaged (test-time jitter); [1] turns it off. */
    jitterScales: z.array(z.number().min(0.8).max(1.2)).min(1).default([0.93, 1, 1.07]),
  }),
  z.object({ family: z.literal('faceres'), weight, flip: z.boolean().default(true), zoomOut: z.number().min(0.8).max(2).default(1.2) }),
  /** faceplugin's 512-D descriptor (fr_feature), aligned on the ArcFace template as its publisher aligns it. */
  z.object({ family: z.literal('faceplugin'), weight, flip: z.boolean().default(true) }),
  z.object({
    /** 'auto': recognised from the ONNX input/output shapes (ArcFace-style is the supported family). */
    family: z.enum(['arcface', 'auto']),
    path: z.string(),
    name: z.string().optional(),
    channelOrder: z.enum(['RGB', 'BGR']).default('RGB'),
    /** Pixel p (0..255) is fed as (p − mean) / std. */
    mean: z.number().default(127.5),
    std: z.number().positive().default(127.5),
    weight,
  }),
]);

export type RecognizerConfig = z.infer<typeof RecognizerConfig>;

/** face-api's ResNet descriptor with its test-time augmentation (three zooms × mirror): the default before fr_feature. */
export const FACEAPI_RECOGNIZER: RecognizerConfig = { family: 'faceapi', weight: 1, flip: true, jitterScales: [0.93, 1, 1.07] };

/**
 * The default descriptor: fr_feature and face-api's net, one pass each, fused at score level with
 * weights fitted on the LFW folds (`facematch eval --fuse`; the README's Accuracy section). Two
 * different nets beat either net with its mirror pass, at lower cost.
 */
export const DEFAULT_RECOGNIZERS: RecognizerConfig[] = [
  { family: 'faceplugin', weight: 0.4031, flip: false },
  { family: 'faceapi', weight: 0.9152, flip: false, jitterScales: [1] },
];

export const EngineConfig = z.object({
  /** Worker threads running analyses in parallel (0 = in the calling thread). */
  workers: z.number().int().min(0).max(64).default(availableParallelism()),
  /** Intra-op threads per model session. */
  threads: z.number().int().min(1).max(64).default(1),
  /**
   * int8: built-in nets that have an int8 variant (the recognition net) run statically quantised
   * (weights int8 per channel, activations uint8; about 2× faster on CPU, accuracy measured on
   * LFW); float32: the nets as converted.
   */
  precision: z.enum(['int8', 'float32']).default('int8'),
  /**
   * Embed every face from a greyscale copy of the image, so that a colour selfie and a greyscale
   * registry photo are compared in the same colour space (measured with `facematch eval
   * --registry-style`; see the README for the trade-off on colour pairs).
   */
  greyscaleEmbedding: z.boolean().default(false),
  /** Longer image side decoded at most (shrink-on-load); larger photos are downscaled while decoding. */
  maxSide: z.number().int().min(256).default(1600),
  /** Large JPEGs: detect on a preview, then decode only the faces' surroundings at the size the primary face needs. */
  faceScaledDecode: z.boolean().default(true),
  detector: DetectorConfig.default({ family: 'faceplugin' }),
  /**
   * The 68-point landmark net: 'faceapi68' (face-api's, 112×112 RGB, mirrored and refined) or
   * 'faceplugin' (fr_landmark, 64×64 greyscale, mirrored and refined; several times cheaper).
   */
  landmarks: z.enum(['faceapi68', 'faceplugin']).default('faceplugin'),
  recognizers: z.array(RecognizerConfig).min(1).default(DEFAULT_RECOGNIZERS),
  /** Score calibration file for this combination (see `facematch calibrate`). */
  calibration: z.string().optional(),
  liveness: z.boolean().default(true),
});
export type EngineConfig = z.infer<typeof EngineConfig>;

/** Reads a JSON engine config; relative model/calibration paths resolve against its folder. */
export function readEngineConfig(file: string): EngineConfig {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const parsed = EngineConfig.safeParse(raw);
  if (!parsed.success) throw new Error(`engine config ${file}: ${z.prettifyError(parsed.error)}`);
  const base = path.dirname(path.resolve(file));
  const abs = (p: string) => path.resolve(base, p);
  const cfg = parsed.data;
  if ('path' in cfg.detector) cfg.detector.path = abs(cfg.detector.path);
  for (const r of cfg.recognizers) if ('path' in r) r.path = abs(r.path);
  if (cfg.calibration) cfg.calibration = abs(cfg.calibration);
  return cfg;
}
