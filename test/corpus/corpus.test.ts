// The pieces of corpus management that need no build: what an upload is (by its bytes), the name it is stored
// under, metadata edits written to a sidecar that ingest reads back, corpus paths that cannot escape, and the job
// queue that runs one build at a time.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { LocalJobQueue, type Job } from '../../src/corpus/jobs';
import { validateEdit, writeSidecarEdit } from '../../src/corpus/metadata-edit';
import { applyOp, safeSource } from '../../src/corpus/ops';
import { corpusFileName, sniffUpload } from '../../src/corpus/sniff';
import { chunkDocument } from '../../src/ingest/chunk';
import { loadDocument } from '../../src/ingest/metadata';
import { docxFromLines, pdfFromPages, tempDir } from '../fixtures/make-fixtures';

let t: ReturnType<typeof tempDir>;
beforeAll(() => {
  t = tempDir('tlhc-corpus-');
});
afterAll(() => t.cleanup());

describe('what an upload is', () => {
  it('is judged by its bytes, whatever its name says', async () => {
    const pdf = await pdfFromPages([['Quyết định']]);
    const docx = await docxFromLines('Thủ tục', ['## Lệ phí', 'Miễn phí.']);
    expect(await sniffUpload('quyet-dinh.docx', pdf)).toEqual({ ok: true, ext: '.pdf' });
    expect(await sniffUpload('thu-tuc.pdf', docx)).toEqual({ ok: true, ext: '.docx' });
    expect(
      await sniffUpload('trang.txt', Buffer.from('<!DOCTYPE html><html><body><p>Xin chào</p></body></html>')),
    ).toEqual({ ok: true, ext: '.html' });
    expect(await sniffUpload('ghi-chu.md', Buffer.from('# Đăng ký\n\nNội dung.'))).toEqual({ ok: true, ext: '.md' });
    expect(await sniffUpload('ghi-chu.pdf', Buffer.from('Chỉ là chữ, không phải PDF.'))).toEqual({
      ok: true,
      ext: '.txt',
    });
  });

  it('refuses programs, images, old Office files, plain ZIPs, binary and empty files with their own reason', async () => {
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const cfb = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(600)]);
    const zip = new JSZip();
    zip.file('a.txt', 'x');
    const plainZip = await zip.generateAsync({ type: 'nodebuffer' });
    const refusal = async (name: string, b: Buffer) => {
      const r = await sniffUpload(name, b);
      return r.ok ? 'accepted' : r.refusal;
    };
    expect(await refusal('x.pdf', exe)).toBe('unknown-type');
    expect(await refusal('scan.pdf', png)).toBe('image');
    expect(await refusal('qd.docx', cfb)).toBe('legacy-office');
    expect(await refusal('qd.docx', plainZip)).toBe('unknown-type');
    expect(await refusal('a.txt', Buffer.from([0x41, 0x00, 0x42, 0xff, 0xfe]))).toBe('not-text');
    expect(await refusal('a.txt', Buffer.alloc(0))).toBe('empty-file');
  });

  it('is stored under an ASCII name with the extension its content has', () => {
    expect(corpusFileName('Quyết định 12-2025 (bản ký).PDF', '.pdf')).toBe('quyet-dinh-12-2025-ban-ky.pdf');
    expect(corpusFileName('../../etc/passwd', '.txt')).toBe('passwd.txt');
    expect(corpusFileName('C:\\Tài liệu\\Đơn.docx', '.docx')).toBe('don.docx');
    expect(corpusFileName('...', '.md')).toBe('van-ban.md');
  });
});

describe('corpus paths', () => {
  it('never leave the corpus', () => {
    expect(safeSource('van-ban/qd.pdf')).toBe('van-ban/qd.pdf');
    for (const bad of ['../x.pdf', '/etc/passwd', 'a/../../b', 'van-ban/.hidden', '', 'a//b'])
      expect(safeSource(bad), bad).toBeUndefined();
    expect(() =>
      applyOp(
        { op: 'delete', source: '../outside.txt' },
        { corpusDir: path.join(t.dir, 'c'), trashDir: path.join(t.dir, 'trash'), jobId: 'j1', now: new Date() },
      ),
    ).toThrow(/not a corpus path/);
  });

  it('a replaced or deleted file goes to the trash with its sidecar, not away', () => {
    const corpus = path.join(t.dir, 'c2');
    const ctx = {
      corpusDir: corpus,
      trashDir: path.join(t.dir, 'trash2'),
      jobId: 'jX',
      now: new Date('2026-03-01T08:00:00Z'),
    };
    mkdirSync(path.join(corpus, 'van-ban'), { recursive: true });
    writeFileSync(path.join(corpus, 'van-ban/qd.txt'), 'bản 1');
    writeFileSync(path.join(corpus, 'van-ban/qd.txt.meta.yaml'), 'so_hieu: 1/2026/QĐ-UBND\n');
    writeFileSync(path.join(t.dir, 'staged'), 'bản 2');
    expect(
      applyOp({ op: 'add', staged: path.join(t.dir, 'staged'), source: 'van-ban/qd.txt', name: 'qd.txt' }, ctx),
    ).toEqual({ replaced: true });
    const day = path.join(ctx.trashDir, '2026-03-01T08-00-00-000Z-jX');
    expect(readFileSync(path.join(corpus, 'van-ban/qd.txt'), 'utf8')).toBe('bản 2');
    expect(readFileSync(path.join(day, 'van-ban/qd.txt'), 'utf8')).toBe('bản 1');
    // The new version keeps the metadata officials set.
    expect(existsSync(path.join(corpus, 'van-ban/qd.txt.meta.yaml'))).toBe(true);
    applyOp({ op: 'delete', source: 'van-ban/qd.txt' }, { ...ctx, jobId: 'jY' });
    expect(existsSync(path.join(corpus, 'van-ban/qd.txt'))).toBe(false);
    const del = path.join(ctx.trashDir, '2026-03-01T08-00-00-000Z-jY/van-ban');
    expect(readFileSync(path.join(del, 'qd.txt.meta.yaml'), 'utf8')).toContain('1/2026/QĐ-UBND');
  });
});

