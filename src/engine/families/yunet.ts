/**
 * YuNet (OpenCV zoo, 2023mar layout): anchor-free, strides 8/16/32, outputs cls_*, obj_*, bbox_*,
 * kps_* per stride. Input NCHW BGR 0..255 (no normalisation). Scores are sqrt(cls·obj).
 */
import type { RgbImage } from '../decode.ts';
import type { Detection, FaceDetector } from '../components.ts';
import { fromCanvas, letterboxTensor } from '../letterbox.ts';
import { nonMaxSuppression } from '../nms.ts';
import type { ModelSession } from '../sessions.ts';

const STRIDES = [8, 16, 32];

export function looksLikeYuNet(outputNames: readonly string[]): boolean {
  return STRIDES.every((s) => ['cls', 'obj', 'bbox', 'kps'].every((k) => outputNames.includes(`${k}_${s}`)));
}

export class YuNetDetector implements FaceDetector {
  readonly name = 'yunet';
  constructor(
    private readonly model: ModelSession,
    private readonly options: { size?: number; scoreThreshold?: number; iouThreshold?: number; margin?: number } = {},
  ) {}

  async detect(image: RgbImage): Promise<Detection[]> {
    const size = this.options.size ?? 640;
    const { tensor, placement: lb } = await letterboxTensor(image, size, size, this.options.margin ?? 0.1, { layout: 'NCHW', channelOrder: 'BGR', mean: [0, 0, 0], std: [1, 1, 1] });
    const out = await this.model.run(tensor, [1, 3, size, size]);
    const threshold = this.options.scoreThreshold ?? 0.6;
    const found: Detection[] = [];
    for (const stride of STRIDES) {
      const cls = out[`cls_${stride}`]!.data as Float32Array;
      const obj = out[`obj_${stride}`]!.data as Float32Array;
      const bbox = out[`bbox_${stride}`]!.data as Float32Array;
      const kps = out[`kps_${stride}`]!.data as Float32Array;
      const cols = size / stride;
      for (let i = 0; i < cls.length; i++) {
        const score = Math.sqrt(Math.min(Math.max(cls[i]!, 0), 1) * Math.min(Math.max(obj[i]!, 0), 1));
        if (score < threshold) continue;
        const col = i % cols, row = Math.floor(i / cols);
        const cx = (col + bbox[i * 4]!) * stride, cy = (row + bbox[i * 4 + 1]!) * stride;
        const w = Math.exp(bbox[i * 4 + 2]!) * stride, h = Math.exp(bbox[i * 4 + 3]!) * stride;
        const tl = fromCanvas(lb, { x: cx - w / 2, y: cy - h / 2 });
        const br = fromCanvas(lb, { x: cx + w / 2, y: cy + h / 2 });
        const fivePoint = Array.from({ length: 5 }, (_, k) => fromCanvas(lb, { x: (kps[i * 10 + 2 * k]! + col) * stride, y: (kps[i * 10 + 2 * k + 1]! + row) * stride }));
        found.push({ box: { x: tl.x, y: tl.y, width: br.x - tl.x, height: br.y - tl.y }, score, fivePoint });
      }
    }
    return nonMaxSuppression(found, this.options.iouThreshold ?? 0.3);
  }
}
