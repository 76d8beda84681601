/**
 * The start-up precision check: the built int8 recognition net agrees with the float net on the
 * fixed check crops (so the engine runs int8), and a net that does not agree is replaced by the
 * float one, with the reason reported.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaceEngine, createInProcessEngine } from '../../src/engine/index.ts';
import { FACEAPI_RECOGNIZER } from '../../src/engine/config.ts';
import { FACEAPI_CHIP_SIZE, faceApiDescriptors } from '../../src/engine/families/faceapi-recognizer.ts';
import { checkCrops, choosePrecision, INT8_AGREEMENT, int8Agreement, stripesCrop, syntheticFaceCrop } from '../../src/engine/precision-check.ts';
import { openSession, type ModelSession } from '../../src/engine/sessions.ts';
import { createHarness } from '../support/app.ts';
import { createFakeEngine } from '../support/fake-engine.ts';

describe('check crops', () => {
  it('are deterministic 150×150 RGB images in 0..255, the stripes at the extremes', () => {
    const a = syntheticFaceCrop(), b = syntheticFaceCrop();
    expect(a).toHaveLength(150 * 150 * 3);
    expect(a).toEqual(b);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThanOrEqual(255);
    expect(new Set(stripesCrop())).toEqual(new Set([0, 255]));
    const { batch, count } = checkCrops();
    expect(count).toBe(2);
    expect(batch.subarray(0, a.length)).toEqual(a);
  });
});

describe('choosePrecision', () => {
  it('keeps int8 at or above the agreement threshold and falls back to float below it, saying why', () => {
    expect(choosePrecision(INT8_AGREEMENT).recognizer).toBe('int8');
    const fallback = choosePrecision(0.9929);
    expect(fallback.recognizer).toBe('float32');
    expect(fallback.reason).toMatch(/0\.99290.*float net runs/);
  });
});

describe('int8 recognition net against the float net', () => {
  let int8: ModelSession, float: ModelSession;
  beforeAll(async () => {
    [int8, float] = await Promise.all([openSession('face_recognition_int8'), openSession('face_recognition')]);
  });
  afterAll(async () => {
    await Promise.all([int8?.session.release(), float?.session.release()]);
  });

  it('agrees on the check crops on this CPU (the 7-bit weight grid cannot saturate on any x86-64 kernel)', async () => {
    const agreement = await int8Agreement(faceApiDescriptors, int8, float, 128, FACEAPI_CHIP_SIZE);
    expect(agreement).toBeGreaterThanOrEqual(INT8_AGREEMENT);
    expect(agreement).toBeLessThan(1);
  });

  it('detects a net whose descriptors drift from the float net', async () => {
    // The int8 net with one descriptor coordinate of each crop pushed off: what saturated sums do.
    const drifting = async (net: ModelSession, batch: Float32Array, n: number) => {
      const out = (await faceApiDescriptors(net, batch, n)).slice();
      if (net === int8) for (let i = 0; i < n; i++) out[i * 128]! += 0.15;
      return out;
    };
    const agreement = await int8Agreement(drifting, int8, float, 128, FACEAPI_CHIP_SIZE);
    expect(choosePrecision(agreement).recognizer).toBe('float32');
  });
});

describe('engine precision report', () => {
  it('an int8 engine reports int8 with the measured agreement; a float32 configuration says so', async () => {
    const int8Engine = await createInProcessEngine({ workers: 0, liveness: false, recognizers: [FACEAPI_RECOGNIZER] });
    const floatEngine = await createInProcessEngine({ workers: 0, liveness: false, precision: 'float32', recognizers: [FACEAPI_RECOGNIZER] });
    try {
      expect(int8Engine.precision?.recognizer).toBe('int8');
      expect(int8Engine.precision?.reason).toMatch(/agree to cosine 0\.99\d+/);
      expect(floatEngine.precision).toEqual({ recognizer: 'float32', reason: 'configured ("precision": "float32")' });
      expect(floatEngine.version).not.toBe(int8Engine.version);
    } finally {
      await Promise.all([int8Engine.close(), floatEngine.close()]);
    }
  });

  it('a worker pool reports what its workers measured', async () => {
    const pool = await createFaceEngine({ workers: 1, liveness: false, recognizers: [FACEAPI_RECOGNIZER] });
    try {
      expect(pool.precision?.recognizer).toBe('int8');
    } finally {
      await pool.close();
    }
  });
});

describe('GET /health', () => {
  it('reports the precision the engine runs in, and why', async () => {
    const precision = { recognizer: 'float32' as const, reason: 'int8 and float descriptors of the fixed check crops agree to cosine 0.99290 (< 0.997): this CPU\'s int8 kernels differ, so the float net runs' };
    const res = await createHarness({ engine: Object.assign(createFakeEngine(), { precision }) }).app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', precision });
  });
});
