/**
 * Presentation-attack signals from Human's `antispoof` (128×128) and `liveness` (32×32) nets,
 * both NHWC RGB scaled to 0..1, fed a square crop 1.4× the face width as Human does.
 * Limits: single-frame classifiers trained on small data sets; they flag obvious screen/print
 * replays, not masks or deepfakes, and are reported as signals, never as a verdict on their own.
 */
import type { RgbImage } from '../decode.ts';
import type { FaceGeometry } from '../components.ts';
import type { LivenessModel } from '../engine.ts';
import type { ModelSession } from '../sessions.ts';
import type { LivenessSignals } from '../types.ts';
import { arcfaceCrop } from './arcface.ts';
import { toTensor } from '../letterbox.ts';

const unit = { layout: 'NHWC' as const, channelOrder: 'RGB' as const, mean: [0, 0, 0], std: [255, 255, 255] };

export class HumanLiveness implements LivenessModel {
  constructor(
    private readonly antispoof: ModelSession,
    private readonly liveness: ModelSession,
  ) {}

  async assess(image: RgbImage, face: FaceGeometry): Promise<LivenessSignals> {
    const crop = (size: number) => toTensor(arcfaceCrop(image, face.fivePoint, size, 1.6), size, size, unit);
    const [a, l] = await Promise.all([this.antispoof.run(crop(128), [1, 128, 128, 3]), this.liveness.run(crop(32), [1, 32, 32, 3])]);
    const real = (a.real!.data as Float32Array)[0]!;
    const live = (l.scores!.data as Float32Array)[0]!;
    return { antispoof: Math.round(real * 1000) / 1000, liveness: Math.round(live * 1000) / 1000 };
  }
}
