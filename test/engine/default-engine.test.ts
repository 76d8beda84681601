import { describe, expect, it } from 'vitest';
import { DEFAULT_RECOGNIZERS, EngineConfig } from '../../src/engine/config.ts';
import { createInProcessEngine } from '../../src/engine/index.ts';

describe('the default engine', () => {
  it('is fr_detect + fr_landmark, then fr_feature and face-api\'s net fused, one pass each', async () => {
    const config = EngineConfig.parse({});
    expect(config.detector).toEqual({ family: 'faceplugin' });
    expect(config.landmarks).toBe('faceplugin');
    expect(config.recognizers).toEqual(DEFAULT_RECOGNIZERS);
    expect(config.recognizers.map((r) => [r.family, 'flip' in r ? r.flip : undefined])).toEqual([
      ['faceplugin', false],
      ['faceapi', false],
    ]);
    const engine = await createInProcessEngine({ workers: 0, liveness: false });
    try {
      expect(engine.version).toMatch(/^fr_detect\+fr_feature\+face_recognition@/);
      // face-api's net runs int8 where it agrees with float on this CPU; fr_feature always runs float.
      if (engine.precision?.recognizer === 'int8') expect(engine.precision.reason).toMatch(/^face_recognition: .*; fr_feature float32/);
      expect(engine.layout).toEqual([
        { name: 'fr_feature', dims: 512, weight: 0.4031 },
        { name: 'face_recognition', dims: 128, weight: 0.9152 },
      ]);
    } finally {
      await engine.close();
    }
  });
});
