/**
 * The faceplugin front end (fr_detect + fr_landmark) on real photos, against the default
 * BlazeFace + face-api landmarks: recall on the dev set, tight and registry-style crops, groups,
 * no face where there is none, landmarks close to face-api's, and the configuration.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataDir } from '../../src/config/paths.ts';
import { centroid, type Detection } from '../../src/engine/components.ts';
import { EngineConfig } from '../../src/engine/config.ts';
import { decodeImage, type RgbImage } from '../../src/engine/decode.ts';
import { BlazeFaceDetector } from '../../src/engine/families/blazeface.ts';
import { FaceApiLandmarks } from '../../src/engine/families/faceapi-landmarks.ts';
import { FacepluginDetector } from '../../src/engine/families/faceplugin-detector.ts';
import { FacepluginLandmarks } from '../../src/engine/families/faceplugin-landmarks.ts';
import { createInProcessEngine } from '../../src/engine/index.ts';
import { rollFrom68 } from '../../src/engine/landmark-crops.ts';
import { openSession, type ModelSession } from '../../src/engine/sessions.ts';
import type { Point } from '../../src/engine/types.ts';
import { degradeToRegistryStyle } from '../../src/eval/registry-style.ts';
import { hasSharedData, sharedImage } from '../support/shared-data.ts';

const limits = { maxBytes: 20 * 1024 * 1024, maxPixels: 40_000_000, maxSide: 1600 };
const decode = (bytes: Uint8Array) => decodeImage(bytes, limits);
const largest = (ds: Detection[]) => [...ds].sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height)[0]!;

const sessions: ModelSession[] = [];
let blazeface: BlazeFaceDetector, detector: FacepluginDetector, faceapi: FaceApiLandmarks, landmarks: FacepluginLandmarks;
beforeAll(async () => {
  const open = async (name: string) => {
    const s = await openSession(name);
    sessions.push(s);
    return s;
  };
  blazeface = new BlazeFaceDetector(await open('blazeface'));
  detector = new FacepluginDetector(await open('fr_detect'));
  faceapi = new FaceApiLandmarks(await open('face_landmark_68'), { flip: true });
  landmarks = new FacepluginLandmarks(await open('fr_landmark'));
});
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.session.release()));
});

const inside = (p: Point, d: Detection, slack: number) =>
  p.x > d.box.x - slack * d.box.width && p.x < d.box.x + (1 + slack) * d.box.width && p.y > d.box.y - slack * d.box.height && p.y < d.box.y + (1 + slack) * d.box.height;

describe.runIf(hasSharedData)('fr_detect on real photos', () => {
  it('finds a face in every dev photo where BlazeFace finds one (incl. the 150×150 crops), and none in the white image', async () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = path.join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(jpe?g|png)$/i.test(f)) files.push(p);
      }
    };
    walk(path.join(dataDir(), 'faces'));
    walk(path.join(dataDir(), 'edge'));
    const lost: string[] = [];
    let withFace = 0;
    for (const file of files) {
      const image = await decode(sharedImage(path.relative(dataDir(), file)));
      const reference = await blazeface.detect(image);
      const found = await detector.detect(image);
      if (reference.length > 0) withFace++;
      if (reference.length > 0 && found.length === 0) lost.push(file);
      if (found.length > 0) {
        // The box sits on the face BlazeFace found (its centre inside BlazeFace's box).
        const c = { x: largest(found).box.x + largest(found).box.width / 2, y: largest(found).box.y + largest(found).box.height / 2 };
        if (reference.length > 0) expect(inside(c, largest(reference), 0)).toBe(true);
      }
    }
    expect(lost).toEqual([]);
    expect(withFace).toBeGreaterThan(55);
    expect(await detector.detect(await decode(sharedImage('edge/no-face-white.png')))).toEqual([]);
  }, 60_000);

  it('finds the one face in a 150×150 tight crop, with a box inside the frame', async () => {
    const image = await decode(sharedImage('faces/amy/amy1.png'));
    const found = await detector.detect(image);
    expect(found).toHaveLength(1);
    const { box } = found[0]!;
    expect(box.width).toBeGreaterThan(60);
    expect(box.x + box.width / 2).toBeGreaterThan(40);
    expect(box.x + box.width / 2).toBeLessThan(110);
  });

  it('finds the face in a registry-style photo: tight crop, 96 px wide, greyscale, JPEG quality 20', async () => {
    const photo = sharedImage('faces/obama/obama1.jpg');
    const face = largest(await blazeface.detect(await decode(photo))).box;
    const degraded = await degradeToRegistryStyle(photo, face, { cropScale: 1.15, aspect: 1.2, shiftX: 0.05, shiftY: -0.05, widthPx: 96, greyscale: true, jpegQuality: 20 });
    const image = await decode(degraded);
    expect(image.width).toBe(96);
    const found = await detector.detect(image);
    expect(found).toHaveLength(1);
    expect(found[0]!.box.width).toBeGreaterThan(0.5 * image.width);
  });

  it('finds every face of a group photo', async () => {
    const image = await decode(sharedImage('group/bbt4.jpg'));
    const found = await detector.detect(image);
    expect(found.length).toBeGreaterThanOrEqual((await blazeface.detect(image)).length);
    expect(found.length).toBeGreaterThanOrEqual(5);
  });
});

describe.runIf(hasSharedData)('fr_landmark on real photos', () => {
  const photos = ['faces/obama/obama1.jpg', 'faces/biden/biden1.jpg', 'faces/amy/amy1.png', 'faces/sheldon/sheldon1.png', 'faces/rose_leslie/rose1.jpg', 'faces/kit_harington/kit1.jpg'];
  const eyes = (l: Point[]) => [centroid(l.slice(36, 42)), centroid(l.slice(42, 48))] as const;

  it('puts the eye centres within 10 % of the inter-ocular distance of face-api’s, from either detector', async () => {
    const errors: number[] = [];
    for (const photo of photos) {
      const image: RgbImage = await decode(sharedImage(photo));
      const reference = (await faceapi.locate(image, [largest(await blazeface.detect(image))]))[0]!;
      const [r0, r1] = eyes(reference);
      const iod = Math.hypot(r1.x - r0.x, r1.y - r0.y);
      for (const found of [await detector.detect(image), await blazeface.detect(image)]) {
        const l = (await landmarks.locate(image, [largest(found)]))[0]!;
        expect(l).toHaveLength(68);
        const [e0, e1] = eyes(l);
        errors.push((Math.hypot(e0.x - r0.x, e0.y - r0.y) + Math.hypot(e1.x - r1.x, e1.y - r1.y)) / 2 / iod);
      }
    }
    expect(Math.max(...errors)).toBeLessThan(0.1);
    expect(errors.reduce((s, e) => s + e, 0) / errors.length).toBeLessThan(0.07);
  }, 30_000);

  it('follows a tilted face: the refined landmarks measure the roll without detector keypoints', async () => {
    const photo = sharedImage('faces/obama/obama2.jpg');
    const tilted = new Uint8Array(await sharp(photo).rotate(25, { background: '#808080' }).jpeg().toBuffer());
    const rollOf = async (bytes: Uint8Array) => {
      const image = await decode(bytes);
      return (rollFrom68((await landmarks.locate(image, [largest(await detector.detect(image))]))[0]!) * 180) / Math.PI;
    };
    expect(Math.abs((await rollOf(tilted)) - (await rollOf(photo)) - 25)).toBeLessThan(4);
  });

  it('locates nothing for no detections, and one set per detection', async () => {
    const image = await decode(sharedImage('group/bbt4.jpg'));
    expect(await landmarks.locate(image, [])).toEqual([]);
    const found = await detector.detect(image);
    const all = await landmarks.locate(image, found);
    expect(all).toHaveLength(found.length);
    all.forEach((l, i) => expect(inside(l[30]!, found[i]!, 0.1)).toBe(true));
  });
});

describe('front-end configuration', () => {
  it('accepts either detector and either landmark net', () => {
    const faceapi = EngineConfig.parse({ detector: { family: 'blazeface' }, landmarks: 'faceapi68' });
    expect(faceapi.detector).toEqual({ family: 'blazeface' });
    expect(faceapi.landmarks).toBe('faceapi68');
    const chosen = EngineConfig.parse({ detector: { family: 'faceplugin', scoreThreshold: 0.8 }, landmarks: 'faceplugin' });
    expect(chosen.detector).toEqual({ family: 'faceplugin', scoreThreshold: 0.8 });
    expect(chosen.landmarks).toBe('faceplugin');
  });

  it('rejects unknown landmark nets and out-of-range thresholds', () => {
    expect(EngineConfig.safeParse({ landmarks: 'dlib' }).success).toBe(false);
    expect(EngineConfig.safeParse({ detector: { family: 'faceplugin', scoreThreshold: 1.5 } }).success).toBe(false);
  });

  it('gives each front end its own engine version', async () => {
    const versions: string[] = [];
    const fronts = [
      { detector: { family: 'blazeface' as const }, landmarks: 'faceapi68' as const },
      { detector: { family: 'blazeface' as const }, landmarks: 'faceplugin' as const },
      { detector: { family: 'faceplugin' as const }, landmarks: 'faceapi68' as const },
    ];
    for (const config of fronts) {
      const engine = await createInProcessEngine({ ...config, workers: 0, liveness: false });
      versions.push(engine.version);
      await engine.close();
    }
    expect(new Set(versions).size).toBe(3);
    expect(versions[2]).toMatch(/^fr_detect\+/);
  }, 60_000);
});
