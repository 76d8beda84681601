/**
 * End to end with the real face engine (createFaceEngine), the registry SDK and the registry mocks
 * serving the demo identities. Checks that the engine's real error codes land on the contract's.
 * Skipped when the ONNX models or the demo face photos are not present.
 */
import { ADAPTERS } from '../../adapters/index.ts';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { setupServer } from 'msw/node';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistryMocks, loadDemoPeople, resolveFacePath } from '../../mocks/index.ts';
import { modelsDir } from '../../src/config/paths.ts';
import { createFaceEngine } from '../../src/engine/index.ts';
import type { FaceEngine } from '../../src/engine/types.ts';
import { createRegistry, type Registry } from '../../src/registry/index.ts';
import { createHarness, type TestHarness } from '../support/app.ts';
import { loadCalibration } from '../../src/policy/calibration.ts';
import { createPolicy } from '../../src/policy/policy.ts';

const SELFIE = resolveFacePath('../shared/data/faces/penny/penny2.png');
const OTHER = resolveFacePath('../shared/data/faces/sheldon/sheldon2.png');
const available = existsSync(path.join(modelsDir(), 'blazeface.onnx')) && existsSync(SELFIE) && existsSync(OTHER);

/** A valid PNG header claiming 12000×12000 pixels: a decompression bomb as far as the decoder knows. */
function pngBomb(): string {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(12000, 0);
  ihdr.writeUInt32BE(12000, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])), chunk('IEND', Buffer.alloc(0))]);
  return png.toString('base64');
}

describe.skipIf(!available)('POST /v1/face-comparison with the real face engine', () => {
  const server = setupServer();
  let registry: Registry;
  let engine: FaceEngine;
  let h: TestHarness;
  const b64 = (file: string) => sharp(file).toBuffer().then((b) => b.toString('base64'));

  beforeAll(async () => {
    const mocks = createRegistryMocks({ people: await loadDemoPeople() });
    server.listen({ onUnhandledRequest: 'error' });
    server.resetHandlers(...mocks.handlers);
    registry = createRegistry({ retry: { maxAttempts: 1 } }, { adapters: ADAPTERS });
    engine = await createFaceEngine();
    // The real engine is scored with the calibration the service ships for it.
    h = createHarness({ registry: registry.router, engine, policy: createPolicy(loadCalibration()) });
  });
  afterAll(async () => {
    server.close();
    await registry?.close();
    await (engine as { close?: () => Promise<void> } | undefined)?.close?.();
  });

  it("confirms a demo identity's selfie against its registry photo", async () => {
    const res = await h.compare({ id_type: 'PE_DNI', id_number: '27182818', selfie: `data:image/png;base64,${await b64(SELFIE)}` });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.data.match_result).toBe('CONFIRMED');
    expect(body.data.identity.last_name).toMatch(/hofstadter/i);
    expect(body.data.details.faces_in_selfie).toBeGreaterThanOrEqual(1);
  });

  it('scores a different person lower than the same person', async () => {
    const same = await (await h.compare({ id_type: 'PE_DNI', id_number: '27182818', selfie: await b64(SELFIE) })).json();
    const other = await (await h.compare({ id_type: 'PE_DNI', id_number: '27182818', selfie: await b64(OTHER) })).json();
    expect(other.meta.cache).toBe('hit');
    expect(other.data.confidence.score).toBeLessThan(same.data.confidence.score);
  });

  it('maps a selfie without a face to LANDMARKS_NOT_FOUND (selfie)', async () => {
    const blank = (await sharp({ create: { width: 320, height: 320, channels: 3, background: '#808080' } }).jpeg().toBuffer()).toString('base64');
    const res = await h.compare({ id_type: 'PE_DNI', id_number: '27182818', selfie: blank });
    expect(res.status).toBe(422);
    expect((await res.json()).details.image).toBe('selfie');
  });

  it('maps real decoder failures to INVALID_INPUT', async () => {
    const gif = (await sharp({ create: { width: 8, height: 8, channels: 3, background: '#ff0000' } }).gif().toBuffer()).toString('base64');
    const cases: Array<[string, string]> = [
      ['not base64 at all!', 'INVALID_BASE64'],
      [Buffer.from('%PDF-1.4 not an image at all').toString('base64'), 'NOT_AN_IMAGE'],
      [gif, 'UNSUPPORTED_FORMAT'],
      [pngBomb(), 'IMAGE_TOO_LARGE'],
    ];
    for (const [selfie, reason] of cases) {
      const res = await h.compare({ id_type: 'PE_DNI', id_number: '27182818', selfie });
      expect(res.status, reason).toBe(400);
      const body = await res.json();
      expect(body.code).toBe('INVALID_INPUT');
      expect(body.details.reason).toBe(reason);
    }
  });
});
