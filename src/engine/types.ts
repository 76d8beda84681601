/**
 * The face engine's public interface. No HTTP here: the service maps EngineError codes onto the
 * contract's error codes (INVALID_INPUT, VALIDATION_ERROR, LANDMARKS_NOT_FOUND).
 */

/** Raw base64, a data URL (data:image/...;base64,...), or the encoded bytes. */
export type ImageInput = string | Uint8Array;

export type EngineErrorCode =
  | 'INVALID_BASE64' // the string is not base64 / not a data URL
  | 'NOT_AN_IMAGE' // bytes are not a decodable image
  | 'UNSUPPORTED_FORMAT' // an image, but not JPEG, PNG or WebP
  | 'IMAGE_TOO_LARGE' // over the byte limit, or over the pixel limit (decompression bombs)
  | 'NO_FACE'; // decoded, but no face found

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

export interface Point {
  x: number;
  y: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FaceQuality {
  /** Inter-ocular-based face width in original-image pixels. */
  faceSizePx: number;
  /** Degrees; 0 is frontal. Positive yaw = face turned to its left, positive pitch = looking up. */
  yaw: number;
  pitch: number;
  roll: number;
  /** Variance of the Laplacian on the aligned grey face crop: lower is blurrier. */
  sharpness: number;
  /** Mean luminance of the face crop in [0, 1]. */
  brightness: number;
  /** Fraction of face-crop pixels clipped to black or white. */
  clipped: number;
}

export interface LivenessSignals {
  /** antispoof model: probability-like score that the face is a real face, not a screen/print. */
  antispoof: number;
  /** liveness model: probability-like score that the face is live. */
  liveness: number;
}

export interface DetectedFace {
  /** In original image coordinates (after EXIF orientation). */
  box: Box;
  score: number;
  /** 68-point landmarks (iBUG order) in original image coordinates. */
  landmarks: Point[];
}

export interface FaceAnalysis {
  image: { width: number; height: number; format: 'jpeg' | 'png' | 'webp' };
  /** Every face found, the primary face first, then by size. */
  faces: DetectedFace[];
  /** The primary face (the largest; among near-equal sizes, the most central), the one embedded. */
  face: DetectedFace;
  /** L2-normalised embedding of the primary face (engine-specific length). */
  embedding: Float32Array;
  quality: FaceQuality;
  liveness?: LivenessSignals;
  /** JPEG of the aligned face crop, when requested. */
  crop?: Uint8Array;
  /** Milliseconds per stage: decode, detect, landmarks, embed, ... */
  timings: Record<string, number>;
}

export interface AnalyzeOptions {
  withLiveness?: boolean;
  withCrop?: boolean;
}

/** The precision the recognition net actually runs in, and why (configuration or start-up check). */
export interface PrecisionInUse {
  recognizer: 'int8' | 'float32';
  reason: string;
}

/** One recognizer's share of a concatenated embedding (in order). */
export interface EmbeddingPart {
  name: string;
  dims: number;
  weight: number;
}

export interface FaceEngine {
  /** Decode, detect every face, and embed the primary one. Throws EngineError. */
  analyze(image: ImageInput, options?: AnalyzeOptions): Promise<FaceAnalysis>;
  /** Raw similarity of two embeddings from this engine (cosine, in [-1, 1]). */
  similarity(a: Float32Array, b: Float32Array): number;
  /** Identifies models + calibration, so cached embeddings from another version are not reused. */
  readonly version: string;
  /** Set by engines that run built-in nets (reported by GET /health and `facematch bench`). */
  readonly precision?: PrecisionInUse;
  /** How the embedding concatenates the recognizers' (for evaluating fusion weights). */
  readonly layout?: EmbeddingPart[];
}
