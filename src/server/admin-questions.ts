// /admin/questions (page), /admin/questions.csv and /admin/api/questions: the report of what the corpus cannot answer.
import { Hono, type Context } from 'hono';
import type { GapStore } from '../gaps';
import { contentDisposition } from './file-store';
import { KINDS, PERIODS, questionsCsv, questionsPage, type QuestionsFilter } from './questions-page';
import { compactDate, CSV_MIME } from '../attendance';
import type { AppEnv } from './types';

export function questionRoutes(d: { gaps: GapStore; now: () => Date }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const filterOf = (c: Context<AppEnv>): QuestionsFilter => ({
    period: PERIODS[c.req.query('period') ?? ''] ? c.req.query('period')! : '90',
    kind: KINDS[c.req.query('kind') ?? ''] ? c.req.query('kind')! : 'all',
  });
  const groups = (f: QuestionsFilter) => {
    const days = PERIODS[f.period].days;
    return d.gaps.groups({
      since: days ? new Date(d.now().getTime() - days * 86_400_000) : undefined,
      kind: KINDS[f.kind].kind,
    });
  };
  const adminOnly = async (c: Context<AppEnv>, next: () => Promise<void>) =>
    c.get('viewer').role === 'admin' ? next() : c.text('Chỉ quản trị viên xem được báo cáo này.', 403);
  app.use('/admin/questions', adminOnly);
  app.use('/admin/questions.csv', adminOnly);
  app.use('/admin/api/questions', adminOnly);

  app.get('/admin/questions', async (c) => {
    const f = filterOf(c);
    return c.html(questionsPage(await groups(f), f));
  });
  app.get('/admin/questions.csv', async (c) => {
    const f = filterOf(c);
    const name = `cau-hoi-chua-tra-loi-duoc-${compactDate(d.now().getTime())}.csv`;
    return c.body(new Uint8Array(questionsCsv(await groups(f))), 200, {
      'Content-Type': CSV_MIME,
      'Content-Disposition': contentDisposition(name),
    });
  });
  app.get('/admin/api/questions', async (c) => {
    const f = filterOf(c);
    return c.json({ filter: f, groups: await groups(f) });
  });
  return app;
}
