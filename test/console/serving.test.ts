/** Serving of the console build and the /docs page: only built files, strict CSP, nothing from outside. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { OpenAPIHono } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { loadConsoleBuild, registerConsole } from '../../src/server/routes/console.ts';
import type { AppEnv } from '../../src/server/env.ts';
import { createHarness } from '../support/app.ts';

function fakeBuild() {
  const dir = mkdtempSync(path.join(tmpdir(), 'facematch-console-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(path.join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
  return dir;
}

function consoleApp(dir: string) {
  const app = new OpenAPIHono<AppEnv>();
  registerConsole(app, loadConsoleBuild(dir));
  return app;
}

describe('GET /console', () => {
  it('redirects /console to /console/ and serves the page with a self-only CSP, revalidated', async () => {
    const app = consoleApp(fakeBuild());
    const redirect = await app.request('/console');
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/console/');
    const page = await app.request('/console/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:/);
    expect(await page.text()).toContain('<title>console</title>');
  });

  it('serves hashed assets as immutable and nothing that is not in the build', async () => {
    const app = consoleApp(fakeBuild());
    const js = await app.request('/console/assets/index-abc.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toContain('immutable');
    for (const p of ['/console/assets/other.js', '/console/../package.json', '/console/%2e%2e/package.json']) {
      expect((await app.request(p)).status).toBe(404);
    }
  });

  it('says how to build the console when it is not built', async () => {
    const app = consoleApp(path.join(tmpdir(), 'facematch-no-such-build'));
    const res = await app.request('/console/');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run console:build');
  });
});

describe('GET /docs', () => {
  it('renders the reference from /openapi.json with the Scalar bundle served locally', async () => {
    const { app } = createHarness();
    const res = await app.request('/docs');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<script src="/docs/scalar.js">');
    expect(html).toContain('"url": "/openapi.json"');
    expect(html).not.toMatch(/cdn\.jsdelivr|fonts\.|https?:\/\/(?!www\.w3\.org)/);
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'");

    const bundle = await app.request('/docs/scalar.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-encoding')).toBe('gzip');
    const js = gunzipSync(Buffer.from(await bundle.arrayBuffer())).toString('utf8');
    expect(js.length).toBeGreaterThan(1_000_000);
    expect(js).toContain('createApiReference');
    const plain = await app.request('/docs/scalar.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
  });
});
