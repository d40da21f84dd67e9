// The documents page and its JSON API over a real fixture corpus: sign-in (cookie + CSRF token, or Bearer
// ADMIN_TOKEN), uploads checked by content and built in a real child process, the index swapped live while a stream
// of questions keeps being answered, bad files refused with reasons, metadata edits and deletions.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnswerer } from '../../src/answer/index';
import { createChatCore } from '../../src/chat/core';
import { CorpusManager } from '../../src/corpus/manager';
import type { Job } from '../../src/corpus/jobs';
import { openGapStore, type GapStore } from '../../src/gaps/store';
import { LiveIndex } from '../../src/search/live-index';
import { createApp } from '../../src/server/app';
import { instrumentCore, Metrics } from '../../src/server/metrics';
import type { AppEnv } from '../../src/server/types';
import { corruptPdf, docxFromLines, imageOnlyPdf, pdfFromPages } from '../fixtures/make-fixtures';
import { SCAN_TEXTS, scannedPdf } from '../fixtures/scanned';
import { makeFixture, textMsg, type Fixture } from '../helpers/fixture';
import { peer, REMOTE, type ChatJson } from './helpers';

const TOKEN = 'documents-admin-token-2026';
const BEARER = { authorization: `Bearer ${TOKEN}` };
let fx: Fixture;
let live: LiveIndex;
let corpus: CorpusManager;
let gaps: GapStore;
let app: Hono<AppEnv>;
let scan: Buffer;
let coreRef: ReturnType<typeof instrumentCore>;

beforeAll(async () => {
  fx = await makeFixture({
    ADMIN_TOKEN: TOKEN,
    UPLOAD_MAX_MB: '1',
    RATE_LIMIT_PER_MINUTE: '10000',
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '100000',
    TRAINER_IDS: 'telegram:3131',
  });
  live = new LiveIndex(fx.retriever);
  corpus = new CorpusManager({ config: fx.config, live });
  gaps = openGapStore(path.join(fx.config.dataDir, 'unanswered.db'));
  const answerer = createAnswerer(fx.config, live);
  const metrics = new Metrics();
  const core = instrumentCore(
    createChatCore({
      config: fx.config,
      answerer,
      attendance: fx.attendance,
      retriever: live,
      feedback: fx.feedback,
      gaps,
      documents: corpus,
    }),
    metrics,
  );
  app = createApp({
    config: fx.config,
    core,
    metrics,
    retriever: live,
    attendance: fx.attendance,
    feedback: fx.feedback,
    corpus,
    gaps,
  });
  coreRef = core;
  scan = await scannedPdf([SCAN_TEXTS[2]]);
}, 120_000);
afterAll(async () => {
  await gaps?.close();
  fx?.cleanup();
});

function multipart(
  files: { name: string; data: Buffer; type?: string }[],
  extra: Record<string, string> = {},
): FormData {
  const fd = new FormData();
  for (const f of files)
    fd.append('file', new Blob([new Uint8Array(f.data)], { type: f.type ?? 'application/octet-stream' }), f.name);
  for (const [k, v] of Object.entries(extra)) fd.append(k, v);
  return fd;
}

async function api(
  pathname: string,
  init: RequestInit = {},
  env = REMOTE,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await app.request(
    pathname,
    { ...init, headers: { ...BEARER, ...(init.headers as Record<string, string>) } },
    env,
  );
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function uploadAndWait(
  files: { name: string; data: Buffer }[],
  extra: Record<string, string> = {},
): Promise<Job> {
  const r = await api('/admin/api/documents', { method: 'POST', body: multipart(files, extra) });
  expect(r.status, JSON.stringify(r.json)).toBe(202);
  return corpus.queue.finished((r.json.job as Job).id);
}

/** A browser-style admin session: the cookie and the CSRF token of its pages. */
async function adminSession(): Promise<{ cookie: string; csrf: string; page: string }> {
  const login = await app.request(
    '/admin/login',
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: TOKEN }).toString(),
    },
    peer('203.0.113.50'),
  );
  const cookie = login.headers.get('set-cookie')!.split(';')[0];
  const page = await (await app.request('/admin/documents', { headers: { cookie } }, REMOTE)).text();
  return { cookie, csrf: /<meta name="csrf-token" content="([^"]+)">/.exec(page)![1], page };
}

