// Document metadata from each source: Markdown frontmatter, a `<file>.meta.yaml` sidecar (TXT, PDF, DOCX, HTML),
// what the text states in its first lines, and bad metadata (reported by file name, document indexed without it).
import { DEFAULT_SEARCH_EF } from '../../src/config';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/ingest/chunk';
import { detectMeta } from '../../src/ingest/detect-meta';
import { ingest } from '../../src/search/build';
import { indexStaleness } from '../../src/search/corpus-files';
import { loadDocument, parseDate, parseSidecar, parseStatus, readMeta } from '../../src/ingest/metadata';
import { LocalHashEmbeddings } from '../../src/search/embedder-local';
import { loadChunks } from '../../src/search/chunk-store';
import { readManifest } from '../../src/search/index-store';
import { docxFromLines, pdfFromPages, REPO_ROOT, tempDir } from '../fixtures/make-fixtures';

const t = tempDir('metadata-');
afterAll(() => t.cleanup());

function put(rel: string, data: Buffer | string): [string, string] {
  const abs = path.join(t.dir, 'corpus', rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, data);
  return [abs, rel];
}

const lines = (text: string) => text.split('\n').map((l) => ({ text: l }));
const firstLine = (file: string) => readFileSync(path.join(REPO_ROOT, 'corpus/van-ban', file), 'utf8').split('\n')[0];

/** A short provincial decision, the kind of text a province adds to its corpus. */
const DECISION = [
  'ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK',
  'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  'Độc lập - Tự do - Hạnh phúc',
  'Số: 12/2025/QĐ-UBND',
  'Đắk Lắk, ngày 05 tháng 8 năm 2025',
  'QUYẾT ĐỊNH',
  'Về việc quy định mức hỗ trợ học phí cho học sinh trên địa bàn tỉnh',
  'Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;',
  'Điều 1. Mức hỗ trợ',
  'Mức hỗ trợ học phí cho học sinh là 800.000 đồng mỗi năm học.',
  'Điều 2. Hiệu lực thi hành',
  'Quyết định này có hiệu lực thi hành từ ngày 01 tháng 9 năm 2025.',
].join('\n');

describe('metadata values', () => {
  it('accepts the status wordings people write, with or without diacritics, and nothing else', () => {
    expect(parseStatus('còn hiệu lực')).toBe('in-force');
    expect(parseStatus('Het hieu luc')).toBe('repealed');
    expect(parseStatus('đã bị thay thế')).toBe('repealed');
    expect(parseStatus('được sửa đổi, bổ sung')).toBe('amended');
    expect(parseStatus('chưa có hiệu lực')).toBe('not-yet');
    expect(parseStatus('in force')).toBe('in-force');
    expect(parseStatus('tạm ngưng')).toBeUndefined();
  });

  it('reads dates as ISO and keeps "unknown" unknown', () => {
    expect(parseDate('2025-07-01')).toBe('2025-07-01');
    expect(parseDate('1/7/2025')).toBe('2025-07-01');
    expect(parseDate('ngày 12 tháng 6 năm 2025')).toBe('2025-06-12');
    expect(parseDate(new Date(Date.UTC(2025, 5, 16)))).toBe('2025-06-16');
    expect(parseDate('unknown')).toBeNull();
    expect(parseDate('không rõ')).toBeNull();
    expect(parseDate('31/2/2025')).toBeUndefined();
    expect(parseDate('sắp tới')).toBeUndefined();
  });

  it('normalises the fields and names the bad ones', () => {
    const { meta, problems } = readMeta({
      so_hieu: '77/2015/QH13',
      tinh_trang: 'hết hiệu lực',
      het_hieu_luc: '01/3/2025',
      thay_the_boi: 'Luật số 65/2025/QH15',
      sua_doi_boi: ['Luật số 21/2017/QH14', '47/2019/QH14'],
      hieu_luc: 'sắp tới',
    });
    expect(meta).toMatchObject({
      docNumber: '77/2015/QH13',
      status: 'repealed',
      expiredFrom: '2025-03-01',
      replacedBy: '65/2025/QH15',
      amendedBy: ['21/2017/QH14', '47/2019/QH14'],
    });
    expect(meta.effectiveFrom).toBeUndefined();
    expect(problems).toEqual([expect.stringMatching(/^hieu_luc: "sắp tới" is not a date/)]);
  });
});

