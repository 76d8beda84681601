/**
 * BlazeFace (MediaPipe, as packaged in @vladmandic/human): 256×256 NHWC RGB in −1..1; 896 anchors
 * (16×16×2 at stride 16, then 8×8×6 at stride 32); per anchor a logit and 16 regressors: box
 * centre offset and absolute size, then six keypoints (eyes, nose tip, mouth centre, ears).
 * The image is letterboxed with a margin so faces that fill a tight crop are still found.
 */
import type { RgbImage } from '../decode.ts';
import { detectWithMargins, type Detection, type FaceDetector } from '../components.ts';
import { fromCanvas, letterboxTensor, type CanvasPlacement } from '../letterbox.ts';
import { nonMaxSuppression } from '../nms.ts';
import type { ModelSession } from '../sessions.ts';

const SIZE = 256;
const NORMALISE = { layout: 'NHWC' as const, channelOrder: 'RGB' as const, mean: [127.5, 127.5, 127.5], std: [127.5, 127.5, 127.5] };

function makeAnchors(): Float32Array {
  const anchors: number[] = [];
  for (const [stride, perCell] of [[16, 2], [32, 6]] as const) {
    const grid = SIZE / stride;
    for (let gy = 0; gy < grid; gy++) for (let gx = 0; gx < grid; gx++) for (let k = 0; k < perCell; k++) anchors.push(stride * (gx + 0.5), stride * (gy + 0.5));
  }
  return Float32Array.from(anchors);
}
const ANCHORS = makeAnchors();

export interface BlazeFaceOptions {
  scoreThreshold?: number;
  iouThreshold?: number;
  /** Letterbox margins tried in turn until a face is found: plain fit first, then padded. */
  margins?: number[];
}

export class BlazeFaceDetector implements FaceDetector {
  readonly name = 'blazeface';
  constructor(
    private readonly model: ModelSession,
    private readonly options: BlazeFaceOptions = {},
  ) {}

  detect(image: RgbImage): Promise<Detection[]> {
    return detectWithMargins(this.options.margins ?? [0.05, 0.2], (margin) => this.detectAt(image, margin));
  }

  private async detectAt(image: RgbImage, margin: number): Promise<Detection[]> {
    const { tensor, placement } = await letterboxTensor(image, SIZE, SIZE, margin, NORMALISE);
    const out = await this.model.run(tensor, [1, SIZE, SIZE, 3]);
    return this.decode(out.logits!.data as Float32Array, out.regressors!.data as Float32Array, placement);
  }

  private decode(logits: Float32Array, reg: Float32Array, lb: CanvasPlacement): Detection[] {
    const threshold = this.options.scoreThreshold ?? 0.6;
    const logitThreshold = Math.log(threshold / (1 - threshold));
    const found: Detection[] = [];
    for (let i = 0; i < logits.length; i++) {
      if (logits[i]! < logitThreshold) continue;
      const ax = ANCHORS[2 * i]!, ay = ANCHORS[2 * i + 1]!;
      const r = i * 16;
      const cx = reg[r]! + ax, cy = reg[r + 1]! + ay, w = reg[r + 2]!, h = reg[r + 3]!;
      const tl = fromCanvas(lb, { x: cx - w / 2, y: cy - h / 2 });
      const br = fromCanvas(lb, { x: cx + w / 2, y: cy + h / 2 });
      const kp = (k: number) => fromCanvas(lb, { x: reg[r + 4 + 2 * k]! + ax, y: reg[r + 5 + 2 * k]! + ay });
      found.push({
        box: { x: tl.x, y: tl.y, width: br.x - tl.x, height: br.y - tl.y },
        score: 1 / (1 + Math.exp(-logits[i]!)),
        keypoints: [0, 1, 2, 3, 4, 5].map(kp),
      });
    }
    return nonMaxSuppression(found, this.options.iouThreshold ?? 0.3);
  }
}