async function ask(text: string, sessionId = 'documents-asker-01'): Promise<ChatJson> {
  const res = await app.request('/api/chat', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sessionId, text }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as ChatJson;
}

type Row = {
  id: string;
  source: string;
  title: string;
  state: string;
  chunks: number;
  pages?: number;
  ocrPages?: number;
  textFrom?: string;
  status?: string;
  validityLabel?: string;
  error?: string;
};
const rows = async () => (await api('/admin/api/documents')).json.documents as Row[];

describe('signing in to the API', () => {
  it('needs a session or the Bearer token; a wrong token counts toward the login lockout', async () => {
    const anon = await app.request('/admin/api/documents', {}, REMOTE);
    expect(anon.status).toBe(401);
    expect(((await anon.json()) as { error: string }).error).toBe('Cần đăng nhập quản trị.');
    const attacker = peer('198.51.100.23');
    for (let i = 0; i < 5; i++) {
      const r = await app.request(
        '/admin/api/documents',
        { headers: { authorization: `Bearer guess-${i}-xxxxxxxxxxxx` } },
        attacker,
      );
      expect(r.status).toBe(401);
    }
    const locked = await app.request('/admin/api/documents', { headers: BEARER }, attacker);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBeTruthy();
    const ok = await api('/admin/api/documents');
    expect(ok.status).toBe(200);
    expect(ok.json.count).toBe(4);
    expect(ok.json.limits).toMatchObject({ maxMb: 1, types: ['pdf', 'docx', 'md', 'txt', 'html'] });
  });

  it('reads an upload only after the sign-in: an anonymous large body is 401, not 413', async () => {
    const res = await app.request(
      '/admin/api/documents',
      { method: 'POST', body: multipart([{ name: 'x.pdf', data: Buffer.alloc(3 * 1024 * 1024, 0x41) }]) },
      REMOTE,
    );
    expect(res.status).toBe(401);
  });

  it("a cookie session needs the page's CSRF token to change anything", async () => {
    const { cookie, csrf, page } = await adminSession();
    expect(csrf).toMatch(/^[\w-]{43}$/);
    // Bearer is for scripts on the API; the pages want a session.
    expect((await app.request('/admin/documents', { headers: BEARER }, REMOTE)).status).toBe(302);
    const body = () => multipart([{ name: 'x.exe', data: Buffer.from('MZ\x90\x00') }]);
    const without = await app.request(
      '/admin/api/documents',
      { method: 'POST', headers: { cookie }, body: body() },
      REMOTE,
    );
    expect(without.status).toBe(403);
    expect(await without.text()).toContain('CSRF');
    const wrong = await app.request(
      '/admin/api/documents',
      { method: 'POST', headers: { cookie, 'x-csrf-token': 'x'.repeat(43) }, body: body() },
      REMOTE,
    );
    expect(wrong.status).toBe(403);
    // With the token the request gets through to the file check (an .exe is refused there).
    const withToken = await app.request(
      '/admin/api/documents',
      { method: 'POST', headers: { cookie, 'x-csrf-token': csrf! }, body: body() },
      REMOTE,
    );
    expect(withToken.status).toBe(415);
    const del = await app.request(
      `/admin/api/documents/${(await rows())[0].id}`,
      { method: 'DELETE', headers: { cookie } },
      REMOTE,
    );
    expect(del.status).toBe(403);
    // The plain form (no script) carries the token as a hidden field.
    expect(page).toContain(`name="_csrf" value="${csrf}"`);
  });

  it('is for administrators: a signed-in trainer gets 403 and no link to it', async () => {
    const [reply] = await coreRef.handle(textMsg('/dangnhap', { userId: '3131', chatId: '3131' }));
    const code = /Mã đăng nhập trang web: (\d{4}) (\d{4})/.exec(reply.text)!;
    const res = await app.request(
      '/admin/login/code',
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ code: code[1] + code[2] }).toString(),
      },
      REMOTE,
    );
    const cookie = res.headers.get('set-cookie')!.split(';')[0];
    expect((await app.request('/admin/documents', { headers: { cookie } }, REMOTE)).status).toBe(403);
    expect((await app.request('/admin/api/documents', { headers: { cookie } }, REMOTE)).status).toBe(403);
    expect((await app.request('/admin/questions', { headers: { cookie } }, REMOTE)).status).toBe(403);
    expect(await (await app.request('/admin', { headers: { cookie } }, REMOTE)).text()).not.toContain(
      'href="/admin/documents"',
    );
  });
});