describe('metadata from each source', () => {
  it('Markdown frontmatter: validity fields reach every chunk citation', async () => {
    const [abs, source] = put(
      'phan-cap/qd-05-2020.md',
      '---\nso_hieu: 05/2020/QĐ-UBND\ntitle: Quyết định 05/2020/QĐ-UBND về mức hỗ trợ học phí\nloai: Quyết định\nco_quan_ban_hanh: UBND tỉnh Đắk Lắk\nngay_ban_hanh: 2020-03-02\nhieu_luc: 2020-04-01\nhet_hieu_luc: 2025-09-01\ntinh_trang: hết hiệu lực\nthay_the_boi: 12/2025/QĐ-UBND\nnguon: https://example.gov.vn/qd-05\n---\n# Quyết định 05/2020\n\n## Điều 1. Mức hỗ trợ\nMức hỗ trợ học phí là 500.000 đồng.\n\n## Điều 2. Hiệu lực\nCó hiệu lực từ 01/4/2020.\n',
    );
    const raw = await loadDocument(abs, source);
    expect(raw.warnings).toEqual([]);
    const chunks = chunkDocument(raw);
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    for (const c of chunks) {
      expect(c.citation).toMatchObject({
        docNumber: '05/2020/QĐ-UBND',
        docType: 'Quyết định',
        issuer: 'UBND tỉnh Đắk Lắk',
        issued: '2020-03-02',
        effectiveFrom: '2020-04-01',
        expiredFrom: '2025-09-01',
        status: 'repealed',
        replacedBy: '12/2025/QĐ-UBND',
        url: 'https://example.gov.vn/qd-05',
      });
    }
  });

  it('TXT sidecar: <file>.meta.yaml, English aliases accepted, overrides what the text says', async () => {
    const [abs, source] = put('quyet-dinh/qd-12-2025.txt', DECISION);
    writeFileSync(
      `${abs}.meta.yaml`,
      'doc_number: 12/2025/QĐ-UBND\ntitle: Quyết định 12/2025/QĐ-UBND quy định mức hỗ trợ học phí\nstatus: in force\neffective_from: 2025-09-01\nissuer: UBND tỉnh Đắk Lắk\nkind: regulation\n',
    );
    const raw = await loadDocument(abs, source);
    expect(raw.warnings).toEqual([]);
    const [first] = chunkDocument(raw);
    expect(first.citation).toMatchObject({
      title: 'Quyết định 12/2025/QĐ-UBND quy định mức hỗ trợ học phí',
      status: 'in-force',
      effectiveFrom: '2025-09-01',
      issuer: 'UBND tỉnh Đắk Lắk',
      kind: 'regulation',
    });
  });

  it('Markdown with a sidecar: the sidecar wins over the frontmatter', async () => {
    const [abs, source] = put(
      'phan-cap/nd-99-2025.md',
      '---\nso_hieu: 99/2025/NĐ-CP\ntinh_trang: còn hiệu lực\n---\n## Điều 1. Phạm vi\nNội dung.\n',
    );
    writeFileSync(`${abs}.meta.yaml`, 'status: hết hiệu lực\nreplaced_by: 100/2026/NĐ-CP\n');
    const [c] = chunkDocument(await loadDocument(abs, source));
    expect(c.citation).toMatchObject({ docNumber: '99/2025/NĐ-CP', status: 'repealed', replacedBy: '100/2026/NĐ-CP' });
  });

  it('HTML sidecar', async () => {
    const [abs, source] = put(
      'quyet-dinh/qd-09-2024.html',
      '<html><head><title>Quyết định 09/2024/QĐ-UBND</title></head><body><h2>Điều 1. Phạm vi</h2><p>Quy định về tiếp nhận hồ sơ.</p><h2>Điều 2. Hiệu lực</h2><p>Có hiệu lực từ ngày ký.</p></body></html>',
    );
    writeFileSync(`${abs}.meta.yaml`, 'so_hieu: 09/2024/QĐ-UBND\ntinh_trang: chưa có hiệu lực\nhieu_luc: 2030-01-01\n');
    const [c] = chunkDocument(await loadDocument(abs, source));
    expect(c.citation).toMatchObject({
      title: 'Quyết định 09/2024/QĐ-UBND',
      docNumber: '09/2024/QĐ-UBND',
      status: 'not-yet',
      effectiveFrom: '2030-01-01',
    });
  });

  it('PDF and DOCX sidecars', async () => {
    const body = [
      'QUYẾT ĐỊNH 07/2024/QĐ-UBND',
      'Điều 1. Phạm vi điều chỉnh',
      'Quy định về tiếp nhận hồ sơ tại xã.',
      'Điều 2. Hiệu lực',
      'Có hiệu lực từ ngày ký.',
    ];
    const [pdf, pdfSource] = put('quyet-dinh/qd-07-2024.pdf', await pdfFromPages([body]));
    writeFileSync(
      `${pdf}.meta.yaml`,
      'tinh_trang: được sửa đổi, bổ sung\nsua_doi_boi: [12/2025/QĐ-UBND]\nngay_ban_hanh: 10/5/2024\n',
    );
    const [docx, docxSource] = put(
      'quyet-dinh/qd-08-2024.docx',
      await docxFromLines('QUYẾT ĐỊNH 08/2024/QĐ-UBND', body.slice(1)),
    );
    writeFileSync(`${docx}.meta.yml`, 'tinh_trang: hết hiệu lực\nhet_hieu_luc: 2025-01-01\n');
    const [p] = chunkDocument(await loadDocument(pdf, pdfSource));
    expect(p.citation).toMatchObject({
      status: 'amended',
      amendedBy: ['12/2025/QĐ-UBND'],
      issued: '2024-05-10',
      kind: 'regulation',
    });
    const [d] = chunkDocument(await loadDocument(docx, docxSource));
    expect(d.citation).toMatchObject({ status: 'repealed', expiredFrom: '2025-01-01' });
  });

  it('detected from the first lines of the shipped law texts when there is no metadata', () => {
    expect(detectMeta(lines(firstLine('luat-to-chuc-chinh-quyen-dia-phuong-2015.txt')))).toMatchObject({
      docNumber: '77/2015/QH13',
      docType: 'Luật',
      issuer: 'Quốc hội',
      issued: '2015-06-19',
      expiredFrom: '2025-03-01',
      status: 'repealed',
    });
    expect(detectMeta(lines(firstLine('luat-to-chuc-chinh-quyen-dia-phuong-2025.txt')))).toMatchObject({
      docNumber: '65/2025/QH15',
      issued: '2025-02-19',
      effectiveFrom: '2025-03-01',
      replacedBy: '72/2025/QH15',
      status: 'repealed',
    });
    expect(detectMeta(lines(firstLine('luat-cu-tru-2020.txt')))).toEqual({
      docNumber: '68/2020/QH14',
      title: 'Luật số 68/2020/QH14 — LUẬT CƯ TRÚ',
      docType: 'Luật',
      issuer: 'Quốc hội',
      issued: '2020-11-13',
      effectiveFrom: '2021-07-01',
    });
    // The header of Luật Đất đai states no date in force: it stays unknown rather than guessed.
    const datDai = detectMeta(lines(firstLine('luat-dat-dai-2024.txt')));
    expect(datDai).toMatchObject({ docNumber: '31/2024/QH15', issued: '2024-01-18' });
    expect(datDai.effectiveFrom).toBeUndefined();
    expect(detectMeta(lines(firstLine('nghi-dinh-151-2025-nd-cp.txt')))).toMatchObject({
      docNumber: '151/2025/NĐ-CP',
      docType: 'Nghị định',
      issuer: 'Chính phủ',
      issued: '2025-06-12',
      effectiveFrom: '2025-07-01',
    });
  });

  it('detected from a provincial decision header: number, issuer, date, title; not the "Căn cứ" dates', () => {
    expect(detectMeta(lines(DECISION))).toEqual({
      docNumber: '12/2025/QĐ-UBND',
      title: 'Quyết định về việc quy định mức hỗ trợ học phí cho học sinh trên địa bàn tỉnh',
      docType: 'Quyết định',
      issuer: 'Ủy ban nhân dân tỉnh Đắk Lắk',
      issued: '2025-08-05',
    });
  });
});

