import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS, RUNNING_HEADER, makeBinaryCorpus, parseMarkdownDoc } from '../../scripts/make-binary-corpus';
import { chunkDocument, prepareDocument } from '../../src/ingest/chunk';
import { loadFile } from '../../src/ingest/loaders';
import type { Chunk } from '../../src/domain/corpus';
import { REPO_ROOT, tempDir } from '../fixtures/make-fixtures';

/** scripts/make-binary-corpus.ts on a temporary copy of its Markdown sources (corpus-src/). */
const t = tempDir('binary-corpus-');
const corpusDir = path.join(t.dir, 'corpus');
const srcDir = path.join(t.dir, 'corpus-src');
const chunks = new Map<string, Chunk[]>();
const prepared = new Map<string, ReturnType<typeof prepareDocument>>();
let written: string[] = [];

beforeAll(async () => {
  // Sources as they were before the first run: Markdown inside the corpus, nothing in corpus-src yet.
  for (const j of JOBS) {
    const from = existsSync(path.join(REPO_ROOT, 'corpus-src', j.from))
      ? path.join(REPO_ROOT, 'corpus-src', j.from)
      : path.join(REPO_ROOT, 'corpus', j.from);
    mkdirSync(path.dirname(path.join(corpusDir, j.from)), { recursive: true });
    cpSync(from, path.join(corpusDir, j.from));
  }
  written = await makeBinaryCorpus({ corpusDir, srcDir, replace: true });
  for (const rel of written) {
    const raw = await loadFile(path.join(corpusDir, rel), rel);
    chunks.set(rel, chunkDocument(raw));
    prepared.set(rel, prepareDocument(raw));
  }
});
afterAll(() => t.cleanup());

