import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { bytesFromInput, decodeImage, decodePixels, readImageHeader, type DecodedImage } from '../../src/engine/decode.ts';
import { decodeWorking, previewRequest, rescaleDetections } from '../../src/engine/working-image.ts';
import { EngineError } from '../../src/engine/types.ts';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (err) {
    if (err instanceof EngineError) return err.code;
    throw err;
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A small PNG whose header claims 60000×60000 pixels: the shape of a decompression bomb. */
async function pngBomb(): Promise<Buffer> {
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } }).png().toBuffer();
  const out = Buffer.from(png);
  out.writeUInt32BE(60000, 16);
  out.writeUInt32BE(60000, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
  return out;
}

const grey = (format: 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff', width = 64, height = 48) =>
  sharp({ create: { width, height, channels: 3, background: { r: 90, g: 120, b: 200 } } }).toFormat(format).toBuffer();

describe('image decoding', () => {
  it('decodes JPEG, PNG and WebP from bytes, raw base64 and data URLs', async () => {
    for (const format of ['jpeg', 'png', 'webp'] as const) {
      const bytes = await grey(format);
      for (const input of [bytes, bytes.toString('base64'), `data:image/${format};base64,${bytes.toString('base64')}`]) {
        const img = await decodeImage(input);
        expect([img.width, img.height, img.format]).toEqual([64, 48, format]);
        expect(img.data.length).toBe(64 * 48 * 3);
      }
    }
  });

  it('accepts base64 with line breaks and URL-safe base64', async () => {
    const b64 = (await grey('png')).toString('base64');
    expect((await decodeImage(b64.replace(/(.{60})/g, '$1\n'))).width).toBe(64);
    expect((await decodeImage(Buffer.from(b64, 'base64').toString('base64url'))).width).toBe(64);
  });

  it('applies EXIF orientation and removes alpha', async () => {
    const rotated = await sharp(await grey('jpeg', 80, 40)).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const img = await decodeImage(rotated);
    expect([img.width, img.height]).toEqual([40, 80]);
    const rgba = await sharp({ create: { width: 20, height: 20, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    const flat = await decodeImage(rgba);
    expect(flat.data.length).toBe(20 * 20 * 3);
    expect(flat.data[0]).toBe(255); // transparent → white, not black
  });

  it('gives a distinct typed error for each kind of bad input', async () => {
    expect(await codeOf(decodeImage('this is not base64 at all!'))).toBe('INVALID_BASE64');
    expect(await codeOf(decodeImage('data:image/png,rawtext'))).toBe('INVALID_BASE64');
    expect(await codeOf(decodeImage(''))).toBe('INVALID_BASE64');
    expect(await codeOf(decodeImage(Buffer.from('hello world, plainly text').toString('base64')))).toBe('NOT_AN_IMAGE');
    expect(await codeOf(decodeImage(await grey('gif')))).toBe('UNSUPPORTED_FORMAT');
    expect(await codeOf(decodeImage(await grey('tiff')))).toBe('UNSUPPORTED_FORMAT');
    const jpeg = await grey('jpeg', 400, 300);
    expect(await codeOf(decodeImage(jpeg.subarray(0, Math.floor(jpeg.length / 2))))).toBe('NOT_AN_IMAGE');
    expect(await codeOf(decodeImage(await pngBomb()))).toBe('IMAGE_TOO_LARGE');
    expect(await codeOf(decodeImage(jpeg, { maxBytes: 100, maxPixels: 1e6 }))).toBe('IMAGE_TOO_LARGE');
    expect(() => bytesFromInput('A'.repeat(20_000_000))).toThrow(/larger than/);
  });

  it('shrinks large images on load and reports the scale', async () => {
    const img = await decodeImage(await grey('jpeg', 3000, 2000), { maxBytes: 10e6, maxPixels: 40e6, maxSide: 1000 });
    expect(img.width).toBe(1000);
    expect(img.originalWidth).toBe(3000);
    expect(img.scale).toBeCloseTo(3);
  });
});

/** A baseline JPEG whose red channel encodes x / 16 and green y / 16, so every pixel tells where it came from. */
async function gridJpeg(width: number, height: number, options: { progressive?: boolean } = {}): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = Math.min(255, Math.floor(x / 16));
      raw[i + 1] = Math.min(255, Math.floor(y / 16));
      raw[i + 2] = 128;
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 95, chromaSubsampling: '4:4:4', progressive: options.progressive ?? false }).toBuffer();
}

/** The original position a decoded pixel reports through its colour, against where scale + offset say it is. */
function positionError(img: DecodedImage, x: number, y: number): number {
  const i = (y * img.width + x) * 3;
  const ox = (x + 0.5) * img.scale + img.offsetX;
  const oy = (y + 0.5) * img.scale + img.offsetY;
  return Math.max(Math.abs(img.data[i]! * 16 + 8 - ox), Math.abs(img.data[i + 1]! * 16 + 8 - oy));
}

describe('face-scaled decoding', () => {
  const limits = { maxBytes: 10e6, maxPixels: 40e6, maxSide: 1600 };

  it('previews only baseline JPEGs large enough to shrink while decoding', async () => {
    expect(previewRequest(await readImageHeader(await gridJpeg(3200, 2400)))).toEqual({ shrink: 5 });
    expect(previewRequest(await readImageHeader(await gridJpeg(2400, 1800)))).toBeUndefined();
    expect(previewRequest(await readImageHeader(await gridJpeg(3200, 2400, { progressive: true })))).toBeUndefined();
    expect(previewRequest(await readImageHeader(await grey('png', 3200, 2400)))).toBeUndefined();
    expect(previewRequest(await readImageHeader(await grey('webp', 3200, 2400)))).toBeUndefined();
  });

  it('decodes a preview and a region whose pixels map back to the original through scale and offset', async () => {
    const header = await readImageHeader(await gridJpeg(3200, 2400), limits);
    const preview = await decodePixels(header, limits, previewRequest(header));
    expect([preview.width, preview.height, preview.scale, preview.offsetX]).toEqual([640, 480, 5, 0]);
    const region = await decodePixels(header, limits, { shrink: 2, region: { x: 1000, y: 600, width: 500, height: 400 } });
    expect([region.width, region.height, region.scale, region.offsetX, region.offsetY]).toEqual([250, 200, 2, 1000, 600]);
    for (const img of [preview, region]) {
      for (const [x, y] of [[3, 5], [img.width - 4, img.height - 6], [Math.floor(img.width / 2), Math.floor(img.height / 3)]] as const) {
        expect(positionError(img, x, y)).toBeLessThan(40);
      }
    }
  });

  it('keeps the maxSide cap and clamps regions to the image', async () => {
    const header = await readImageHeader(await gridJpeg(2400, 1800), limits);
    const capped = await decodePixels(header, limits, { shrink: 1 });
    expect([capped.width, capped.height]).toEqual([1600, 1200]);
    const edge = await decodePixels(header, limits, { shrink: 1.5, region: { x: -300, y: 1500, width: 800, height: 900 } });
    expect([edge.offsetX, edge.width, edge.offsetY + edge.height * edge.scale]).toEqual([0, 334, 1800]);
    expect(positionError(edge, edge.width - 2, edge.height - 2)).toBeLessThan(40);
  });

  it('decodes the working image around the faces, at the size the primary face needs', async () => {
    const header = await readImageHeader(await gridJpeg(3200, 2400), limits);
    const preview = await decodePixels(header, limits, previewRequest(header));
    // A 448-px face (90 px in the preview) at (1600, 800) in the original.
    const found = [{ box: { x: 320, y: 160, width: 89.6, height: 89.6 }, score: 0.9, keypoints: [{ x: 340, y: 190 }] }];
    const work = await decodeWorking(header, limits, preview, found);
    expect(work.scale).toBeCloseTo(2, 2); // 448 px → 224 px
    expect(work.offsetX).toBeCloseTo(1600 - 448, -1);
    expect(work.width * work.scale).toBeCloseTo(3 * 448, -1);
    const [moved] = rescaleDetections(found, preview, work);
    expect(moved!.box.width).toBeCloseTo(224, 0);
    expect(moved!.box.x * work.scale + work.offsetX).toBeCloseTo(1600, 0);
    expect(moved!.keypoints![0]!.y * work.scale + work.offsetY).toBeCloseTo(950, 0);
    // A face already large in the preview needs no second decode.
    const big = [{ box: { x: 100, y: 100, width: 300, height: 300 }, score: 0.9 }];
    expect(await decodeWorking(header, limits, preview, big)).toBe(preview);
  });

  it('gives the same typed errors on the two-step path', async () => {
    const jpeg = await gridJpeg(3200, 2400);
    expect(await codeOf(readImageHeader(jpeg, { maxBytes: 100, maxPixels: 1e8 }))).toBe('IMAGE_TOO_LARGE');
    expect(await codeOf(readImageHeader(jpeg, { maxBytes: 10e6, maxPixels: 5e6 }))).toBe('IMAGE_TOO_LARGE');
    // The header survives truncation; the preview, which always reads the whole file, does not.
    const header = await readImageHeader(jpeg.subarray(0, Math.floor(jpeg.length * 0.9)), limits);
    expect(await codeOf(decodePixels(header, limits, previewRequest(header)))).toBe('NOT_AN_IMAGE');
  });
});
