/**
 * Capture-quality measures for one face: size, head pose estimated from the 68 landmarks, and
 * sharpness/exposure measured on the aligned face crop. Pose is a geometric estimate (no 3-D
 * model fit): good to a few degrees near frontal, coarser beyond ±30°.
 */
import { lumaAt } from './decode.ts';
import type { FaceQuality, Point } from './types.ts';

const mean = (pts: Point[]): Point => ({
  x: pts.reduce((s, p) => s + p.x, 0) / pts.length,
  y: pts.reduce((s, p) => s + p.y, 0) / pts.length,
});
const deg = (rad: number) => (rad * 180) / Math.PI;
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** iBUG-68 index groups. */
const RIGHT_EYE = [36, 37, 38, 39, 40, 41]; // subject's right, image left
const LEFT_EYE = [42, 43, 44, 45, 46, 47];

/**
 * Ratio of (eye line → nose tip) to (eye line → mouth centre) for a frontal face; measured as the
 * median over the frontal development photos. Pitch is read from the deviation from it.
 */
const FRONTAL_NOSE_RATIO = 0.55;

export function estimatePose(landmarks: Point[]): { yaw: number; pitch: number; roll: number; interocular: number } {
  const pick = (idx: number[]) => idx.map((i) => landmarks[i]!);
  const rEye = mean(pick(RIGHT_EYE));
  const lEye = mean(pick(LEFT_EYE));
  const roll = deg(Math.atan2(lEye.y - rEye.y, lEye.x - rEye.x));
  const interocular = Math.hypot(lEye.x - rEye.x, lEye.y - rEye.y);
  // Work in a frame de-rotated by the roll, centred between the eyes.
  const cos = Math.cos((-roll * Math.PI) / 180), sin = Math.sin((-roll * Math.PI) / 180);
  const eyeMid = { x: (rEye.x + lEye.x) / 2, y: (rEye.y + lEye.y) / 2 };
  const local = (p: Point): Point => {
    const dx = p.x - eyeMid.x, dy = p.y - eyeMid.y;
    return { x: dx * cos - dy * sin, y: dx * sin + dy * cos };
  };
  const nose = local(landmarks[30]!);
  const jawR = local(landmarks[1]!), jawL = local(landmarks[15]!);
  const mouth = local(mean(pick([48, 54, 51, 57])));
  // Yaw: the nose tip moves across the face between the two jaw silhouettes, ~ sin(yaw).
  const halfWidth = Math.max((jawL.x - jawR.x) / 2, 1e-6);
  const centre = (jawL.x + jawR.x) / 2;
  const yaw = deg(Math.asin(clamp((nose.x - centre) / halfWidth, -1, 1)));
  // Pitch: nose tip's share of the eye→mouth distance shrinks looking up, grows looking down.
  const ratio = nose.y / Math.max(mouth.y, 1e-6);
  const pitch = deg(Math.asin(clamp((FRONTAL_NOSE_RATIO - ratio) * 2, -1, 1)));
  return { yaw, pitch, roll, interocular };
}

/** Sharpness (variance of the 4-neighbour Laplacian), mean luminance and clipped share of a crop. */
export function measureExposure(rgb: Float32Array, width: number, height: number): { sharpness: number; brightness: number; clipped: number } {
  const grey = new Float32Array(width * height);
  let sum = 0, clipped = 0;
  for (let i = 0; i < grey.length; i++) {
    const y = lumaAt(rgb, i);
    grey[i] = y;
    sum += y;
    if (y <= 5 || y >= 250) clipped++;
  }
  let lapSum = 0, lapSq = 0, n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const lap = grey[i - 1]! + grey[i + 1]! + grey[i - width]! + grey[i + width]! - 4 * grey[i]!;
      lapSum += lap;
      lapSq += lap * lap;
      n++;
    }
  }
  const lapMean = lapSum / n;
  return { sharpness: lapSq / n - lapMean * lapMean, brightness: sum / grey.length / 255, clipped: clipped / grey.length };
}

export function assessQuality(landmarks: Point[], crop: Float32Array, cropSize: number): FaceQuality {
  const pose = estimatePose(landmarks);
  const exposure = measureExposure(crop, cropSize, cropSize);
  const xs = landmarks.map((p) => p.x);
  return {
    // Face width across the jaw landmarks, in original-image pixels.
    faceSizePx: Math.round(Math.max(...xs) - Math.min(...xs)),
    yaw: round1(pose.yaw),
    pitch: round1(pose.pitch),
    roll: round1(pose.roll),
    sharpness: round1(exposure.sharpness),
    brightness: Math.round(exposure.brightness * 1000) / 1000,
    clipped: Math.round(exposure.clipped * 1000) / 1000,
  };
}

const round1 = (v: number) => Math.round(v * 10) / 10;
