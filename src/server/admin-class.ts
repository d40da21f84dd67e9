// Class, session and learner pages of the dashboard: roster upload, grace period, the matrix export, fixing a
// check-in's match and marking someone present. A trainer reaches only their own classes (404 otherwise).
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import {
  type AttendanceStore,
  type ClassRecord,
  classReport,
  cleanText,
  compactDate,
  CSV_MIME,
  exportFileStem,
  localDayEndMs,
  localDayStartMs,
  MANUAL_CHANNEL,
  manualUserId,
  matrixCsv,
  matrixXlsx,
  MAX_GRACE_MINUTES,
  MAX_ROSTER_BYTES,
  parseDateArg,
  parseRosterFile,
  rosterErrorVi,
  type SessionRecord,
  XLSX_MIME,
} from '../attendance';
import { classPage, learnerPage, sessionPage, type ClassNotice } from './class-pages';
import { contentDisposition } from './file-store';
import type { Viewer } from './types';
import type { AppEnv } from './types';

interface ClassRouteDeps {
  store: AttendanceStore;
  now: () => Date;
}

const mayView = (v: Viewer, owner: string, openedBy?: string): boolean =>
  v.role === 'admin' || (v.identity !== undefined && (owner === v.identity || openedBy === v.identity));

/** ?from=&to= (dd/mm/yyyy or yyyy-mm-dd) as a range; an error text for a bad date. */
function rangeOf(
  q: Record<string, string | undefined>,
): { range: { fromMs?: number; toMs?: number }; from?: string; to?: string } | { error: string } {
  const out: { range: { fromMs?: number; toMs?: number }; from?: string; to?: string } = { range: {} };
  for (const which of ['from', 'to'] as const) {
    const raw = cleanText(q[which] ?? '');
    if (!raw) continue;
    const d = parseDateArg(raw);
    if (!d) return { error: 'Ngày không hợp lệ (dạng dd/mm/yyyy).' };
    out[which] = raw;
    if (which === 'from') out.range.fromMs = localDayStartMs(d);
    else out.range.toMs = localDayEndMs(d);
  }
  if (out.range.fromMs !== undefined && out.range.toMs !== undefined && out.range.fromMs >= out.range.toMs) {
    return { error: 'Ngày bắt đầu phải trước ngày kết thúc.' };
  }
  return out;
}

