import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaceEngine } from '../../src/engine/index.ts';
import type { ClosableFaceEngine } from '../../src/engine/index.ts';
import { EngineError } from '../../src/engine/types.ts';
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
