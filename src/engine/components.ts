/** The internal pieces the engine composes; one class per model family implements each. */
import type { RgbImage } from './decode.ts';
import type { Box, Point } from './types.ts';

export interface Detection {
  box: Box;
  score: number;
  /**
   * Five points when the detector gives them, in the ArcFace order: the eye on the image's left,
   * the eye on the image's right, nose tip, mouth corner on the left, mouth corner on the right.
   */
  fivePoint?: Point[];
  /** Detector-specific coarse keypoints (e.g. BlazeFace's six), used to seed landmarking. */
  keypoints?: Point[];
}

export interface FaceDetector {
  readonly name: string;
  detect(image: RgbImage): Promise<Detection[]>;
}

export interface LandmarkModel {
  readonly name: string;
  /** 68 iBUG points per detection, in image coordinates. */
  locate(image: RgbImage, detections: Detection[]): Promise<Point[][]>;
}

export interface FaceGeometry {
  landmarks68: Point[];
  fivePoint: Point[];
}

export interface Recognizer {
  readonly name: string;
  readonly dims: number;
  /** L2-normalised embeddings, one per face. */
  embed(image: RgbImage, faces: FaceGeometry[]): Promise<Float32Array[]>;
}

export function l2normalise(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s) || 1;
  return v.map((x) => x / n);
}

/** Five points (ArcFace order) derived from the 68 iBUG landmarks. */
export function fivePointFrom68(l: Point[]): Point[] {
  const centre = (idx: number[]) => ({ x: idx.reduce((s, i) => s + l[i]!.x, 0) / idx.length, y: idx.reduce((s, i) => s + l[i]!.y, 0) / idx.length });
  return [centre([36, 37, 38, 39, 40, 41]), centre([42, 43, 44, 45, 46, 47]), l[30]!, l[48]!, l[54]!];
}
