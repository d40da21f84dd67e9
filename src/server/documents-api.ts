// GET /api/documents: the corpus's documents with their validity today (the web console's /nguon tatca as data).
import { Hono } from 'hono';
import { VALIDITY_LABEL } from '../corpus';
import { type Chunk, currentReplacement, documentsOf, todayIso, validityAt } from '../domain';
import type { AppEnv } from './types';

export function documentsRoutes(d: { chunks: () => Chunk[]; now?: () => Date }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/api/documents', (c) => {
    const today = todayIso(d.now?.());
    const docs = documentsOf(d.chunks());
    const kind = c.req.query('kind');
    const documents = docs
      .filter((x) => !kind || x.kind === kind)
      .map((x) => {
        const validity = validityAt(x, today, today);
        return {
          ...x,
          validity,
          validityLabel: VALIDITY_LABEL[validity],
          currentReplacement: x.replacedBy ? currentReplacement(x, docs, today) : undefined,
        };
      });
    c.header('Cache-Control', 'no-cache');
    return c.json({ today, count: documents.length, documents });
  });
  return app;
}
