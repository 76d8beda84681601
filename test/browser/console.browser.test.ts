/**
 * End to end in real Chromium: the service as `npm start` runs it (demo registries, real engine), the
 * console's sign-in, a demo verification through the page, a review decision, the usage chart, the
 * camera path, and the /docs reference page, with screenshots that must not be blank and no request
 * leaving the service. Skipped, with a message, where Debian's chromium is not installed (CI installs it).
 * FACEMATCH_SCREENSHOTS_DIR=docs/screenshots refreshes the README's screenshots.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataDir, repoRoot } from '../../src/config/paths.ts';
import { addKeyToFile } from '../../src/receipts/keys.ts';
import { CHROMIUM, hasChromium, keepScreenshot, launchChromium, screenshotStats } from './chromium.ts';
import { startService, type RunningService } from './service.ts';

const DEMO_KEY = 'fm_demo_local_only_5b0d0c6f3a9e41d2';
const SHOTS = process.env.FACEMATCH_SCREENSHOTS_DIR ? path.resolve(repoRoot, process.env.FACEMATCH_SCREENSHOTS_DIR) : undefined;
const photo = (rel: string) => ({ name: path.basename(rel), mimeType: rel.endsWith('.png') ? 'image/png' : 'image/jpeg', buffer: readFileSync(path.join(dataDir(), rel)) });
const hasPhotos = existsSync(path.join(dataDir(), 'faces', 'penny', 'penny2.png'));

if (!hasChromium) {
  console.warn(`[browser tests] skipped: no Chromium at ${CHROMIUM}. Install Debian's package (apt-get install -y chromium); .ci/run does.`);
}

describe.skipIf(!hasChromium || !hasPhotos)('console and API reference in Chromium', () => {
  let service: RunningService;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const outside: string[] = [];
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(path.join(repoRoot, 'console', 'dist', 'index.html'))) {
      const build = spawnSync('npm', ['run', 'console:build'], { cwd: repoRoot, encoding: 'utf8' });
      if (build.status !== 0) throw new Error(`console build failed:\n${build.stdout}${build.stderr}`);
    }
    // A configured receipt key, and a wide review margin so that the demo verification is certainly held for review.
    const keys = path.join(mkdtempSync(path.join(tmpdir(), 'facematch-keys-')), 'receipt-keys.json');
    await addKeyToFile(keys, 'browser-test');
    service = await startService({ FACEMATCH_REVIEW_MARGIN: '0.25', FACEMATCH_RECEIPT_KEYS: keys });
    browser = await launchChromium();
    browser.context.on('request', (req) => {
      const url = req.url();
      if (!url.startsWith(service.base) && !url.startsWith('data:') && !url.startsWith('blob:')) outside.push(url);
    });
    page = await browser.context.newPage();
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
    });
    page.on('pageerror', (err) => pageErrors.push(err.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  /** Form controls without an accessible name (a <label>, aria-label or aria-labelledby). */
  const unlabelledControls = () =>
    page.evaluate(() =>
      [...document.querySelectorAll<HTMLInputElement>('input, select, textarea, button')]
        .filter((el) => !el.hidden && !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby') && !(el.tagName === 'BUTTON' && el.textContent?.trim()))
        .map((el) => el.outerHTML.slice(0, 80)),
    );

  async function shot(name: string): Promise<void> {
    const png = await page.screenshot({ fullPage: true });
    const stats = await screenshotStats(png);
    expect(stats.width).toBeGreaterThan(300);
    expect(stats.maxStdev, `${name} looks blank`).toBeGreaterThan(15);
    expect(stats.colours, `${name} has too few colours`).toBeGreaterThan(20);
    await keepScreenshot(png, SHOTS, name);
  }

  it('signs in with the demo key (refusing a wrong one) and runs a demo verification with both crops', async () => {
    await page.goto(`${service.base}/console`);
    await page.getByLabel('API key').fill('fm_wrong_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not valid');

    // Keyboard only: type the key and press Enter.
    await page.getByLabel('API key').fill(DEMO_KEY);
    await page.getByLabel('API key').press('Enter');
    const registryForm = page.locator('form', { has: page.getByRole('heading', { name: 'Verify against a registry' }) });
    await registryForm.waitFor();
    // The key is kept for the tab's session only, never in localStorage.
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(await unlabelledControls()).toEqual([]);

    await registryForm.getByLabel('ID type').selectOption('PE_DNI');
    await registryForm.getByLabel('ID number').fill('27182818');
    await registryForm.getByLabel('Selfie', { exact: true }).setInputFiles(photo('faces/penny/penny2.png'));
    await registryForm.getByRole('button', { name: 'Verify' }).click();
    const verdict = page.locator('.result .verdict');
    await verdict.waitFor({ timeout: 60_000 });
    expect(await verdict.textContent()).toBe('CONFIRMED');
    expect((await page.locator('.result').textContent())?.toLowerCase()).toContain('penny hofstadter');
    const crops = page.locator('.result .crops img');
    await expect.poll(() => crops.evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth))).toEqual([224, 224]);
    await shot('console-try.png');

    // The receipt shown on the page verifies against the service's JWKS with the CLI.
    const receipt = await page.getByLabel('Receipt (JWS)').inputValue();
    const verified = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, ['bin/facematch.js', 'receipt', 'verify', receipt, '--jwks', `${service.base}/.well-known/jwks.json`], { cwd: repoRoot });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('close', (code) => resolve({ code, out }));
    });
    expect(verified.code, verified.out).toBe(0);
    expect(verified.out).toContain('receipt verified (key browser-test)');
    expect(verified.out).toContain(`"selfie_sha256": "${createHash('sha256').update(photo('faces/penny/penny2.png').buffer).digest('hex')}"`);
  });

  it('shows the case in the review queue with its crops, and records an approval', async () => {
    await page.getByRole('link', { name: 'Review queue' }).click();
    await page.getByRole('button', { name: /^Open case / }).first().click();
    const detail = page.locator('.case');
    await detail.waitFor();
    await expect.poll(() => detail.locator('.crops img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth))).toEqual([224, 224]);
    expect(await unlabelledControls()).toEqual([]);
    await detail.getByLabel('Note').fill('Same person; checked the ear shape.');
    await detail.getByLabel('Reviewer (optional)').fill('QA reviewer');
    await detail.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => page.locator('.decided').textContent()).toContain('APPROVED by QA reviewer');
    expect(await page.locator('.cases td.approved').count()).toBe(1);
    await shot('console-review.png');

    // The decision is available to the caller's backend through the API.
    const list = await (await fetch(`${service.base}/v1/reviews`, { headers: { authorization: `Bearer ${DEMO_KEY}` } })).json();
    expect(list.data.cases[0]).toMatchObject({ status: 'APPROVED', decision: { decision: 'APPROVE', reviewer: 'QA reviewer' } });
  });

  it('shows usage totals and a daily chart', async () => {
    await page.getByRole('link', { name: 'Usage' }).click();
    await page.locator('svg.chart').waitFor();
    expect(await page.locator('.totals tbody td').first().textContent()).toBe('1');
    await shot('console-usage.png');
  });

  it('takes a selfie with the camera and compares two images at phone width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'Try it' }).click();
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Compare a selfie with an ID image' }) });
    await form.waitFor();
    await form.getByRole('button', { name: 'Use camera' }).click();
    await form.getByRole('button', { name: 'Take photo' }).click();
    await expect.poll(() => form.locator('img.preview').first().evaluate((i) => (i as HTMLImageElement).src.slice(0, 23))).toBe('data:image/jpeg;base64,');
    // The camera's synthetic frame holds no face: that is a business result, not an error.
    await form.getByLabel('ID image').setInputFiles(photo('faces/penny/penny1.png'));
    await form.getByRole('button', { name: 'Compare' }).click();
    await page.locator('.result .verdict').waitFor({ timeout: 60_000 });
    expect(['FACE_MATCH', 'FACE_MISMATCH', 'NO_FACE_DETECTED']).toContain(await page.locator('.result .verdict').textContent());
    // Nothing is wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot('console-phone.png');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('renders the API reference at /docs from the served OpenAPI document, offline', async () => {
    await page.goto(`${service.base}/docs`);
    await page.getByText('Compare a selfie with the registry photo for an ID number').first().waitFor({ timeout: 60_000 });
    // Every operation of the served document is in the page (collapsed groups included).
    const doc = (await (await fetch(`${service.base}/openapi.json`)).json()) as { paths: Record<string, Record<string, { summary: string }>> };
    const summaries = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.summary));
    expect(summaries.length).toBeGreaterThanOrEqual(10);
    await expect.poll(async () => {
      const text = (await page.locator('body').textContent()) ?? '';
      return summaries.filter((s) => !text.includes(s));
    }).toEqual([]);
    await page.waitForTimeout(500);
    const png = await page.screenshot();
    const stats = await screenshotStats(png);
    expect(stats.maxStdev).toBeGreaterThan(15);
    await keepScreenshot(png, SHOTS, 'docs.png');
  });

  it('made no request outside the service and broke no content-security rule', () => {
    expect(outside).toEqual([]);
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
