import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { bytesFromInput, decodeImage } from '../../src/engine/decode.ts';
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
