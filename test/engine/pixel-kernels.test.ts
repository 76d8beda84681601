/**
 * The hand-optimised pixel loops against straight reference implementations of the same
 * definitions: the fast versions must compute the same values, within float rounding.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { invertSimilarity, warpSimilarity, type Similarity } from '../../src/engine/align.ts';
import type { RgbImage } from '../../src/engine/decode.ts';
import { letterboxTensor, toTensor, type TensorSpec } from '../../src/engine/letterbox.ts';

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function noiseImage(width: number, height: number, rand: () => number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(rand() * 256);
  return { data, width, height };
}

/** Bilinear sample with edge replication, one output pixel averaged over a taps × taps grid. */
function referenceWarp(image: RgbImage, t: Similarity, width: number, height: number): Float64Array {
  const inv = invertSimilarity(t);
  const { data, width: W, height: H } = image;
  const px = (x: number, y: number, c: number) => data[(y * W + x) * 3 + c]!;
  const bilinear = (x: number, y: number, c: number) => {
    x = Math.min(Math.max(x, 0), W - 1);
    y = Math.min(Math.max(y, 0), H - 1);
    const x0 = Math.floor(x), y0 = Math.floor(y);
    const x1 = Math.min(x0 + 1, W - 1), y1 = Math.min(y0 + 1, H - 1);
    const fx = x - x0, fy = y - y0;
    const top = px(x0, y0, c) * (1 - fx) + px(x1, y0, c) * fx;
    const bottom = px(x0, y1, c) * (1 - fx) + px(x1, y1, c) * fx;
    return top * (1 - fy) + bottom * fy;
  };
  const scale = Math.hypot(t.a, t.b);
  const taps = scale < 0.5 ? Math.min(4, Math.ceil(1 / scale / 2)) : 1;
  const out = new Float64Array(width * height * 3);
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let j = 0; j < taps; j++) {
          for (let i = 0; i < taps; i++) {
            const ou = u + (i + 0.5) / taps - 0.5, ov = v + (j + 0.5) / taps - 0.5;
            sum += bilinear(inv.a * ou - inv.b * ov + inv.tx, inv.b * ou + inv.a * ov + inv.ty, c);
          }
        }
        out[(v * width + u) * 3 + c] = sum / (taps * taps);
      }
    }
  }
  return out;
}

function referenceTensor(rgb: ArrayLike<number>, width: number, height: number, spec: TensorSpec): Float64Array {
  const plane = width * height;
  const out = new Float64Array(plane * 3);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      const source = spec.channelOrder === 'RGB' ? c : 2 - c;
      const v = (rgb[i * 3 + source]! - spec.mean[c]!) / spec.std[c]!;
      out[spec.layout === 'NCHW' ? c * plane + i : i * 3 + c] = v;
    }
  }
  return out;
}

function largestDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** scale · rotation(angle) about the source point (cx, cy), which lands on the output centre. */
function transformAbout(scale: number, angle: number, cx: number, cy: number, outW: number, outH: number): Similarity {
  const a = scale * Math.cos(angle), b = scale * Math.sin(angle);
  return { a, b, tx: outW / 2 - (a * cx - b * cy), ty: outH / 2 - (b * cx + a * cy) };
}

describe('warpSimilarity', () => {
  const rand = random(13);
  const image = noiseImage(97, 61, rand);
  // Upscaling, near 1:1, and shrinking by 2.5×, 5× and 12× (2, 3 and 4 box-filter taps per axis).
  const cases: Array<[string, Similarity, number, number]> = [
    ['upscale, rotated', transformAbout(2.7, 0.4, 40, 30, 64, 64), 64, 64],
    ['1:1, rotated by 30°', transformAbout(1, Math.PI / 6, 50, 31, 112, 112), 112, 112],
    ['shrink 2.5×, rotated', transformAbout(0.4, -0.7, 48, 30, 40, 24), 40, 24],
    ['shrink 5×', transformAbout(0.2, 0.1, 48, 30, 20, 16), 20, 16],
    ['shrink 12×, mostly outside the image', transformAbout(1 / 12, 2.5, 5, 58, 9, 7), 9, 7],
    ['mostly outside the image (edge replication)', transformAbout(1.3, 1.2, -20, 70, 48, 48), 48, 48],
  ];
  for (const [name, t, w, h] of cases) {
    it(`matches the reference implementation: ${name}`, () => {
      const fast = warpSimilarity(image, t, w, h);
      expect(largestDifference(fast, referenceWarp(image, t, w, h))).toBeLessThan(1e-4);
    });
  }

  it('replicates the edge pixels outside the source', () => {
    const flat = { data: new Uint8Array(5 * 4 * 3), width: 5, height: 4 };
    for (let y = 0; y < 4; y++) for (let x = 0; x < 5; x++) flat.data.set([x * 50, y * 60, 7], (y * 5 + x) * 3);
    // Shifted so that output column 0 and row 0 read source (−10, −10): the top-left pixel.
    const out = warpSimilarity(flat, { a: 1, b: 0, tx: 10, ty: 10 }, 20, 20);
    expect(Array.from(out.subarray(0, 3))).toEqual([0, 0, 7]);
    // Output (19, 19) reads source (9, 9), beyond the bottom-right pixel (4, 3).
    expect(Array.from(out.subarray((19 * 20 + 19) * 3, (19 * 20 + 19) * 3 + 3))).toEqual([200, 180, 7]);
  });
});

