/**
 * Faceplugin's fr_detect (an Ultra-Light-Fast-Generic-Face-Detector-style RFB net): 320×240 NCHW
 * RGB, pixel (p − 127) / 128. Outputs softmax scores [background, face] and boxes for 4420 priors.
 * The prior-box decoding (centre offsets × variance 0.1, exp(size × 0.2)) is part of the exported
 * graph: `boxes` already holds corners (x1, y1, x2, y2) relative to the input canvas, so only a
 * threshold, NMS and the mapping back to the image remain. No keypoints.
 *
 * The image is letterboxed to 4:3 (the net's canvas) instead of stretched, so faces keep their
 * shape. Tight crops where the face fills the frame are retried with wider margins, as BlazeFace
 * does; its score swings with the margin on small, heavily compressed crops, so a third, widest
 * margin and then an intermediate one are tried too (on LFW's registry-style crops they recover the
 * last four faces; these fallbacks run only when the earlier margins found nothing). No small-face pass: the smallest prior (10 px of 320) already reaches smaller faces than
 * BlazeFace's 256-px input, and on the development group photos it finds every face BlazeFace does.
 */
import type { RgbImage } from '../decode.ts';
import { detectWithMargins, type Detection, type FaceDetector } from '../components.ts';
import { fromCanvas, letterboxTensor, type CanvasPlacement } from '../letterbox.ts';
import { nonMaxSuppression } from '../nms.ts';
import type { ModelSession } from '../sessions.ts';

const WIDTH = 320;
const HEIGHT = 240;
const NORMALISE = { layout: 'NCHW' as const, channelOrder: 'RGB' as const, mean: [127, 127, 127], std: [128, 128, 128] };

export interface FacepluginDetectorOptions {
  /** Face probability a prior needs (the publisher's demo uses 0.65). */
  scoreThreshold?: number;
  iouThreshold?: number;
  /** Letterbox margins tried in turn until a face is found: plain fit first, then padded. */
  margins?: number[];
}

export class FacepluginDetector implements FaceDetector {
  readonly name = 'fr_detect';
  constructor(
    private readonly model: ModelSession,
    private readonly options: FacepluginDetectorOptions = {},
  ) {}

  detect(image: RgbImage): Promise<Detection[]> {
    return detectWithMargins(this.options.margins ?? [0.05, 0.2, 0.3, 0.15], (margin) => this.detectAt(image, margin));
  }

  private async detectAt(image: RgbImage, margin: number): Promise<Detection[]> {
    const { tensor, placement } = await letterboxTensor(image, WIDTH, HEIGHT, margin, NORMALISE);
    const out = await this.model.run(tensor, [1, 3, HEIGHT, WIDTH]);
    return this.decode(out.scores!.data as Float32Array, out.boxes!.data as Float32Array, placement);
  }

  private decode(scores: Float32Array, boxes: Float32Array, lb: CanvasPlacement): Detection[] {
    const threshold = this.options.scoreThreshold ?? 0.65;
    const found: Detection[] = [];
    for (let i = 0; i < scores.length / 2; i++) {
      const score = scores[2 * i + 1]!;
      if (score < threshold) continue;
      const tl = fromCanvas(lb, { x: boxes[4 * i]! * lb.width, y: boxes[4 * i + 1]! * lb.height });
      const br = fromCanvas(lb, { x: boxes[4 * i + 2]! * lb.width, y: boxes[4 * i + 3]! * lb.height });
      if (br.x <= tl.x || br.y <= tl.y) continue;
      found.push({ box: { x: tl.x, y: tl.y, width: br.x - tl.x, height: br.y - tl.y }, score });
    }
    return nonMaxSuppression(found, this.options.iouThreshold ?? 0.3);
  }
}
