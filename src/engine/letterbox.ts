/**
 * Letterboxing for detectors: the image is scaled to fit the detector's canvas (square, or e.g.
 * 4:3), centred, keeping its aspect ratio, with an extra margin around it. Faces that fill a tight crop then keep some background around them, which is
 * what single-shot detectors were trained on. Also the packing of RGB pixels into model input tensors.
 */
import sharp from 'sharp';
import type { RgbImage } from './decode.ts';
import type { Point } from './types.ts';

/** Where the image lies on a detector canvas: canvas = image × scale + offset. */
export interface CanvasPlacement {
  width: number;
  height: number;
  scale: number;
  offsetX: number;
  offsetY: number;
}

export interface TensorSpec {
  layout: 'NHWC' | 'NCHW';
  channelOrder: 'RGB' | 'BGR';
  mean: number[];
  std: number[];
}

/**
 * The image letterboxed onto a width × height canvas (`margin`: the share of each canvas side left
 * free on each side; 0 = plain fit), as a model input tensor. sharp resizes; the resized pixels are
 * normalised straight into their place on the canvas and the border is the normalised `fill`, so
 * there is no padded copy and no second packing pass.
 */
export async function letterboxTensor(
  image: RgbImage,
  width: number,
  height: number,
  margin: number,
  spec: TensorSpec,
  fill = 0,
): Promise<{ tensor: Float32Array; placement: CanvasPlacement }> {
  const innerW = Math.max(1, Math.round(width * (1 - 2 * margin)));
  const innerH = Math.max(1, Math.round(height * (1 - 2 * margin)));
  const fit = Math.min(innerW / image.width, innerH / image.height);
  const w = Math.max(1, Math.round(image.width * fit));
  const h = Math.max(1, Math.round(image.height * fit));
  const left = Math.floor((width - w) / 2);
  const top = Math.floor((height - h) / 2);
  const { data } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(w, h, { fit: 'fill', kernel: fit < 1 ? 'lanczos3' : 'cubic' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const tensor = new Float32Array(width * height * 3);
  const plane = width * height;
  for (let c = 0; c < 3; c++) {
    const value = (fill - spec.mean[c]!) * (1 / spec.std[c]!);
    if (spec.layout === 'NCHW') tensor.fill(value, c * plane, (c + 1) * plane);
    else for (let i = c; i < tensor.length; i += 3) tensor[i] = value;
  }
  pack(data, w, h, spec, tensor, { offset: 0, canvasWidth: width, plane, left, top });
  return { tensor, placement: { width, height, scale: w / image.width, offsetX: left, offsetY: top } };
}

export function fromCanvas(lb: CanvasPlacement, p: Point): Point {
  return { x: (p.x - lb.offsetX) / lb.scale, y: (p.y - lb.offsetY) / lb.scale };
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
  pack(rgb, width, height, spec, out, { offset, canvasWidth: width, plane: width * height, left: 0, top: 0 });
  return out;
}

/**
 * Packs a w×h interleaved RGB image into a tensor whose image starts at element `offset`, is
 * `canvasWidth` pixels wide with `plane` pixels per channel, at column `left` and row `top`.
 */
function pack(
  rgb: Uint8Array | Float32Array,
  w: number,
  h: number,
  spec: TensorSpec,
  out: Float32Array,
  at: { offset: number; canvasWidth: number; plane: number; left: number; top: number },
): void {
  // Source channel, mean and reciprocal std of each tensor channel, hoisted out of the pixel loop.
  const [s0, s1, s2] = spec.channelOrder === 'RGB' ? [0, 1, 2] : [2, 1, 0];
  const m0 = spec.mean[0]!, m1 = spec.mean[1]!, m2 = spec.mean[2]!;
  const k0 = 1 / spec.std[0]!, k1 = 1 / spec.std[1]!, k2 = 1 / spec.std[2]!;
  const nchw = spec.layout === 'NCHW';
  for (let y = 0, s = 0; y < h; y++) {
    const pixel = at.offset + (at.top + y) * at.canvasWidth + at.left;
    if (nchw) {
      const p1 = pixel + at.plane, p2 = pixel + 2 * at.plane;
      for (let x = 0; x < w; x++, s += 3) {
        out[pixel + x] = (rgb[s + s0]! - m0) * k0;
        out[p1 + x] = (rgb[s + s1]! - m1) * k1;
        out[p2 + x] = (rgb[s + s2]! - m2) * k2;
      }
    } else {
      for (let x = 0, o = at.offset + ((at.top + y) * at.canvasWidth + at.left) * 3; x < w; x++, s += 3, o += 3) {
        out[o] = (rgb[s + s0]! - m0) * k0;
        out[o + 1] = (rgb[s + s1]! - m1) * k1;
        out[o + 2] = (rgb[s + s2]! - m2) * k2;
      }
    }
  }
}