export function classRoutes(d: ClassRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const nowMs = () => d.now().getTime();
  const notFound = (c: Context<AppEnv>) => c.text('Không tìm thấy hoặc bạn không có quyền xem.', 404);

  const classFor = async (c: Context<AppEnv>): Promise<ClassRecord | undefined> => {
    const id = Number(c.req.param('id'));
    const cls = Number.isSafeInteger(id) ? await d.store.getClass(id) : undefined;
    return cls && mayView(c.get('viewer'), cls.owner) ? cls : undefined;
  };
  const sessionFor = async (c: Context<AppEnv>): Promise<SessionRecord | undefined> => {
    const s = await d.store.getSessionByCode(c.req.param('code')?.toUpperCase() ?? '');
    return s && mayView(c.get('viewer'), s.classOwner, s.openedBy) ? s : undefined;
  };
  const form = async (c: Context<AppEnv>): Promise<Record<string, string>> => {
    const body = await c.req.parseBody().catch(() => ({}));
    return Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  };

  const renderClass = async (c: Context<AppEnv>, cls: ClassRecord, notice?: ClassNotice, status: 200 | 400 = 200) => {
    const r = rangeOf(c.req.query());
    const report = (await classReport(d.store, cls.id))!;
    return c.html(
      classPage(report, {
        notice: notice ?? ('error' in r ? { errors: [r.error] } : undefined),
        from: c.req.query('from'),
        to: c.req.query('to'),
        nowMs: nowMs(),
      }),
      status,
    );
  };

  app.get('/admin/classes/:id', async (c) => {
    const cls = await classFor(c);
    if (!cls) return notFound(c);
    const done = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(c.req.query('imported') ?? '');
    const notice: ClassNotice | undefined = done
      ? { imported: { added: +done[1], updated: +done[2], removed: +done[3], unchanged: +done[4] } }
      : c.req.query('saved')
        ? { saved: true }
        : undefined;
    return renderClass(c, cls, notice);
  });

  app.post('/admin/classes', bodyLimit({ maxSize: 4096 }), async (c) => {
    const v = c.get('viewer');
    const name = cleanText((await form(c)).name ?? '');
    if (!v.identity || !name || [...name].length > 120) return c.text('Tên lớp không hợp lệ.', 400);
    const cls = await d.store.ensureClass(v.identity, name, nowMs());
    return c.redirect(`/admin/classes/${cls.id}`, 303);
  });

  app.post(
    '/admin/classes/:id/roster',
    bodyLimit({ maxSize: MAX_ROSTER_BYTES + 64 * 1024, onError: (c) => c.text('Tệp quá lớn (tối đa 2 MB).', 413) }),
    async (c) => {
      const cls = await classFor(c);
      if (!cls) return notFound(c);
      const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const file = body.file;
      if (!(file instanceof File) || file.size === 0)
        return renderClass(c, cls, { errors: ['Hãy chọn tệp CSV hoặc Excel (.xlsx).'] }, 400);
      const parsed = await parseRosterFile(Buffer.from(await file.arrayBuffer()));
      if (!parsed.ok) return renderClass(c, cls, { errors: parsed.errors.map(rosterErrorVi), file: file.name }, 400);
      const r = await d.store.replaceRoster(cls.id, parsed.learners, nowMs());
      return c.redirect(`/admin/classes/${cls.id}?imported=${r.added}.${r.updated}.${r.removed}.${r.unchanged}`, 303);
    },
  );

  app.post('/admin/classes/:id/grace', bodyLimit({ maxSize: 4096 }), async (c) => {
    const cls = await classFor(c);
    if (!cls) return notFound(c);
    const raw = (await form(c)).minutes ?? '';
    const n = /^\d{1,3}$/.test(raw.trim()) ? Number(raw) : NaN;
    if (!(n >= 0 && n <= MAX_GRACE_MINUTES))
      return renderClass(c, cls, { errors: [`Số phút tính muộn phải từ 0 đến ${MAX_GRACE_MINUTES}.`] }, 400);
    await d.store.setGraceMinutes(cls.id, n);
    return c.redirect(`/admin/classes/${cls.id}?saved=1`, 303);
  });

  app.post('/admin/classes/:id/learners/:lid/remove', async (c) => {
    const cls = await classFor(c);
    if (!cls) return notFound(c);
    const l = (await d.store.listLearners(cls.id)).find((x) => x.id === Number(c.req.param('lid')));
    if (!l) return notFound(c);
    await d.store.removeLearner(l.id, nowMs());
    return c.redirect(`/admin/classes/${cls.id}?saved=1`, 303);
  });

  const matrix = (kind: 'csv' | 'xlsx') => async (c: Context<AppEnv>) => {
    const cls = await classFor(c);
    if (!cls) return notFound(c);
    const r = rangeOf(c.req.query());
    if ('error' in r) return c.text(r.error, 400);
    const report = (await classReport(d.store, cls.id, r.range))!;
    const data = kind === 'csv' ? matrixCsv(report) : await matrixXlsx(report);
    const filename = `${exportFileStem(cls.name, compactDate(nowMs())).replace(/^diem-danh/, 'bang-diem-danh')}.${kind}`;
    return c.body(new Uint8Array(data), 200, {
      'Content-Type': kind === 'csv' ? CSV_MIME : XLSX_MIME,
      'Content-Disposition': contentDisposition(filename),
    });
  };
  app.get('/admin/classes/:id/matrix.csv', matrix('csv'));
  app.get('/admin/classes/:id/matrix.xlsx', matrix('xlsx'));

  app.get('/admin/learners/:id', async (c) => {
    const learner = await d.store.getLearner(Number(c.req.param('id')));
    const cls = learner ? await d.store.getClass(learner.classId) : undefined;
    if (!learner || !cls || !mayView(c.get('viewer'), cls.owner)) return notFound(c);
    return c.html(learnerPage((await classReport(d.store, cls.id))!, learner));
  });

  const renderSession = async (c: Context<AppEnv>, s: SessionRecord, error?: string) => {
    const report = (await classReport(d.store, s.classId))!;
    const r = report.sessions.find((x) => x.session.id === s.id)!;
    return c.html(
      sessionPage(report, r, { nowMs: nowMs(), error, saved: Boolean(c.req.query('saved')) }),
      error ? 400 : 200,
    );
  };

  app.get('/admin/sessions/:code', async (c) => {
    const s = await sessionFor(c);
    return s ? renderSession(c, s) : notFound(c);
  });

  // Fix a match: learner id, "none" (not on the roster) or "auto" (let matching decide again).
  app.post('/admin/sessions/:code/link', bodyLimit({ maxSize: 4096 }), async (c) => {
    const s = await sessionFor(c);
    if (!s) return notFound(c);
    const f = await form(c);
    const checkin = await d.store.getCheckin(Number(f.checkin));
    const learners = await d.store.listLearners(s.classId, { includeRemoved: true });
    const target =
      f.learner === 'none'
        ? null
        : f.learner === 'auto'
          ? undefined
          : learners.find((l) => l.id === Number(f.learner))?.id;
    if (!checkin || checkin.sessionId !== s.id || (target === undefined && f.learner !== 'auto')) {
      return renderSession(c, s, 'Không sửa được: lượt điểm danh hoặc học viên không thuộc buổi này.');
    }
    await d.store.linkCheckin(checkin.id, target, c.get('viewer').identity ?? 'admin', nowMs());
    return c.redirect(`/admin/sessions/${s.code}?saved=1`, 303);
  });

  // An absent learner who was there after all: a check-in by hand at the current time (like /them).
  app.post('/admin/sessions/:code/present', bodyLimit({ maxSize: 4096 }), async (c) => {
    const s = await sessionFor(c);
    if (!s) return notFound(c);
    const id = Number((await form(c)).learner);
    const l = (await d.store.listLearners(s.classId)).find((x) => x.id === id);
    if (!l) return renderSession(c, s, 'Không tìm thấy học viên này trong lớp.');
    const out = await d.store.checkIn({
      sessionId: s.id,
      channel: MANUAL_CHANNEL,
      userId: manualUserId(l.id, l.name),
      name: l.name,
      nameGiven: true,
      at: nowMs(),
      messageId: null,
    });
    if (out.kind === 'full') return renderSession(c, s, `Buổi đã đủ ${out.capacity} người.`);
    return c.redirect(`/admin/sessions/${s.code}?saved=1`, 303);
  });
  return app;
}
