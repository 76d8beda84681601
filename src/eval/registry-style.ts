/**
 * The registry-style protocol of `facematch eval --registry-style`: the second image of each pair
 * is degraded the way registry reference photos are, so that a pairs file of ordinary photos
 * measures the engine on selfie-vs-registry comparisons.
 *
 * Per image, with parameters drawn from a PRNG seeded by the protocol seed and the image's path
 * relative to the images folder (so the same image is degraded the same way on every run and
 * machine, whatever the order):
 *   1. tight crop around the face the engine finds in the original: a box 1.15–1.45 × the face
 *      box's width, 1.15–1.30 × as tall as wide, its centre moved by up to ±6 % of the face width;
 *   2. resized to 80–130 px wide (Lanczos);
 *   3. greyscale with probability 0.3 (stored as a one-channel JPEG);
 *   4. JPEG quality 20–45 with 4:2:0 chroma subsampling (mozjpeg off: libjpeg's default tables).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { Box, FaceEngine } from '../engine/types.ts';
import { rng } from './prng.ts';

export interface RegistryStyleParameters {
  /** Crop width over face-box width. */
  cropScale: [number, number];
  /** Crop height over crop width. */
  aspect: [number, number];
  /** Largest shift of the crop centre, as a share of the face-box width. */
  shift: number;
  widthPx: [number, number];
  greyscaleShare: number;
  jpegQuality: [number, number];
}

export const REGISTRY_STYLE: RegistryStyleParameters = {
  cropScale: [1.15, 1.45],
  aspect: [1.15, 1.3],
  shift: 0.06,
  widthPx: [80, 130],
  greyscaleShare: 0.3,
  jpegQuality: [20, 45],
};

export interface RegistryStyleDraw {
  cropScale: number;
  aspect: number;
  shiftX: number;
  shiftY: number;
  widthPx: number;
  greyscale: boolean;
  jpegQuality: number;
}

/** The degradation drawn for one image: deterministic in (seed, key). */
export function drawDegradation(seed: number, key: string, p: RegistryStyleParameters = REGISTRY_STYLE): RegistryStyleDraw {
  const random = rng(createHash('sha256').update(`${seed}\0${key}`).digest().readUInt32LE(0));
  const between = ([lo, hi]: [number, number]) => lo + (hi - lo) * random();
  const integer = ([lo, hi]: [number, number]) => lo + Math.floor((hi - lo + 1) * random());
  return {
    cropScale: between(p.cropScale),
    aspect: between(p.aspect),
    shiftX: (random() * 2 - 1) * p.shift,
    shiftY: (random() * 2 - 1) * p.shift,
    widthPx: integer(p.widthPx),
    greyscale: random() < p.greyscaleShare,
    jpegQuality: integer(p.jpegQuality),
  };
}

/** The crop rectangle (integer pixels, inside the image) for a face box and a draw. */
export function cropRect(face: Box, imageWidth: number, imageHeight: number, d: RegistryStyleDraw): { left: number; top: number; width: number; height: number } {
  const cx = face.x + face.width / 2 + d.shiftX * face.width;
  const cy = face.y + face.height / 2 + d.shiftY * face.width;
  const w = face.width * d.cropScale, h = w * d.aspect;
  const left = Math.max(0, Math.round(cx - w / 2)), top = Math.max(0, Math.round(cy - h / 2));
  const right = Math.min(imageWidth, Math.round(cx + w / 2)), bottom = Math.min(imageHeight, Math.round(cy + h / 2));
  return { left, top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) };
}

/** Degrades an encoded photo given the face box the engine found in it (original coordinates). */
export async function degradeToRegistryStyle(photo: Uint8Array, face: Box, d: RegistryStyleDraw): Promise<Uint8Array> {
  // Orientation first, so the crop is taken in the coordinates the engine reports.
  const upright = await sharp(photo).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width, height, channels } = upright.info;
  const rect = cropRect(face, width, height, d);
  let pipeline = sharp(upright.data, { raw: { width, height, channels } }).extract(rect).resize({ width: d.widthPx, kernel: 'lanczos3' });
  if (d.greyscale) pipeline = pipeline.greyscale().toColourspace('b-w');
  return new Uint8Array(await pipeline.jpeg({ quality: d.jpegQuality, chromaSubsampling: '4:2:0', mozjpeg: false }).toBuffer());
}

const KEY_PREFIX = 'registry-style:';

/**
 * Image loading for eval under the protocol: `key(path)` names the degraded version of a photo,
 * and `load` produces it (the original is analysed once to find the face to crop around; if it
 * has none, the crop is centred on the image with a face box of 40 % of its shorter side).
 * Any other key is read as a file. Degraded photos live in memory only.
 */
export function registryStyleLoader(engine: FaceEngine, imagesDir: string, seed: number) {
  let originalsWithoutFace = 0;
  return {
    key: (file: string) => `${KEY_PREFIX}${file}`,
    get originalsWithoutFace() {
      return originalsWithoutFace;
    },
    async load(key: string): Promise<Uint8Array> {
      if (!key.startsWith(KEY_PREFIX)) return readFile(key);
      const file = key.slice(KEY_PREFIX.length);
      const photo = new Uint8Array(await readFile(file));
      let face: Box;
      try {
        face = (await engine.analyze(photo)).face.box;
      } catch {
        originalsWithoutFace++;
        const { width = 0, height = 0 } = await sharp(photo).rotate().metadata().then((m) => (m.orientation && m.orientation >= 5 ? { width: m.height, height: m.width } : m));
        const side = 0.4 * Math.min(width, height);
        face = { x: (width - side) / 2, y: (height - side) / 2, width: side, height: side };
      }
      return degradeToRegistryStyle(photo, face, drawDegradation(seed, path.relative(imagesDir, file)));
    },
  };
}