describe('metadata edits', () => {
  it('are checked, with Vietnamese messages', () => {
    expect(validateEdit({ status: 'tạm ngưng' })).toEqual({
      errors: [expect.stringMatching(/^Tình trạng: "tạm ngưng" không hợp lệ/)],
    });
    expect(validateEdit({ expiredFrom: '31/02/2026' })).toEqual({ errors: [expect.stringMatching(/không phải ngày/)] });
    expect(validateEdit({ owner: 'x' })).toEqual({ errors: [expect.stringMatching(/Trường không sửa được: "owner"/)] });
    expect(validateEdit({ title: 5 })).toEqual({ errors: ['Tên văn bản: phải là chữ.'] });
    expect(validateEdit({})).toEqual({ errors: ['Không có trường nào để sửa.'] });
    expect(
      validateEdit({ status: 'repealed', expiredFrom: '01/09/2025', replacedBy: '  12/2025/QĐ-UBND ', docNumber: '' }),
    ).toEqual({
      edit: { status: 'hết hiệu lực', expiredFrom: '2025-09-01', replacedBy: '12/2025/QĐ-UBND', docNumber: null },
    });
  });

  it('are written to the sidecar, keep its other keys, replace aliases, and are what ingest reads', async () => {
    const corpus = path.join(t.dir, 'c3');
    mkdirSync(corpus, { recursive: true });
    const doc = path.join(corpus, 'qd-05-2020.txt');
    writeFileSync(
      doc,
      'QUYẾT ĐỊNH\nQuy định mức hỗ trợ học phí.\nĐiều 1. Mức hỗ trợ\nHọc sinh được hỗ trợ 50% học phí.\nĐiều 2. Hiệu lực\nCó hiệu lực từ ngày ký.\n',
    );
    writeFileSync(`${doc}.meta.yaml`, 'status: in force\nkind: regulation\nnguon: https://vbpl.vn/x\n');
    const v = validateEdit({
      status: 'hết hiệu lực',
      expiredFrom: '2025-09-01',
      replacedBy: '12/2025/QĐ-UBND',
      docNumber: '05/2020/QĐ-UBND',
    });
    if (!('edit' in v)) throw new Error(v.errors.join());
    writeSidecarEdit(`${doc}.meta.yaml`, v.edit);
    const yaml = readFileSync(`${doc}.meta.yaml`, 'utf8');
    expect(yaml).not.toMatch(/^status:/m);
    expect(yaml).toMatch(/^tinh_trang: hết hiệu lực$/m);
    expect(yaml).toMatch(/^nguon: https:\/\/vbpl\.vn\/x$/m);
    const raw = await loadDocument(doc, 'van-ban/qd-05-2020.txt');
    expect(raw.warnings ?? []).toEqual([]);
    expect(chunkDocument(raw)[0].citation).toMatchObject({
      status: 'repealed',
      expiredFrom: '2025-09-01',
      replacedBy: '12/2025/QĐ-UBND',
      docNumber: '05/2020/QĐ-UBND',
      url: 'https://vbpl.vn/x',
    });
  });
});

describe('the job queue', () => {
  it('runs one job at a time, in order; a later job waits, a failing one is marked failed and the next runs', async () => {
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const q = new LocalJobQueue(async (_job, spec, update) => {
      events.push(`start ${spec.target}`);
      update((j) => j.log.push({ at: '', text: `running ${spec.target}` }));
      if (spec.target === 'a') await gate;
      if (spec.target === 'b') throw new Error('boom');
      events.push(`end ${spec.target}`);
    });
    const a = q.submit({ kind: 'rebuild', by: 'admin', target: 'a', ops: [] });
    const b = q.submit({ kind: 'rebuild', by: 'admin', target: 'b', ops: [] });
    const c = q.submit({ kind: 'rebuild', by: 'admin', target: 'c', ops: [] });
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual(['start a']);
    expect([q.get(a.id)!.state, q.get(b.id)!.state, q.get(c.id)!.state]).toEqual(['running', 'queued', 'queued']);
    expect([q.ahead(a.id), q.ahead(b.id), q.ahead(c.id)]).toEqual([0, 1, 2]);
    release();
    const done: Job = await q.finished(c.id);
    expect(events).toEqual(['start a', 'end a', 'start b', 'start c', 'end c']);
    expect([q.get(a.id)!.state, q.get(b.id)!.state, done.state]).toEqual(['done', 'failed', 'done']);
    expect(done.log.map((l) => l.text)).toEqual(['running c']);
    expect(q.list().map((j) => j.id)).toEqual([c.id, b.id, a.id]);
    // Copies: a caller cannot change the queue's record.
    q.get(a.id)!.state = 'queued';
    expect(q.get(a.id)!.state).toBe('done');
  });
});
