import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImageHeader } from '../../src/engine/decode.ts';
import type { OnnxFaceEngine } from '../../src/engine/engine.ts';
import { createFaceEngine, createInProcessEngine } from '../../src/engine/index.ts';
import type { ClosableFaceEngine } from '../../src/engine/index.ts';
import { EngineError, type DetectedFace } from '../../src/engine/types.ts';
import { previewRequest } from '../../src/engine/working-image.ts';
import { hasSharedData, sharedImage } from '../support/shared-data.ts';

let engine: ClosableFaceEngine;
beforeAll(async () => {
  engine = await createFaceEngine();
});
afterAll(async () => {
  await engine?.close();
});

describe.runIf(hasSharedData)('face engine on real photos', () => {
  it('finds the face in a tight 150×150 crop and embeds it as a unit vector', async () => {
    const a = await engine.analyze(sharedImage('faces/amy/amy1.png'));
    expect(a.faces).toHaveLength(1);
    expect(a.image).toEqual({ width: 150, height: 150, format: 'png' });
    const norm = Math.hypot(...a.embedding);
    expect(norm).toBeCloseTo(1, 5);
    expect(a.face.landmarks).toHaveLength(68);
    for (const stage of ['decode', 'detect', 'landmarks', 'embed']) expect(a.timings[stage]).toBeGreaterThan(0);
  });

  it('reports every face in a group photo, the primary face first, then by size', async () => {
    const a = await engine.analyze(sharedImage('group/bbt4.jpg'));
    expect(a.faces.length).toBeGreaterThanOrEqual(4);
    const rest = a.faces.slice(1).map((f) => f.box.width * f.box.height);
    expect(rest).toEqual([...rest].sort((x, y) => y - x));
    expect(a.face).toBe(a.faces[0]);
    const largest = Math.max(...a.faces.map((f) => f.box.width * f.box.height));
    expect(a.face.box.width * a.face.box.height).toBeGreaterThanOrEqual(0.7 * largest);
  });

  it('throws NO_FACE for an image without a face', async () => {
    await expect(engine.analyze(sharedImage('edge/no-face-white.png'))).rejects.toMatchObject({ code: 'NO_FACE' });
    await expect(engine.analyze(sharedImage('edge/no-face-white.png'))).rejects.toBeInstanceOf(EngineError);
  });

  it('scores the same person above different people', async () => {
    const [o1, o2, b1] = await Promise.all(['faces/obama/obama1.jpg', 'faces/obama/obama2.jpg', 'faces/biden/biden1.jpg'].map((f) => engine.analyze(sharedImage(f))));
    const same = engine.similarity(o1!.embedding, o2!.embedding);
    const different = engine.similarity(o1!.embedding, b1!.embedding);
    expect(same).toBeGreaterThan(different + 0.05);
  });

  it('corrects a tilted selfie: landmarks in original coordinates, roll measured, embedding kept', async () => {
    const original = sharedImage('faces/obama/obama2.jpg');
    const tilted = await sharp(original).rotate(25, { background: '#808080' }).jpeg().toBuffer();
    const [a, b] = await Promise.all([engine.analyze(original), engine.analyze(tilted)]);
    expect(Math.abs(Math.abs(b.quality.roll - a.quality.roll) - 25)).toBeLessThan(5);
    expect(engine.similarity(a.embedding, b.embedding)).toBeGreaterThan(0.95);
    const box = b.face.box;
    const nose = b.face.landmarks[30]!;
    expect(nose.x).toBeGreaterThan(box.x);
    expect(nose.x).toBeLessThan(box.x + box.width);
  });

  it('measures quality: frontal pose, size in original pixels, exposure', async () => {
    const big = await engine.analyze(sharedImage('edge/obama-1080p.jpg'));
    const small = await engine.analyze(sharedImage('edge/obama-240p.jpg'));
    expect(Math.abs(big.quality.yaw)).toBeLessThan(20);
    expect(big.quality.faceSizePx).toBeGreaterThan(3 * small.quality.faceSizePx);
    expect(big.quality.brightness).toBeGreaterThan(0.1);
    expect(big.quality.brightness).toBeLessThan(0.9);
    expect(small.quality.sharpness).toBeGreaterThan(0);
  });

  it('reports liveness signals and a JPEG crop on request', async () => {
    const a = await engine.analyze(sharedImage('faces/obama/obama1.jpg'), { withLiveness: true, withCrop: true });
    expect(a.liveness!.antispoof).toBeGreaterThanOrEqual(0);
    expect(a.liveness!.antispoof).toBeLessThanOrEqual(1);
    expect(a.liveness!.liveness).toBeGreaterThanOrEqual(0);
    const meta = await sharp(a.crop!).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 224, 224]);
  });

  it('handles an RGBA PNG and a partial face at the border', async () => {
    expect((await engine.analyze(sharedImage('edge/32bit.png'))).faces.length).toBeGreaterThanOrEqual(1);
    expect((await engine.analyze(sharedImage('edge/obama_partial_face.jpg'))).faces.length).toBeGreaterThanOrEqual(1);
  });
});

