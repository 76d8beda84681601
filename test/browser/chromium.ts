/**
 * Headless Debian Chromium driven by playwright-core (never a downloaded browser), with a fresh
 * profile, and checks on the screenshots it takes.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import sharp from 'sharp';

export const CHROMIUM = process.env.FACEMATCH_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // A synthetic camera, so the camera path of the console can be exercised headless.
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];

export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(path.join(tmpdir(), 'facematch-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A screenshot is "not blank" when it has real contrast and many colours, not one flat fill. */
export async function screenshotStats(png: Buffer): Promise<{ width: number; height: number; maxStdev: number; colours: number }> {
  const image = sharp(png);
  const { channels, } = await image.stats();
  const { data, info } = await image.clone().resize(160, null, { kernel: 'nearest' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const colours = new Set<number>();
  for (let i = 0; i < data.length; i += 3) colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
  const meta = await sharp(png).metadata();
  return { width: meta.width ?? info.width, height: meta.height ?? info.height, maxStdev: Math.max(...channels.slice(0, 3).map((c) => c.stdev)), colours: colours.size };
}

/** Stores a screenshot as a small palette PNG (for the README), when a folder is given. */
export async function keepScreenshot(png: Buffer, dir: string | undefined, name: string): Promise<void> {
  if (!dir) return;
  await sharp(png).png({ palette: true, colours: 128, compressionLevel: 9, effort: 10 }).toFile(path.join(dir, name));
}
