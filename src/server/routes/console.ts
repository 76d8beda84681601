/**
 * GET /console: the operator console, a static single-page app built at install (console/ → console/dist)
 * and served from memory. Only files that exist in the build are served (no path from the request
 * reaches the filesystem). The page talks to this service only: its CSP allows nothing else.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { repoRoot } from '../../config/paths.ts';
import type { AppEnv } from '../env.ts';

export const CONSOLE_PATH = '/console';
export const CONSOLE_DIST = path.join(repoRoot, 'console', 'dist');

const CONSOLE_CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "style-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

interface Asset {
  body: Uint8Array;
  type: string;
}

/** Every file of the build, keyed by its URL path under /console. */
export function loadConsoleBuild(dir: string = CONSOLE_DIST): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  if (!existsSync(dir)) return assets;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const file = path.join(d, name);
      if (statSync(file).isDirectory()) walk(file);
      else assets.set(`${CONSOLE_PATH}/${path.relative(dir, file).split(path.sep).join('/')}`, { body: new Uint8Array(readFileSync(file)), type: TYPES[path.extname(name)] ?? 'application/octet-stream' });
    }
  };
  walk(dir);
  return assets;
}

export function registerConsole(app: OpenAPIHono<AppEnv>, assets: Map<string, Asset> = loadConsoleBuild()): void {
  const serve = (c: Context<AppEnv>, asset: Asset, cache: string) => {
    c.header('Content-Type', asset.type);
    c.header('Cache-Control', cache);
    c.header('Content-Security-Policy', CONSOLE_CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    return c.body(asset.body as Uint8Array<ArrayBuffer>);
  };
  app.get(CONSOLE_PATH, (c) => c.redirect(`${CONSOLE_PATH}/`, 302));
  app.get(`${CONSOLE_PATH}/*`, (c, next) => {
    const index = assets.get(`${CONSOLE_PATH}/index.html`);
    if (!index) return c.text('The console is not built: run `npm run console:build` (npm install does it).', 503);
    const asset = assets.get(c.req.path);
    // Hashed bundle files never change; the page itself is always revalidated.
    if (asset && c.req.path.startsWith(`${CONSOLE_PATH}/assets/`)) return serve(c, asset, 'public, max-age=31536000, immutable');
    if (asset) return serve(c, asset, 'no-cache');
    if (c.req.path === `${CONSOLE_PATH}/`) return serve(c, index, 'no-cache');
    return next();
  });
}