describe('bad metadata: reported by file name, the document indexed without it', () => {
  it('a sidecar that does not parse', async () => {
    const [abs, source] = put('quyet-dinh/hong-yaml.txt', DECISION);
    writeFileSync(`${abs}.meta.yaml`, 'title: [không đóng\nstatus: còn hiệu lực\n');
    const raw = await loadDocument(abs, source);
    expect(raw.warnings).toEqual([
      expect.stringMatching(
        /^quyet-dinh\/hong-yaml\.txt\.meta\.yaml: does not parse as YAML .*; metadata file ignored$/,
      ),
    ]);
    const [c] = chunkDocument(raw);
    // Indexed with what the text itself says.
    expect(c.citation).toMatchObject({ docNumber: '12/2025/QĐ-UBND', issued: '2025-08-05' });
    expect(c.citation.status).toBeUndefined();
  });

  it('a sidecar naming an unknown status is ignored as a whole; an unknown field is only reported', async () => {
    const [abs, source] = put('quyet-dinh/sai-tinh-trang.txt', DECISION);
    writeFileSync(`${abs}.meta.yaml`, 'title: Tiêu đề từ tệp metadata\ntinh_trang: tạm ngưng\n');
    const raw = await loadDocument(abs, source);
    expect(raw.warnings).toEqual([
      expect.stringMatching(
        /sai-tinh-trang\.txt\.meta\.yaml: tinh_trang: unknown status "tạm ngưng" \(expected one of: còn hiệu lực; .*\); metadata file ignored/,
      ),
    ]);
    expect(chunkDocument(raw)[0].citation.title).not.toBe('Tiêu đề từ tệp metadata');

    const [abs2, source2] = put('quyet-dinh/truong-la.txt', DECISION);
    writeFileSync(`${abs2}.meta.yaml`, 'tinh_trang: còn hiệu lực\ntrang_thai: x\n');
    const raw2 = await loadDocument(abs2, source2);
    expect(raw2.warnings).toEqual([expect.stringMatching(/truong-la\.txt\.meta\.yaml: unknown field\(s\) trang_thai/)]);
    expect(chunkDocument(raw2)[0].citation.status).toBe('in-force');
  });

  it('a sidecar that is not a mapping', () => {
    expect(parseSidecar('- một\n- hai\n').problems).toEqual(['is not a YAML mapping of field: value']);
    expect(parseSidecar('').problems).toEqual(['is empty']);
  });

  it('frontmatter that does not parse: the body is indexed, the problem reported', async () => {
    const [abs, source] = put(
      'thu-tuc/hong-frontmatter.md',
      '---\ntitle: [không đóng\n---\n# Đăng ký thử\n\n## Thành phần hồ sơ\nTờ khai.\n',
    );
    const raw = await loadDocument(abs, source);
    expect(raw.warnings).toEqual([expect.stringMatching(/^invalid frontmatter .*; indexed without it$/)]);
    const chunks = chunkDocument(raw);
    expect(chunks.map((c) => c.text).join('\n')).toContain('Tờ khai.');
    expect(chunks.map((c) => c.text).join('\n')).not.toContain('không đóng');
  });

  it('frontmatter with a bad status keeps its other fields', async () => {
    const [abs, source] = put(
      'phan-cap/sai.md',
      '---\ntitle: Văn bản thử\nso_hieu: 01/2025/NĐ-CP\ntinh_trang: tạm ngưng\n---\n## Điều 1. Phạm vi\nNội dung.\n',
    );
    const raw = await loadDocument(abs, source);
    expect(raw.warnings).toEqual([
      expect.stringMatching(/^frontmatter: tinh_trang: unknown status "tạm ngưng".*; these fields are ignored$/),
    ]);
    const [c] = chunkDocument(raw);
    expect(c.citation).toMatchObject({ title: 'Văn bản thử', docNumber: '01/2025/NĐ-CP' });
    expect(c.citation.status).toBeUndefined();
  });
});