describe('uploading', () => {
  it('ingests a scanned PDF and a DOCX in the background while questions keep being answered, then swaps the index in', async () => {
    const docx = await docxFromLines('Hướng dẫn cấp phép đào đường', [
      '## Lệ phí',
      'Lệ phí cấp phép đào đường giao thông nông thôn là 150.000 đồng một lần cấp.',
    ]);
    const before = live.version;
    const r = await api('/admin/api/documents', {
      method: 'POST',
      body: multipart([
        { name: 'Thông báo tiếp công dân (bản scan).pdf', data: scan },
        { name: 'dao-duong.docx', data: docx },
      ]),
    });
    expect(r.status).toBe(202);
    const jobId = (r.json.job as Job).id;
    // A stream of questions during the build: every one answered, none failing.
    const outcomes: { status: number; text: string; version: number }[] = [];
    let finished = false;
    const done = corpus.queue.finished(jobId).then((j) => ((finished = true), j));
    const stream = async (who: string) => {
      for (let i = 0; !finished || i < 3; i++) {
        const res = await app.request('/api/chat', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            sessionId: `stream-${who}-00${i % 7}`,
            text: i % 2 ? 'đăng ký khai sinh cần giấy tờ gì' : 'lệ phí chứng thực bản sao',
          }),
        });
        outcomes.push({ status: res.status, text: ((await res.json()) as ChatJson).text ?? '', version: live.version });
        // app.request() never waits for I/O: without a macrotask turn the build's messages would never be read.
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    await Promise.all([stream('a'), stream('b'), done]);
    const job = await done;
    expect(job.state, JSON.stringify(job.log)).toBe('done');
    expect(outcomes.length).toBeGreaterThan(6);
    expect(outcomes.filter((o) => o.status !== 200 || /lỗi/i.test(o.text))).toEqual([]);
    expect(outcomes.some((o) => o.version === before)).toBe(true);
    expect(live.version).toBe(before + 1);
    const metrics = await (await app.request('/metrics')).text();
    expect(metrics).toContain(`index_version ${before + 1}`);
    expect(metrics).toContain('corpus_jobs_pending 0');

    const [pdfFile, docxFile] = job.files;
    expect(pdfFile).toMatchObject({
      name: 'Thông báo tiếp công dân (bản scan).pdf',
      source: 'tai-len/thong-bao-tiep-cong-dan-ban-scan.pdf',
      status: 'indexed',
      pages: 1,
      ocrPages: 1,
    });
    expect(docxFile).toMatchObject({ source: 'tai-len/dao-duong.docx', status: 'indexed' });
    expect(job.progress).toMatchObject({ phase: 'finished', ocrPages: 1, pages: 1 });
    expect(job.log.map((l) => l.text).join('\n')).toContain('1 trang quét đã nhận dạng chữ (OCR)');
    expect(readdirSync(path.join(fx.config.dataDir, 'uploads'))).toEqual([]);

    const listed = await rows();
    expect(listed.find((d) => d.source === pdfFile.source)).toMatchObject({
      state: 'indexed',
      pages: 1,
      ocrPages: 1,
      textFrom: 'ocr',
      title: 'THÔNG BÁO',
    });
    const answer = await ask('Chủ tịch ủy ban nhân dân xã Ea Kao tiếp công dân vào ngày nào?');
    expect(answer.citations[0]?.title).toBe('THÔNG BÁO');
    expect(answer.text).toContain('thứ Năm');
    const fee = await ask('lệ phí cấp phép đào đường giao thông nông thôn bao nhiêu?');
    expect(fee.text).toContain('150.000 đồng');
  }, 120_000);

  it('refuses a file that is too large or of an unknown type at once, with the reason', async () => {
    const big = await api('/admin/api/documents', {
      method: 'POST',
      body: multipart([{ name: 'lon.pdf', data: Buffer.alloc(1024 * 1024 + 10, 0x20) }]),
    });
    expect(big.status).toBe(413);
    expect(big.json.error).toBe('Tệp quá lớn (tối đa 1 MB mỗi lần tải lên).');
    const exe = await api('/admin/api/documents', {
      method: 'POST',
      body: multipart([{ name: 'quyet-dinh.pdf', data: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300)]) }]),
    });
    expect(exe.status).toBe(415);
    expect(exe.json.error).toMatch(/^Không nhận ra loại tệp/);
    const none = await api('/admin/api/documents', { method: 'POST', body: multipart([], { folder: 'van-ban' }) });
    expect(none.status).toBe(400);
    const json = await api('/admin/api/documents', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(415);
  });

  it('refuses encrypted, corrupt and blank scanned files in the job, with reasons, and keeps the index serving', async () => {
    const version = live.version;
    const before = await rows();
    const encrypted = await pdfFromPages([['Tài liệu mật']], { userPassword: 'bi-mat' });
    const corruptDocx = Buffer.concat([
      Buffer.from('504b0304', 'hex'),
      Buffer.from('[Content_Types].xml'),
      corruptPdf(800),
    ]);
    const job = await uploadAndWait([
      { name: 'mat.pdf', data: encrypted },
      { name: 'hong.pdf', data: corruptPdf() },
      { name: 'trang-trang.pdf', data: await imageOnlyPdf(1) },
      { name: 'hong.docx', data: corruptDocx },
    ]);
    expect(job.state).toBe('failed');
    expect(job.error).toBe('Không có tệp nào được thêm.');
    const reasons = Object.fromEntries(job.files.map((f) => [f.name, f.status === 'rejected' ? f.reason : f.status]));
    expect(reasons['mat.pdf']).toMatch(/^Tệp PDF có mật khẩu/);
    expect(reasons['hong.pdf']).toMatch(/^Tệp bị hỏng/);
    expect(reasons['trang-trang.pdf']).toMatch(/^Nhận dạng chữ \(OCR\) không tìm thấy chữ nào/);
    expect(reasons['hong.docx']).toMatch(/Không nhận ra loại tệp|Tệp bị hỏng/);
    expect(job.log.filter((l) => l.text.startsWith('Từ chối')).length).toBeGreaterThanOrEqual(3);
    expect(live.version).toBe(version);
    expect((await rows()).map((r) => r.source)).toEqual(before.map((r) => r.source));
    expect(existsSync(path.join(fx.config.corpusDir, 'tai-len/mat.pdf'))).toBe(false);
  }, 60_000);

  it('the page without script: the form posts the files and comes back with the job', async () => {
    const { cookie, csrf, page } = await adminSession();
    expect(page).toContain('Kéo thả tệp vào đây');
    const note = {
      name: 'ghi-chu.md',
      data: Buffer.from('# Lịch trực Tết\n\nBộ phận một cửa xã trực sáng mùng 4 Tết từ 8 giờ đến 11 giờ.\n'),
    };
    const forged = await app.request(
      '/admin/documents/upload',
      { method: 'POST', headers: { cookie }, body: multipart([note], { folder: 'tin-tuc' }) },
      REMOTE,
    );
    expect(forged.status).toBe(403);
    const res = await app.request(
      '/admin/documents/upload',
      { method: 'POST', headers: { cookie }, body: multipart([note], { folder: 'tin-tuc', _csrf: csrf }) },
      REMOTE,
    );
    expect(res.status).toBe(303);
    const jobId = /job=(\w[\w-]*)/.exec(res.headers.get('location') ?? '')?.[1];
    const job = await corpus.queue.finished(jobId!);
    expect(job.files[0]).toMatchObject({ source: 'tin-tuc/ghi-chu.md', status: 'indexed' });
    const after = await (await app.request('/admin/documents', { headers: { cookie } }, REMOTE)).text();
    expect(after).toContain('Lịch trực Tết');
    expect(after).toContain('tin-tuc/ghi-chu.md');
  }, 60_000);
});

