import { describe, expect, it } from 'vitest';
import { EngineConfig } from '../../src/engine/config.ts';
import { createInProcessEngine } from '../../src/engine/index.ts';

describe('the default engine', () => {
  it('is fr_detect + fr_landmark + fr_feature with mirror augmentation, in float32', async () => {
    const config = EngineConfig.parse({});
    expect(config.detector).toEqual({ family: 'faceplugin' });
    expect(config.landmarks).toBe('faceplugin');
    expect(config.recognizers).toEqual([{ family: 'faceplugin', weight: 1, flip: true }]);
    const engine = await createInProcessEngine({ workers: 0, liveness: false });
    try {
      expect(engine.version).toMatch(/^fr_detect\+fr_feature@/);
      expect(engine.precision).toMatchObject({ recognizer: 'float32', reason: expect.stringMatching(/no int8 variant/) });
      expect(engine.layout).toEqual([{ name: 'fr_feature', dims: 512, weight: 1 }]);
    } finally {
      await engine.close();
    }
  });
});
