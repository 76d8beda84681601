import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnnxFaceEngine } from '../../src/engine/engine.ts';
import { facepluginFivePoint } from '../../src/engine/families/arcface.ts';
import { createInProcessEngine } from '../../src/engine/index.ts';
import { openSession } from '../../src/engine/sessions.ts';
import { hasSharedData, sharedImage } from '../support/shared-data.ts';

describe('faceplugin five points', () => {
  it('takes each eye from its four lid points and each mouth corner from its outer and inner corner', () => {
    const landmarks68 = Array.from({ length: 68 }, (_, i) => ({ x: i, y: 2 * i }));
    const [eyeL, eyeR, nose, mouthL, mouthR] = facepluginFivePoint({ landmarks68, fivePoint: [] });
    expect(eyeL).toEqual({ x: (37 + 38 + 40 + 41) / 4, y: (2 * (37 + 38 + 40 + 41)) / 4 });
    expect(eyeR!.x).toBe((43 + 44 + 46 + 47) / 4);
    expect(nose).toEqual({ x: 30, y: 60 });
    expect(mouthL!.x).toBe(54);
    expect(mouthR!.x).toBe(59);
  });
});

describe('the fr_feature net as built', () => {
  it('takes a batch: two crops in one call give the two single-crop descriptors', async () => {
    const net = await openSession('fr_feature');
    try {
      const plane = 3 * 112 * 112;
      const crops = [0, 1].map((k) => Float32Array.from({ length: plane }, (_, i) => Math.sin(i * (k + 1) * 0.001)));
      const batch = new Float32Array(2 * plane);
      crops.forEach((c, k) => batch.set(c, k * plane));
      const both = (await net.run(batch, [2, 3, 112, 112])).output!.data as Float32Array;
      for (const k of [0, 1]) {
        const single = (await net.run(crops[k]!, [1, 3, 112, 112])).output!.data as Float32Array;
        single.forEach((v, i) => expect(both[k * 512 + i]).toBeCloseTo(v, 4));
      }
      expect(net.entry.source).toMatchObject({ package: 'faceplugin-face-recognition-js', licence: 'MIT' });
      expect(net.entry.notes).toMatch(/Training data: not stated by the publisher/);
    } finally {
      await net.session.release();
    }
  });
});

describe.runIf(hasSharedData)('faceplugin recognizer on real photos', () => {
  let engine: OnnxFaceEngine;
  beforeAll(async () => {
    engine = await createInProcessEngine({ workers: 0, liveness: false, recognizers: [{ family: 'faceplugin', weight: 1, flip: true }] });
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('embeds a face as a 512-D unit vector and scores the same person above different people', async () => {
    const [o1, o2, b1] = await Promise.all(['faces/obama/obama1.jpg', 'faces/obama/obama2.jpg', 'faces/biden/biden1.jpg'].map((f) => engine.analyze(sharedImage(f))));
    expect(o1!.embedding).toHaveLength(512);
    expect(Math.hypot(...o1!.embedding)).toBeCloseTo(1, 5);
    expect(engine.similarity(o1!.embedding, o2!.embedding)).toBeGreaterThan(engine.similarity(o1!.embedding, b1!.embedding) + 0.2);
    expect(engine.layout).toEqual([{ name: 'fr_feature', dims: 512, weight: 1 }]);
  });
});