describe('editing and retiring documents', () => {
  it('a metadata edit is validated, written to the sidecar and shown after the rebuild', async () => {
    const doc = (await rows()).find((d) => d.source === 'tai-len/dao-duong.docx')!;
    expect(
      (
        await api(`/admin/api/documents/${doc.id}`, {
          method: 'PATCH',
          headers: { 'content-type': 'text/plain' },
          body: '{}',
        })
      ).status,
    ).toBe(415);
    const bad = await api(`/admin/api/documents/${doc.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'tạm ngưng' }),
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/Tình trạng: "tạm ngưng" không hợp lệ/);
    expect(
      (
        await api('/admin/api/documents/bm9wZQ', {
          method: 'PATCH',
          headers: { 'content-type': 'application/json' },
          body: '{"title":"x"}',
        })
      ).status,
    ).toBe(404);
    const ok = await api(`/admin/api/documents/${doc.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Hướng dẫn cấp phép đào đường (cũ)',
        docNumber: '07/2024/QĐ-UBND',
        status: 'hết hiệu lực',
        expiredFrom: '01/01/2026',
        replacedBy: '03/2026/QĐ-UBND',
      }),
    });
    expect(ok.status).toBe(202);
    expect((await rows()).find((d) => d.id === doc.id)).toMatchObject({ pending: 'metadata' });
    const job = await corpus.queue.finished((ok.json.job as Job).id);
    expect(job.state).toBe('done');
    expect(readFileSync(path.join(fx.config.corpusDir, 'tai-len/dao-duong.docx.meta.yaml'), 'utf8')).toMatch(
      /tinh_trang: hết hiệu lực/,
    );
    expect((await rows()).find((d) => d.id === doc.id)).toMatchObject({
      title: 'Hướng dẫn cấp phép đào đường (cũ)',
      status: 'repealed',
      validityLabel: 'hết hiệu lực',
    });
    const answer = await ask('lệ phí cấp phép đào đường giao thông nông thôn bao nhiêu?', 'documents-asker-02');
    expect(answer.text).toContain('đã hết hiệu lực');
  }, 60_000);

  it('a deletion moves the file to the trash and drops it from the index', async () => {
    const doc = (await rows()).find((d) => d.source === 'tin-tuc/ghi-chu.md')!;
    const r = await api(`/admin/api/documents/${doc.id}`, { method: 'DELETE' });
    expect(r.status).toBe(202);
    const job = await corpus.queue.finished((r.json.job as Job).id);
    expect(job.state).toBe('done');
    expect((await rows()).some((d) => d.source === 'tin-tuc/ghi-chu.md')).toBe(false);
    expect(existsSync(path.join(fx.config.corpusDir, 'tin-tuc/ghi-chu.md'))).toBe(false);
    const trash = path.join(fx.config.dataDir, 'corpus-trash');
    expect(readdirSync(trash).some((d) => existsSync(path.join(trash, d, 'tin-tuc/ghi-chu.md')))).toBe(true);
    expect((await api(`/admin/api/documents/${doc.id}`, { method: 'DELETE' })).status).toBe(404);
    const j = await api(`/admin/api/jobs/${job.id}`);
    expect(j.json).toMatchObject({ id: job.id, kind: 'delete', state: 'done', target: 'tin-tuc/ghi-chu.md' });
  }, 60_000);
});
