// The web console's files (src/web), read once at start-up; index.html gets the disclaimer and limits filled in.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { esc } from './html';
import { MAX_NAME_CHARS } from '../attendance';
import type { AppEnv } from './types';

export const WEB_DIR = fileURLToPath(new URL('../web/', import.meta.url));

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface StaticDeps {
  disclaimer: string;
  maxChars: number;
  webDir?: string;
}

export function staticRoutes(d: StaticDeps): Hono<AppEnv> {
  const dir = d.webDir ?? WEB_DIR;
  const app = new Hono<AppEnv>();
  const index = readFileSync(path.join(dir, 'index.html'), 'utf8')
    .replaceAll('{{DISCLAIMER}}', esc(d.disclaimer))
    .replaceAll('{{MAX_CHARS}}', String(d.maxChars))
    .replaceAll('{{MAX_NAME_CHARS}}', String(MAX_NAME_CHARS));
  const assets = new Map<string, { body: string; type: string }>();
  for (const name of ['console.css', 'console.js', 'admin.css', 'favicon.svg']) {
    assets.set(name, { body: readFileSync(path.join(dir, name), 'utf8'), type: TYPES[path.extname(name)] });
  }

  app.get('/', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.html(index);
  });
  app.get('/favicon.ico', (c) => c.redirect('/static/favicon.svg', 301));
  app.get('/static/:name', (c) => {
    const a = assets.get(c.req.param('name'));
    if (!a) return c.notFound();
    return c.body(a.body, 200, { 'Content-Type': a.type, 'Cache-Control': 'no-cache' });
  });
  return app;
}