describe.runIf(hasSharedData)('face-scaled decoding of large photos', () => {
  // `whole` decodes every image once, whole, as the engine did before the two-step path.
  let scaled: OnnxFaceEngine;
  let whole: OnnxFaceEngine;
  // obama3 (1434×2333) enlarged to a 5-megapixel camera-sized baseline JPEG.
  let camera: Buffer;
  beforeAll(async () => {
    [scaled, whole] = await Promise.all([createInProcessEngine({ workers: 0 }), createInProcessEngine({ workers: 0, faceScaledDecode: false })]);
    camera = await sharp(sharedImage('faces/obama/obama3.jpg')).resize({ height: 3500 }).jpeg({ quality: 92 }).toBuffer();
  });
  afterAll(async () => {
    await Promise.all([scaled?.close(), whole?.close()]);
  });

  const takesTwoSteps = async (bytes: Uint8Array) => previewRequest(await readImageHeader(bytes)) !== undefined;
  /** Mean distance between two faces' 68 landmarks, as a share of the first face's box width. */
  const landmarkDiff = (a: DetectedFace, b: DetectedFace) => a.landmarks.reduce((s, p, i) => s + Math.hypot(p.x - b.landmarks[i]!.x, p.y - b.landmarks[i]!.y), 0) / 68 / a.box.width;
  /** Largest corner/size difference of two boxes, as a share of the first box's width. */
  const boxDiff = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
    Math.max(Math.abs(a.x - b.x), Math.abs(a.y - b.y), Math.abs(a.width - b.width), Math.abs(a.height - b.height)) / a.width;

  it('finds the same face and embedding in a large camera JPEG', async () => {
    expect(await takesTwoSteps(camera)).toBe(true);
    const [a, b] = [await scaled.analyze(camera), await whole.analyze(camera)];
    expect(a.image).toEqual(b.image);
    expect(boxDiff(b.face.box, a.face.box)).toBeLessThan(0.03);
    // Measured 0.9999: the working image keeps the face at the resolution the chip needs.
    expect(scaled.similarity(a.embedding, b.embedding)).toBeGreaterThanOrEqual(0.999);
    expect(landmarkDiff(b.face, a.face)).toBeLessThan(0.02);
    expect(Math.abs(a.quality.faceSizePx - b.quality.faceSizePx)).toBeLessThan(0.03 * b.quality.faceSizePx);
  });

  it('leaves small and mid-size images with faces below the resampling size untouched: the identical result', async () => {
    for (const file of ['lfw/images/Aaron_Eckhart/Aaron_Eckhart_0001.jpg', 'faces/amy/amy1.png', 'faces/kit_harington/kit1.jpg', 'faces/obama/obama3.jpg']) {
      const bytes = sharedImage(file);
      expect(await takesTwoSteps(bytes)).toBe(false);
      const [a, b] = [await scaled.analyze(bytes), await whole.analyze(bytes)];
      expect(Array.from(a.embedding)).toEqual(Array.from(b.embedding));
      expect(a.faces).toEqual(b.faces);
    }
  });

  it('resamples the surroundings of a large face once, keeping the face, landmarks and embedding', async () => {
    // biden2 (1200×1200, a 480-px face): decoded once, then the face region shrunk to the working size.
    const bytes = sharedImage('faces/biden/biden2.jpg');
    expect(await takesTwoSteps(bytes)).toBe(false);
    const [a, b] = [await scaled.analyze(bytes), await whole.analyze(bytes)];
    expect(a.image).toEqual(b.image);
    expect(boxDiff(b.face.box, a.face.box)).toBeLessThan(0.03);
    expect(landmarkDiff(b.face, a.face)).toBeLessThan(0.02);
    expect(scaled.similarity(a.embedding, b.embedding)).toBeGreaterThanOrEqual(0.999); // measured 0.99995
    expect(Math.abs(a.quality.faceSizePx - b.quality.faceSizePx)).toBeLessThan(0.03 * b.quality.faceSizePx);
    expect(a.quality.roll).toBeCloseTo(b.quality.roll, 0);
  });

  it('finds every face of a large group photo, small ones included, in original coordinates', async () => {
    // bbt4 enlarged 4× into a 2840-px baseline JPEG: six faces, each about 90 px wide in the preview.
    const group = sharedImage('group/bbt4.jpg');
    const meta = await sharp(group).metadata();
    const bytes = await sharp(group).resize(meta.width! * 4).jpeg({ quality: 92 }).toBuffer();
    expect(await takesTwoSteps(bytes)).toBe(true);
    const [a, b] = [await scaled.analyze(bytes), await whole.analyze(bytes)];
    expect(a.faces.length).toBe(b.faces.length);
    expect(a.faces.length).toBeGreaterThanOrEqual(4);
    a.faces.forEach((f, i) => {
      expect(boxDiff(b.faces[i]!.box, f.box)).toBeLessThan(0.05);
      expect(landmarkDiff(b.faces[i]!, f)).toBeLessThan(0.02);
    });
    expect(scaled.similarity(a.embedding, b.embedding)).toBeGreaterThanOrEqual(0.99);
  });

  it('handles a large tilted photo and a large photo with EXIF orientation', async () => {
    const tilted = await sharp(camera).rotate(25, { background: '#808080' }).jpeg({ quality: 92 }).toBuffer();
    const oriented = await sharp(camera).rotate(-90).withMetadata({ orientation: 6 }).jpeg({ quality: 92 }).toBuffer();
    for (const bytes of [tilted, oriented]) {
      expect(await takesTwoSteps(bytes)).toBe(true);
      const [a, b] = [await scaled.analyze(bytes, { withCrop: true, withLiveness: true }), await whole.analyze(bytes, { withCrop: true, withLiveness: true })];
      expect(a.image).toEqual(b.image);
      expect(boxDiff(b.face.box, a.face.box)).toBeLessThan(0.03);
      expect(Math.abs(a.quality.roll - b.quality.roll)).toBeLessThan(1.5);
      expect(scaled.similarity(a.embedding, b.embedding)).toBeGreaterThanOrEqual(0.99);
      expect(Math.abs(a.liveness!.antispoof - b.liveness!.antispoof)).toBeLessThan(0.05);
    }
    // Stored on its side, shown upright by its EXIF orientation: the face is where it is in the original.
    const [upright, turned] = [await whole.analyze(camera), await scaled.analyze(oriented)];
    expect(turned.image).toEqual(upright.image);
    expect(boxDiff(upright.face.box, turned.face.box)).toBeLessThan(0.03);
  });

  it('keeps the typed errors of the one-step path', async () => {
    const blank = await sharp(sharedImage('edge/no-face-white.png')).resize(3000, 3000).jpeg().toBuffer();
    expect(await takesTwoSteps(blank)).toBe(true);
    const cases: Array<[string | Uint8Array, string]> = [
      ['not base64 at all!', 'INVALID_BASE64'],
      [Buffer.from('hello world, plainly text'), 'NOT_AN_IMAGE'],
      [await sharp(camera).resize(400).gif().toBuffer(), 'UNSUPPORTED_FORMAT'],
      [camera.subarray(0, Math.floor(camera.length * 0.9)), 'NOT_AN_IMAGE'],
      [blank, 'NO_FACE'],
    ];
    for (const [input, code] of cases) {
      await expect(scaled.analyze(input)).rejects.toMatchObject({ code });
      await expect(whole.analyze(input)).rejects.toMatchObject({ code });
    }
  });
});
