// /admin/documents (page) and /admin/api/documents, /admin/api/jobs (JSON API for the page and for scripts):
// upload, list, edit metadata, delete; every change is a background job whose progress the page shows.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import {
  type CorpusManager,
  corpusMsg,
  EDITABLE,
  type EditableField,
  refusalText,
  type Submitted,
  UPLOAD_FOLDERS,
  type UploadFile,
} from '../corpus';
import { type DocStatus, todayIso } from '../domain';
import { STATUS_LABEL } from '../ingest';
import { CSRF_FIELD, CSRF_HEADER, type CsrfTokens } from './csrf';
import { documentsPage, documentsTable, jobsSection } from './documents-page';
import type { AppEnv } from './types';

export interface DocumentRouteDeps {
  corpus: CorpusManager;
  csrf: CsrfTokens;
  now: () => Date;
}

/** Request paths that read an upload: they have their own body limit (the app exempts them from the default). */
export const UPLOAD_PATHS = ['/admin/api/documents', '/admin/documents/upload'];

const SUPPORTED = ['pdf', 'docx', 'md', 'txt', 'html'];

export function documentRoutes(d: DocumentRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const corpus = d.corpus;
  // Multipart framing on top of the files themselves.
  const uploadLimit = (json: boolean) =>
    bodyLimit({
      maxSize: corpus.maxBytes + 256 * 1024,
      onError: (c) =>
        json
          ? c.json({ error: refusalText('too-large', corpus.limits) }, 413)
          : c.text(refusalText('too-large', corpus.limits), 413),
    });
  const by = (c: Context<AppEnv>) => c.get('viewer').identity ?? (c.get('auth') === 'bearer' ? 'api' : 'admin');
  const adminOnly = async (c: Context<AppEnv>, next: () => Promise<void>) => {
    if (c.get('viewer').role === 'admin') return next();
    return c.req.path.startsWith('/admin/api/')
      ? c.json({ error: 'Chỉ quản trị viên được quản lý văn bản.' }, 403)
      : c.text('Chỉ quản trị viên được quản lý văn bản.', 403);
  };
  app.use('/admin/documents', adminOnly);
  app.use('/admin/documents/*', adminOnly);
  app.use('/admin/api/documents', adminOnly);
  app.use('/admin/api/documents/*', adminOnly);
  app.use('/admin/api/jobs', adminOnly);
  app.use('/admin/api/jobs/*', adminOnly);

  // Changes need the session's CSRF token (header or form field), except with Bearer.
  const csrfOk = (c: Context<AppEnv>, form?: Record<string, unknown>) => {
    const given =
      c.req.header(CSRF_HEADER) ?? (typeof form?.[CSRF_FIELD] === 'string' ? (form[CSRF_FIELD] as string) : undefined);
    return d.csrf.verify(c, given);
  };
  const csrfRefused = (c: Context<AppEnv>) =>
    c.json({ error: 'Thiếu hoặc sai mã chống giả mạo (CSRF): tải lại trang rồi thử lại.' }, 403);

  async function filesOf(
    c: Context<AppEnv>,
  ): Promise<{ form: Record<string, unknown>; files: UploadFile[] } | undefined> {
    let form: Record<string, unknown>;
    try {
      form = await c.req.parseBody({ all: true });
    } catch {
      return undefined;
    }
    const raw = form.file;
    const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(
      (x): x is File => x instanceof File,
    );
    const files = await Promise.all(
      list.map(async (f) => ({ name: f.name, data: Buffer.from(await f.arrayBuffer()) })),
    );
    return { form, files };
  }
  const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);

  const page = async (
    c: Context<AppEnv>,
    extra: { notice?: string; error?: string; errors?: { name: string; error: string }[] } = {},
    status: 200 | 400 | 403 | 404 | 409 | 413 | 415 = 200,
  ) =>
    c.html(
      documentsPage({
        documents: corpus.documents(),
        jobs: corpus.queue.list(10),
        csrf: await d.csrf.tokenFor(c),
        limits: corpus.limits,
        ...extra,
      }),
      status,
    );

  app.get('/admin/documents', async (c) => {
    // Parts for the page's script, which refreshes them while jobs run.
    const part = c.req.query('part');
    if (part === 'jobs') return c.html(jobsSection(corpus.queue.list(10)));
    if (part === 'table') return c.html(documentsTable(corpus.documents(), await d.csrf.tokenFor(c)));
    const job = c.req.query('job');
    return page(
      c,
      job && corpus.queue.get(job) ? { notice: 'Đã nhận yêu cầu; theo dõi tiến độ ở mục “Việc lập chỉ mục”.' } : {},
    );
  });

  const submittedPage = (c: Context<AppEnv>, r: Submitted) =>
    r.ok ? c.redirect(`/admin/documents?job=${r.job.id}`, 303) : page(c, { error: r.error, errors: r.files }, r.status);

  app.post('/admin/documents/upload', uploadLimit(false), async (c) => {
    const got = await filesOf(c);
    if (!got) return page(c, { error: corpusMsg.noFile }, 400);
    if (!(await csrfOk(c, got.form)))
      return c.text('Thiếu hoặc sai mã chống giả mạo (CSRF): tải lại trang rồi thử lại.', 403);
    return submittedPage(
      c,
      await corpus.upload(got.files, { by: by(c), folder: String(one(got.form.folder) ?? 'auto') }),
    );
  });

  app.post('/admin/documents/:id/edit', async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    if (!(await csrfOk(c, form)))
      return c.text('Thiếu hoặc sai mã chống giả mạo (CSRF): tải lại trang rồi thử lại.', 403);
    const current = corpus.documents().find((x) => x.id === c.req.param('id'));
    if (!current) return page(c, { error: corpusMsg.notFound }, 404);
    // The form shows every field: only those the official changed are written.
    const shown: Record<EditableField, string | undefined> = {
      title: current.title,
      docNumber: current.docNumber,
      docType: current.docType,
      status: current.status,
      effectiveFrom: current.effectiveFrom?.split('-').reverse().join('/'),
      expiredFrom: current.expiredFrom?.split('-').reverse().join('/'),
      replacedBy: current.replacedBy,
    };
    const body: Record<string, string> = {};
    for (const k of EDITABLE) {
      const v = typeof form[k] === 'string' ? (form[k] as string).trim() : undefined;
      if (v === undefined) continue;
      const was = k === 'status' && current.status ? STATUS_LABEL[current.status as DocStatus] : shown[k];
      if (v !== (was ?? '')) body[k] = v;
    }
    if (!Object.keys(body).length) return page(c, { notice: 'Không có thay đổi nào.' });
    return submittedPage(c, corpus.editMetadata(current.id, body, by(c)));
  });

  app.post('/admin/documents/:id/delete', async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    if (!(await csrfOk(c, form)))
      return c.text('Thiếu hoặc sai mã chống giả mạo (CSRF): tải lại trang rồi thử lại.', 403);
    return submittedPage(c, corpus.remove(c.req.param('id'), by(c)));
  });

  // ---- JSON API ----
  const submittedJson = (c: Context<AppEnv>, r: Submitted) =>
    r.ok ? c.json({ job: r.job }, 202) : c.json({ error: r.error, ...(r.files ? { files: r.files } : {}) }, r.status);

  app.get('/admin/api/documents', (c) => {
    const documents = corpus.documents();
    return c.json({
      today: todayIso(d.now()),
      count: documents.length,
      documents,
      jobs: corpus.queue.list(10),
      limits: { ...corpus.limits, types: SUPPORTED },
      folders: Object.fromEntries(Object.entries(UPLOAD_FOLDERS).map(([k, f]) => [k, f.label])),
    });
  });

  app.post('/admin/api/documents', uploadLimit(true), async (c) => {
    if (!/^multipart\/form-data/i.test(c.req.header('content-type') ?? ''))
      return c.json({ error: 'Gửi tệp dạng multipart/form-data, trường "file".' }, 415);
    if (!(await csrfOk(c))) return csrfRefused(c);
    const got = await filesOf(c);
    if (!got) return c.json({ error: 'Không đọc được dữ liệu multipart.' }, 400);
    return submittedJson(
      c,
      await corpus.upload(got.files, { by: by(c), folder: String(one(got.form.folder) ?? 'auto') }),
    );
  });

  app.patch('/admin/api/documents/:id', async (c) => {
    if (!/^application\/json/i.test(c.req.header('content-type') ?? ''))
      return c.json({ error: 'Gửi JSON (Content-Type: application/json).' }, 415);
    if (!(await csrfOk(c))) return csrfRefused(c);
    const body = await c.req.json().catch(() => undefined);
    if (body === undefined) return c.json({ error: 'JSON không hợp lệ.' }, 400);
    return submittedJson(c, corpus.editMetadata(c.req.param('id'), body, by(c)));
  });

  app.delete('/admin/api/documents/:id', async (c) => {
    if (!(await csrfOk(c))) return csrfRefused(c);
    return submittedJson(c, corpus.remove(c.req.param('id'), by(c)));
  });

  app.get('/admin/api/jobs', (c) =>
    c.json({ jobs: corpus.queue.list(Math.min(100, Number(c.req.query('limit')) || 20)) }),
  );
  app.get('/admin/api/jobs/:id', (c) => {
    const job = corpus.queue.get(c.req.param('id'));
    return job ? c.json(job) : c.json({ error: 'Không tìm thấy việc này (chỉ giữ 100 việc gần nhất).' }, 404);
  });
  return app;
}
