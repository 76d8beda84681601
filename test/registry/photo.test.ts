import { describe, expect, it } from 'vitest';
import { decodePhoto, sniffMediaType } from '../../src/registry/photo.ts';
import { RegistryError } from '../../src/registry/types.ts';
import { notAnImage, syntheticJpeg } from '../../mocks/fixtures.ts';

const jpeg = syntheticJpeg();
const b64 = Buffer.from(jpeg).toString('base64');

function kindOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof RegistryError) return err.kind;
    throw err;
  }
  return 'OK';
}

describe('sniffMediaType', () => {
  it('recognises JPEG, PNG, WebP, JPEG 2000 codestream and JP2 box', () => {
    expect(sniffMediaType(jpeg)).toBe('image/jpeg');
    expect(sniffMediaType(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffMediaType(new Uint8Array(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1')))).toBe('image/webp');
    expect(sniffMediaType(Uint8Array.from([0xff, 0x4f, 0xff, 0x51, 0, 0]))).toBe('image/jp2');
    expect(sniffMediaType(Uint8Array.from([0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a]))).toBe('image/jp2');
    expect(sniffMediaType(notAnImage())).toBeUndefined();
    expect(sniffMediaType(new Uint8Array(0))).toBeUndefined();
  });
});

describe('decodePhoto', () => {
  it('decodes bare base64, data URLs, line-wrapped base64 and JSON byte arrays to the same bytes', () => {
    const variants: unknown[] = [
      b64,
      `data:image/jpeg;base64,${b64}`,
      `data:image/png;base64,${b64}`, // declared type is ignored; bytes are sniffed
      b64.replace(/.{76}/g, '$&\r\n'),
      Array.from(jpeg, (v) => (v > 127 ? v - 256 : v)), // Java signed bytes
      Array.from(jpeg),
      JSON.stringify(Array.from(jpeg)),
      jpeg,
    ];
    for (const v of variants) {
      const photo = decodePhoto(v);
      expect(photo.mediaType).toBe('image/jpeg');
      expect(Buffer.from(photo.bytes).equals(Buffer.from(jpeg))).toBe(true);
    }
  });

  it('empty values → PHOTO_MISSING', () => {
    for (const v of [null, undefined, '', '   ', [], new Uint8Array(0)]) expect(kindOf(() => decodePhoto(v))).toBe('PHOTO_MISSING');
  });

  it('non-images, bad base64, truncation and oversize → MALFORMED', () => {
    expect(kindOf(() => decodePhoto(Buffer.from(notAnImage()).toString('base64')))).toBe('PHOTO_UNUSABLE');
    expect(kindOf(() => decodePhoto('this is not base64!'))).toBe('PHOTO_UNUSABLE');
    expect(kindOf(() => decodePhoto(b64.slice(0, 201)))).toBe('PHOTO_UNUSABLE'); // truncated quantum
    expect(kindOf(() => decodePhoto(b64.slice(0, 200)))).toBe('PHOTO_UNUSABLE'); // truncated JPEG (no EOI)
    expect(kindOf(() => decodePhoto([1, 2, 300]))).toBe('PHOTO_UNUSABLE');
    expect(kindOf(() => decodePhoto({ photo: b64 }))).toBe('PHOTO_UNUSABLE');
    expect(kindOf(() => decodePhoto('data:image/jpeg,notbase64'))).toBe('PHOTO_UNUSABLE');
    expect(kindOf(() => decodePhoto(b64, { maxBytes: 100 }))).toBe('PHOTO_UNUSABLE');
    expect(kindOf(() => decodePhoto(b64, { maxBytes: jpeg.length }))).toBe('OK');
  });
});
