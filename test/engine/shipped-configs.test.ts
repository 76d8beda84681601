import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readEngineConfig } from '../../src/engine/config.ts';
import { fromRepoRoot } from '../../src/config/paths.ts';
import { loadCalibration } from '../../src/policy/calibration.ts';

/** The configurations that need nothing but the built-in models (the others read third-party files). */
const BUILT_IN = ['engine.faceapi.json', 'engine.fast.json', 'engine.accurate.json'];

describe('shipped engine configurations', () => {
  it('are all present', () => {
    const files = readdirSync(fromRepoRoot('config')).filter((f) => f.startsWith('engine.'));
    for (const name of BUILT_IN) expect(files).toContain(name);
  });

  it.each(BUILT_IN)('%s parses and names a fitted calibration of its own', (name) => {
    const config = readEngineConfig(fromRepoRoot(`config/${name}`));
    expect(config.calibration).toBeDefined();
    const calibration = loadCalibration(config.calibration);
    expect(calibration.version).toMatch(/^cal-[0-9a-f]{8}$/);
    expect(calibration.version).not.toBe(loadCalibration(fromRepoRoot('models/calibration.json')).version);
    expect(calibration.toScore(1)).toBe(1);
  });

  it('pins the face-api chain to its own front end, so its calibration stays valid whatever the default', () => {
    const config = readEngineConfig(fromRepoRoot('config/engine.faceapi.json'));
    expect(config.detector).toEqual({ family: 'blazeface' });
    expect(config.landmarks).toBe('faceapi68');
    expect(config.recognizers).toEqual([{ family: 'faceapi', weight: 1, flip: true, jitterScales: [0.93, 1, 1.07] }]);
  });
});
