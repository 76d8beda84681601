/** Greyscale embedding: the copy carries Rec. 601 luma in all three channels and keeps the rest of the image. */
import { describe, expect, it } from 'vitest';
import { greyscaleCopy } from '../../src/engine/engine.ts';

describe('greyscaleCopy', () => {
  it('sets each pixel to its luma and leaves the source untouched', () => {
    const image = { data: Uint8Array.of(255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30), width: 2, height: 2, scale: 1 };
    const grey = greyscaleCopy(image);
    expect(Array.from(grey.data)).toEqual([76, 76, 76, 150, 150, 150, 29, 29, 29, 18, 18, 18]);
    expect(grey.scale).toBe(1);
    expect(image.data[0]).toBe(255);
  });
  it('is the identity on an image that is already grey', () => {
    const image = { data: Uint8Array.of(0, 0, 0, 128, 128, 128, 255, 255, 255), width: 3, height: 1 };
    expect(greyscaleCopy(image).data).toEqual(image.data);
  });
});
