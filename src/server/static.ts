// The web console: index.html read once at start-up with the disclaimer and limits filled in; assets from src/web.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { MAX_NAME_CHARS } from '../attendance';
import type { AppEnv } from './types';

const WEB_DIR = fileURLToPath(new URL('../web/', import.meta.url));

/** The files under /static (index.html is served at / with its placeholders filled in). */
const ASSETS = new Set(['console.css', 'console.js', 'admin.css', 'admin-documents.js', 'favicon.svg']);

interface StaticDeps {
  disclaimer: string;
  maxChars: number;
  webDir?: string;
}

export function staticRoutes(d: StaticDeps): Hono<AppEnv> {
  const dir = d.webDir ?? WEB_DIR;
  const app = new Hono<AppEnv>();
  const index = readFileSync(path.join(dir, 'index.html'), 'utf8')
    .replaceAll('{{DISCLAIMER}}', String(html`${d.disclaimer}`))
    .replaceAll('{{MAX_CHARS}}', String(d.maxChars))
    .replaceAll('{{MAX_NAME_CHARS}}', String(MAX_NAME_CHARS));
  app.get('/', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.html(index);
  });
  app.get('/favicon.ico', (c) => c.redirect('/static/favicon.svg', 301));
  app.get(
    '/static/:name',
    (c, next) => {
      if (!ASSETS.has(c.req.param('name'))) return c.notFound();
      c.header('Cache-Control', 'no-cache');
      return next();
    },
    serveStatic({ root: dir, rewriteRequestPath: (p) => p.replace(/^\/static/, '') }),
  );
  return app;
}