describe('toTensor', () => {
  const rand = random(7);
  const width = 13, height = 9;
  const bytes = noiseImage(width, height, rand).data;
  const floats = Float32Array.from(bytes, (v) => v + rand());
  const specs: TensorSpec[] = [
    { layout: 'NCHW', channelOrder: 'RGB', mean: [127, 127, 127], std: [128, 128, 128] },
    { layout: 'NCHW', channelOrder: 'BGR', mean: [0, 10, 20], std: [1, 2, 3] },
    { layout: 'NHWC', channelOrder: 'RGB', mean: [127.5, 127.5, 127.5], std: [127.5, 127.5, 127.5] },
    { layout: 'NHWC', channelOrder: 'BGR', mean: [104, 117, 123], std: [58, 57, 59] },
  ];
  for (const spec of specs) {
    it(`matches the reference packing: ${spec.layout} ${spec.channelOrder}`, () => {
      for (const rgb of [bytes, floats]) {
        expect(largestDifference(toTensor(rgb, width, height, spec), referenceTensor(rgb, width, height, spec))).toBeLessThan(1e-5);
      }
    });
  }

  it('writes at the offset into a larger batch and leaves the rest alone', () => {
    const spec = specs[1]!;
    const plane = width * height * 3;
    const batch = new Float32Array(plane * 3).fill(-99);
    toTensor(bytes, width, height, spec, batch, plane);
    expect(batch[plane - 1]).toBe(-99);
    expect(batch[2 * plane]).toBe(-99);
    expect(largestDifference(batch.subarray(plane, 2 * plane), referenceTensor(bytes, width, height, spec))).toBeLessThan(1e-5);
  });
});

describe('letterboxTensor', () => {
  const rand = random(21);
  /** The canvas as sharp pads it (resize, then extend with the fill colour), packed by the reference. */
  async function referenceCanvas(image: RgbImage, width: number, height: number, w: number, h: number, left: number, top: number, spec: TensorSpec, fill: number) {
    const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
      .resize(w, h, { fit: 'fill', kernel: w < image.width ? 'lanczos3' : 'cubic' })
      .extend({ left, top, right: width - w - left, bottom: height - h - top, background: { r: fill, g: fill, b: fill } })
      .raw()
      .toBuffer();
    return referenceTensor(data, width, height, spec);
  }
  const cases: Array<[string, RgbImage, number, number, number, TensorSpec, number]> = [
    ['a wide photo shrunk onto 4:3, NCHW', noiseImage(97, 61, rand), 32, 24, 0.05, { layout: 'NCHW', channelOrder: 'RGB', mean: [127, 127, 127], std: [128, 128, 128] }, 0],
    ['a tall crop enlarged onto a square, NHWC', noiseImage(12, 17, rand), 40, 40, 0.2, { layout: 'NHWC', channelOrder: 'RGB', mean: [127.5, 127.5, 127.5], std: [127.5, 127.5, 127.5] }, 0],
    ['BGR with a grey fill', noiseImage(30, 30, rand), 48, 36, 0.1, { layout: 'NCHW', channelOrder: 'BGR', mean: [0, 0, 0], std: [1, 1, 1] }, 128],
  ];
  for (const [name, image, width, height, margin, spec, fill] of cases) {
    it(`equals sharp's padded canvas, packed: ${name}`, async () => {
      const { tensor, placement } = await letterboxTensor(image, width, height, margin, spec, fill);
      const w = Math.round(image.width * placement.scale), h = Math.round(image.height * placement.scale);
      // The image fits the inner canvas, centred.
      expect(Math.max(w / Math.round(width * (1 - 2 * margin)), h / Math.round(height * (1 - 2 * margin)))).toBeCloseTo(1, 1);
      expect(placement.offsetX).toBe(Math.floor((width - w) / 2));
      expect(placement.offsetY).toBe(Math.floor((height - h) / 2));
      const reference = await referenceCanvas(image, width, height, w, h, placement.offsetX, placement.offsetY, spec, fill);
      expect(largestDifference(tensor, reference)).toBeLessThan(1e-5);
    });
  }
});
