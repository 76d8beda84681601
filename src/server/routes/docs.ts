/**
 * GET /docs: the API reference, rendered in the browser by Scalar from GET /openapi.json. Every asset
 * is served by this service (the Scalar bundle from node_modules): the page makes no request elsewhere,
 * and its Content-Security-Policy forbids it to.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { Scalar } from '@scalar/hono-api-reference';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env.ts';

export const DOCS_PATH = '/docs';
const BUNDLE_PATH = '/docs/scalar.js';

const DOCS_CSP = [
  "default-src 'self'",
  // Scalar starts from an inline script and compiles its code samples at run time.
  "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
].join('; ');

/** The bundle is read once, on first request, and kept with its gzip form. */
function bundleLoader() {
  let bundle: { plain: Buffer; gzip: Buffer } | undefined;
  return () => {
    if (!bundle) {
      const file = createRequire(import.meta.url).resolve('@scalar/api-reference/browser/standalone.js');
      const plain = readFileSync(file);
      bundle = { plain, gzip: gzipSync(plain) };
    }
    return bundle;
  };
}

export function registerDocs(app: OpenAPIHono<AppEnv>): void {
  const bundle = bundleLoader();
  const page = Scalar({
    url: '/openapi.json',
    cdn: BUNDLE_PATH,
    pageTitle: 'facematch API reference',
    // Offline: no web fonts, no hosted client or agent, no telemetry (and no proxy: none is configured).
    withDefaultFonts: false,
    hideClientButton: true,
    // Every route and its schemas on the page at once, not behind collapsed groups.
    defaultOpenAllTags: true,
    showDeveloperTools: 'never',
    telemetry: false,
    agent: { disabled: true },
  });

  app.get(DOCS_PATH, async (c, next) => {
    c.header('Content-Security-Policy', DOCS_CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    return page(c as unknown as Parameters<typeof page>[0], next);
  });
  app.get(BUNDLE_PATH, (c) => {
    const { plain, gzip } = bundle();
    const gz = /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Vary', 'Accept-Encoding');
    if (gz) c.header('Content-Encoding', 'gzip');
    return c.body(new Uint8Array(gz ? gzip : plain));
  });
}