describe('make-binary-corpus', () => {
  it('writes the four printed files, keeps the Markdown in corpus-src and removes it from the corpus (--replace)', () => {
    expect(written.sort()).toEqual([
      'phan-cap/nd-118-2025.docx',
      'phan-cap/nd-142-2025.pdf',
      'thu-tuc/chung-thuc-chu-ky.pdf',
      'thu-tuc/dang-ky-giam-ho.docx',
    ]);
    for (const j of JOBS) {
      expect(existsSync(path.join(corpusDir, j.to))).toBe(true);
      expect(existsSync(path.join(corpusDir, j.from))).toBe(false);
      expect(existsSync(path.join(srcDir, j.from))).toBe(true);
    }
    expect(readFileSync(path.join(corpusDir, 'thu-tuc/chung-thuc-chu-ky.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    expect(readFileSync(path.join(corpusDir, 'phan-cap/nd-118-2025.docx')).subarray(0, 2).toString()).toBe('PK');
  });

  it('regenerates from corpus-src once the Markdown is gone from the corpus, byte-identical for PDF', async () => {
    const before = readFileSync(path.join(corpusDir, 'phan-cap/nd-142-2025.pdf'));
    await makeBinaryCorpus({ corpusDir, srcDir, jobs: JOBS.filter((j) => j.to.endsWith('.pdf')) });
    expect(readFileSync(path.join(corpusDir, 'phan-cap/nd-142-2025.pdf')).equals(before)).toBe(true);
  });

  it('parses frontmatter into printable facts and Markdown into blocks', () => {
    const doc = parseMarkdownDoc(
      '---\ntitle: T dài\nso_hieu: 1/2025/NĐ-CP\nngay_ban_hanh: 2025-06-09\ntu_khoa: [a, b]\n---\n# Tiêu đề\n\nĐoạn\nmột.\n\n## Mục\n- ý một\n1. bước một\n',
    );
    expect(doc.title).toBe('Tiêu đề');
    expect(doc.facts).toEqual(['Số hiệu: 1/2025/NĐ-CP', 'Ngày ban hành: 09/06/2025', 'Từ khóa: a, b']);
    expect(doc.keywords).toEqual(['a', 'b']);
    expect(doc.blocks).toEqual([
      { type: 'paragraph', text: 'Đoạn một.' },
      { type: 'heading', text: 'Mục' },
      { type: 'bullet', text: 'ý một' },
      { type: 'numbered', n: 1, text: 'bước một' },
    ]);
  });

  it('the procedure PDF chunks by section with page numbers and no running header or page footer', () => {
    const cs = chunks.get('thu-tuc/chung-thuc-chu-ky.pdf')!;
    const doc = prepared.get('thu-tuc/chung-thuc-chu-ky.pdf')!;
    expect(doc).toMatchObject({ kind: 'procedure', title: 'Chứng thực chữ ký', docId: 'chung-thuc-chu-ky-pdf' });
    const sections = cs.map((c) => c.citation.section);
    for (const s of [
      'Cơ quan thực hiện',
      'Thành phần hồ sơ',
      'Trình tự thực hiện',
      'Thời hạn giải quyết',
      'Lệ phí',
      'Căn cứ pháp lý',
      'Lưu ý',
    ])
      expect(sections).toContain(s);
    expect(new Set(cs.map((c) => c.citation.page))).toEqual(new Set([1, 2, 3]));
    const fee = cs.find((c) => c.citation.section === 'Lệ phí')!;
    expect(fee.text).toContain('10.000 đồng/trường hợp');
    const steps = cs.find((c) => c.citation.section === 'Trình tự thực hiện')!;
    expect(steps.text).toMatch(/^1\. Hỏi Bộ phận Một cửa/m);
    expect(steps.text).toMatch(/^3\. Nộp phí/m);
    assertNoBoilerplate(cs);
  });

  it('the decree PDF has at least 2 pages, its number detected, and loses header and footer', () => {
    const cs = chunks.get('phan-cap/nd-142-2025.pdf')!;
    const doc = prepared.get('phan-cap/nd-142-2025.pdf')!;
    expect(doc).toMatchObject({ kind: 'regulation', docNumber: '142/2025/NĐ-CP' });
    expect(doc.title).toMatch(/^Nghị định 142\/2025\/NĐ-CP/);
    expect(Math.max(...doc.lines.map((l) => l.page ?? 0))).toBeGreaterThanOrEqual(2);
    expect(cs.every((c) => c.citation.docNumber === '142/2025/NĐ-CP')).toBe(true);
    expect(cs.map((c) => c.text).join('\n')).toContain('Chủ tịch UBND cấp xã');
    assertNoBoilerplate(cs);
  });

  it('the procedure DOCX chunks by section', () => {
    const cs = chunks.get('thu-tuc/dang-ky-giam-ho.docx')!;
    expect(prepared.get('thu-tuc/dang-ky-giam-ho.docx')).toMatchObject({ kind: 'procedure', title: 'Đăng ký giám hộ' });
    expect(cs.map((c) => c.citation.section)).toEqual(
      expect.arrayContaining(['Cơ quan thực hiện', 'Thành phần hồ sơ', 'Thời hạn giải quyết', 'Lệ phí']),
    );
    expect(cs.find((c) => c.citation.section === 'Cơ quan thực hiện')!.text).toContain(
      'Đăng ký giám hộ do UBND cấp xã',
    );
    assertNoBoilerplate(cs);
  });

  it('the decree DOCX gets its number and title from the text', () => {
    const doc = prepared.get('phan-cap/nd-118-2025.docx')!;
    expect(doc).toMatchObject({ kind: 'regulation', docNumber: '118/2025/NĐ-CP' });
    expect(doc.title).toMatch(/^Nghị định 118\/2025\/NĐ-CP/);
    const cs = chunks.get('phan-cap/nd-118-2025.docx')!;
    expect(cs.map((c) => c.text).join('\n')).toContain('không phụ thuộc địa giới hành chính');
    assertNoBoilerplate(cs);
  });

  // The DOCX loader goes through HTML so Word headings stay headings. (PDF text carries no heading markup, so a
  // printed decree summary without "Điều" lines is split into plain windows instead.)
  it('printed decree sections survive as citation sections (DOCX)', () => {
    expect(chunks.get('phan-cap/nd-118-2025.docx')!.map((c) => c.citation.section)).toContain(
      'Nộp hồ sơ không phụ thuộc địa giới hành chính',
    );
  });
});

function assertNoBoilerplate(cs: Chunk[]) {
  const all = cs.map((c) => c.text).join('\n');
  expect(all).not.toContain(RUNNING_HEADER);
  expect(all).not.toMatch(/Trang \d+\/\d+/);
  expect(all).not.toMatch(/^\d+$/m);
}
