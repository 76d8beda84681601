/** The registry-style degradation: deterministic per image, within its documented ranges. */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { cropRect, degradeToRegistryStyle, drawDegradation, REGISTRY_STYLE } from '../../src/eval/registry-style.ts';

const within = (v: number, [lo, hi]: [number, number]) => v >= lo && v <= hi;

describe('drawDegradation', () => {
  it('is a function of (seed, image key) only, and stays within the documented ranges', () => {
    expect(drawDegradation(13, 'Abel_Pacheco/Abel_Pacheco_0004.jpg')).toEqual(drawDegradation(13, 'Abel_Pacheco/Abel_Pacheco_0004.jpg'));
    expect(drawDegradation(13, 'a.jpg')).not.toEqual(drawDegradation(14, 'a.jpg'));
    const draws = Array.from({ length: 2000 }, (_, i) => drawDegradation(13, `person/${i}.jpg`));
    for (const d of draws) {
      expect(within(d.cropScale, REGISTRY_STYLE.cropScale) && within(d.aspect, REGISTRY_STYLE.aspect)).toBe(true);
      expect(Math.abs(d.shiftX) <= REGISTRY_STYLE.shift && Math.abs(d.shiftY) <= REGISTRY_STYLE.shift).toBe(true);
      expect(Number.isInteger(d.widthPx) && within(d.widthPx, REGISTRY_STYLE.widthPx)).toBe(true);
      expect(Number.isInteger(d.jpegQuality) && within(d.jpegQuality, REGISTRY_STYLE.jpegQuality)).toBe(true);
    }
    const grey = draws.filter((d) => d.greyscale).length / draws.length;
    expect(grey).toBeGreaterThan(0.26);
    expect(grey).toBeLessThan(0.34);
    // Both ends of the integer ranges are drawn.
    expect(new Set(draws.map((d) => d.widthPx))).toEqual(new Set(Array.from({ length: 51 }, (_, i) => 80 + i)));
  });
});

describe('cropRect', () => {
  const draw = { cropScale: 1.3, aspect: 1.2, shiftX: 0, shiftY: 0, widthPx: 100, greyscale: false, jpegQuality: 30 };
  it('is a box around the face, as wide as the face box times the crop scale', () => {
    expect(cropRect({ x: 100, y: 100, width: 100, height: 100 }, 400, 400, draw)).toEqual({ left: 85, top: 72, width: 130, height: 156 });
  });
  it('is clipped to the image', () => {
    const r = cropRect({ x: -20, y: 350, width: 100, height: 100 }, 400, 400, draw);
    expect(r.left).toBe(0);
    expect(r.top + r.height).toBe(400);
  });
});

describe('degradeToRegistryStyle', () => {
  const photo = async () => new Uint8Array(await sharp({ create: { width: 400, height: 300, channels: 3, background: { r: 180, g: 120, b: 90 } } }).png().toBuffer());
  it('writes a JPEG of the drawn width, one channel when greyscale', async () => {
    const face = { x: 150, y: 80, width: 100, height: 120 };
    for (const greyscale of [false, true]) {
      const out = await degradeToRegistryStyle(await photo(), face, { cropScale: 1.3, aspect: 1.2, shiftX: 0.05, shiftY: -0.05, widthPx: 96, greyscale, jpegQuality: 25 });
      const meta = await sharp(out).metadata();
      expect(meta.format).toBe('jpeg');
      expect(meta.width).toBe(96);
      expect(meta.height).toBe(Math.round(96 * 1.2));
      expect(meta.channels).toBe(greyscale ? 1 : 3);
    }
  });
});
