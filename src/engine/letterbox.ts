/**
 * Letterboxing for detectors: the image is scaled to fit the detector's canvas (square, or e.g.
 * 4:3), centred, keeping its aspect ratio, with an extra margin around it. Faces that fill a tight crop then keep some background around them, which is
 * what single-shot detectors were trained on.
 */
import sharp from 'sharp';
import type { RgbImage } from './decode.ts';
import type { Point } from './types.ts';

export interface Letterboxed {
  /** width × height × 3 RGB. */
  data: Uint8Array;
  width: number;
  height: number;
  /** canvas = image × scale + offset */
  scale: number;
  offsetX: number;
  offsetY: number;
}

/** A square canvas; `margin` is the share of the canvas side left free on each side (0 = plain fit). */
export function letterbox(image: RgbImage, size: number, margin = 0, fill = 0): Promise<Letterboxed> {
  return letterboxTo(image, size, size, margin, fill);
}

/** A width × height canvas; `margin` is the share of each canvas side left free on each side. */
export async function letterboxTo(image: RgbImage, width: number, height: number, margin = 0, fill = 0): Promise<Letterboxed> {
  const innerW = Math.max(1, Math.round(width * (1 - 2 * margin)));
  const innerH = Math.max(1, Math.round(height * (1 - 2 * margin)));
  const scale = Math.min(innerW / image.width, innerH / image.height);
  const w = Math.max(1, Math.round(image.width * scale));
  const h = Math.max(1, Math.round(image.height * scale));
  const left = Math.floor((width - w) / 2);
  const top = Math.floor((height - h) / 2);
  const { data } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(w, h, { fit: 'fill', kernel: scale < 1 ? 'lanczos3' : 'cubic' })
    .extend({ left, top, right: width - w - left, bottom: height - h - top, background: { r: fill, g: fill, b: fill } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height, scale: w / image.width, offsetX: left, offsetY: top };
}

export function fromCanvas(lb: Letterboxed, p: Point): Point {
  return { x: (p.x - lb.offsetX) / lb.scale, y: (p.y - lb.offsetY) / lb.scale };
}

export interface TensorSpec {
  layout: 'NHWC' | 'NCHW';
  channelOrder: 'RGB' | 'BGR';
  mean: number[];
  std: number[];
}

/** Packs interleaved RGB into a float tensor, in the layout and channel order a model wants. */
export function toTensor(
  rgb: Uint8Array | Float32Array,
  width: number,
  height: number,
  spec: TensorSpec,
  out = new Float32Array(width * height * 3),
  offset = 0,
): Float32Array {
  const plane = width * height;
  // Source channel, mean and reciprocal std of each tensor channel, hoisted out of the pixel loop.
  const [s0, s1, s2] = spec.channelOrder === 'RGB' ? [0, 1, 2] : [2, 1, 0];
  const m0 = spec.mean[0]!, m1 = spec.mean[1]!, m2 = spec.mean[2]!;
  const k0 = 1 / spec.std[0]!, k1 = 1 / spec.std[1]!, k2 = 1 / spec.std[2]!;
  if (spec.layout === 'NCHW') {
    const p1 = offset + plane, p2 = offset + 2 * plane;
    for (let i = 0, s = 0; i < plane; i++, s += 3) {
      out[offset + i] = (rgb[s + s0]! - m0) * k0;
      out[p1 + i] = (rgb[s + s1]! - m1) * k1;
      out[p2 + i] = (rgb[s + s2]! - m2) * k2;
    }
  } else {
    for (let s = 0, o = offset; s < plane * 3; s += 3, o += 3) {
      out[o] = (rgb[s + s0]! - m0) * k0;
      out[o + 1] = (rgb[s + s1]! - m1) * k1;
      out[o + 2] = (rgb[s + s2]! - m2) * k2;
    }
  }
  return out;
}