describe('ingest with sidecars', () => {
  it('reports bad and orphan metadata, persists validity in docs.json, and re-indexes when a sidecar changes', async () => {
    const corpus = path.join(t.dir, 'ingest-corpus');
    const index = path.join(t.dir, 'ingest-index');
    mkdirSync(path.join(corpus, 'van-ban'), { recursive: true });
    writeFileSync(path.join(corpus, 'van-ban/qd-12-2025.txt'), DECISION);
    writeFileSync(
      path.join(corpus, 'van-ban/qd-12-2025.txt.meta.yaml'),
      'tinh_trang: còn hiệu lực\nhieu_luc: 2025-09-01\n',
    );
    writeFileSync(path.join(corpus, 'van-ban/qd-13-2025.txt'), DECISION.replace('12/2025', '13/2025'));
    writeFileSync(path.join(corpus, 'van-ban/qd-13-2025.txt.meta.yaml'), 'tinh_trang: ???\n');
    writeFileSync(path.join(corpus, 'van-ban/khong-co-van-ban.pdf.meta.yaml'), 'tinh_trang: còn hiệu lực\n');
    const embedder = new LocalHashEmbeddings();
    const { report } = await ingest({ corpusDir: corpus, indexDir: index, embedder, ef: DEFAULT_SEARCH_EF });
    expect(report).toMatchObject({ indexed: 2, skipped: 0, failed: 0, warnings: 2 });
    expect(report.problems).toEqual([
      {
        source: 'van-ban/khong-co-van-ban.pdf.meta.yaml',
        status: 'warning',
        reason: expect.stringMatching(/metadata file without its document \(expected van-ban\/khong-co-van-ban\.pdf/),
      },
      {
        source: 'van-ban/qd-13-2025.txt',
        status: 'warning',
        reason: expect.stringMatching(
          /qd-13-2025\.txt\.meta\.yaml: tinh_trang: unknown status "\?\?\?".*metadata file ignored/,
        ),
      },
    ]);
    const manifest = readManifest(index)!;
    const chunks = loadChunks(index, manifest.chunkCount);
    const qd12 = chunks.find((c) => c.citation.source === 'van-ban/qd-12-2025.txt')!;
    expect(qd12.citation).toMatchObject({
      status: 'in-force',
      effectiveFrom: '2025-09-01',
      docNumber: '12/2025/QĐ-UBND',
    });
    expect(indexStaleness(corpus, index, embedder.id)).toBeUndefined();

    // Editing only the sidecar (same size, later mtime) makes the index stale and the next ingest picks it up.
    const side = path.join(corpus, 'van-ban/qd-12-2025.txt.meta.yaml');
    writeFileSync(side, 'tinh_trang: hết hiệu lực\nhieu_luc: 2025-09-01\n');
    utimesSync(side, new Date(), new Date(Date.now() + 5000));
    expect(indexStaleness(corpus, index, embedder.id)).toMatch(/changed (metadata of|file) van-ban\/qd-12-2025\.txt/);
    const again = await ingest({ corpusDir: corpus, indexDir: index, embedder, ef: DEFAULT_SEARCH_EF });
    expect(again.report).toMatchObject({ indexed: 1, unchanged: 1 });
    const after = loadChunks(index, readManifest(index)!.chunkCount).find(
      (c) => c.citation.source === 'van-ban/qd-12-2025.txt',
    )!;
    expect(after.citation.status).toBe('repealed');
  });
});
