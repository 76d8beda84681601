/**
 * Letterboxing for detectors: the image is scaled to fit a square canvas, centred, with an extra
 * margin around it. Faces that fill a tight crop then keep some background around them, which is
 * what single-shot detectors were trained on.
 */
import sharp from 'sharp';
import type { RgbImage } from './decode.ts';
import type { Point } from './types.ts';

export interface Letterboxed {
  /** size × size × 3 RGB. */
  data: Uint8Array;
  size: number;
  /** canvas = image × scale + offset */
  scale: number;
  offsetX: number;
  offsetY: number;
}

/** `margin` is the share of the canvas side left free on each side (0 = plain fit). */
export async function letterbox(image: RgbImage, size: number, margin = 0, fill = 0): Promise<Letterboxed> {
  const inner = Math.max(1, Math.round(size * (1 - 2 * margin)));
  const scale = Math.min(inner / image.width, inner / image.height);
  const w = Math.max(1, Math.round(image.width * scale));
  const h = Math.max(1, Math.round(image.height * scale));
  const left = Math.floor((size - w) / 2);
  const top = Math.floor((size - h) / 2);
  const { data } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(w, h, { fit: 'fill', kernel: scale < 1 ? 'lanczos3' : 'cubic' })
    .extend({ left, top, right: size - w - left, bottom: size - h - top, background: { r: fill, g: fill, b: fill } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), size, scale: w / image.width, offsetX: left, offsetY: top };
}

export function fromCanvas(lb: Letterboxed, p: Point): Point {
  return { x: (p.x - lb.offsetX) / lb.scale, y: (p.y - lb.offsetY) / lb.scale };
}

/** Packs interleaved RGB into a float tensor, in the layout and channel order a model wants. */
export function toTensor(
  rgb: Uint8Array | Float32Array,
  width: number,
  height: number,
  spec: { layout: 'NHWC' | 'NCHW'; channelOrder: 'RGB' | 'BGR'; mean: number[]; std: number[] },
  out = new Float32Array(width * height * 3),
  offset = 0,
): Float32Array {
  const plane = width * height;
  const order = spec.channelOrder === 'RGB' ? [0, 1, 2] : [2, 1, 0];
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      const v = (rgb[i * 3 + order[c]!]! - spec.mean[c]!) / spec.std[c]!;
      if (spec.layout === 'NHWC') out[offset + i * 3 + c] = v;
      else out[offset + c * plane + i] = v;
    }
  }
  return out;
}
