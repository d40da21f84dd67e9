import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkDocument, prepareDocument } from '../../src/ingest/chunk';
import { LoadError, SUPPORTED_EXTENSIONS, loadFile } from '../../src/ingest/loaders';
import {
  PROCEDURE_PAGES,
  RUNNING_HEADER,
  corruptPdf,
  docxFromLines,
  emptyDocx,
  imageOnlyPdf,
  pdfFromPages,
  tempDir,
} from '../fixtures/make-fixtures';

const t = tempDir('loaders-');
afterAll(() => t.cleanup());

/** Write a fixture under thu-tuc/ (or another folder) of the temp corpus; returns [absolute path, source]. */
function put(rel: string, data: Buffer | string): [string, string] {
  const abs = path.join(t.dir, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, data);
  return [abs, rel];
}

async function loadError(rel: string, data: Buffer | string): Promise<LoadError> {
  const [abs, source] = put(rel, data);
  const err = await loadFile(abs, source).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LoadError);
  expect((err as LoadError).source).toBe(source);
  return err as LoadError;
}

describe('PDF loader', () => {
  let pdf: [string, string];
  beforeAll(async () => {
    pdf = put(
      'thu-tuc/dang-ky-thuong-tru.pdf',
      await pdfFromPages(PROCEDURE_PAGES, {
        title: 'Đăng ký thường trú',
        header: RUNNING_HEADER,
        footer: (n, total) => `Trang ${n}/${total}`,
      }),
    );
  });

  it('extracts NFC text per page with page numbers and the Info title', async () => {
    const raw = await loadFile(...pdf);
    expect(raw.format).toBe('pdf');
    expect(raw.pages.map((p) => p.num)).toEqual([1, 2, 3]);
    expect(raw.metadata.title).toBe('Đăng ký thường trú');
    expect(raw.pages[0].text).toContain('Công an cấp xã nơi công dân đề nghị đăng ký thường trú.');
    for (const p of raw.pages) expect(p.text).toBe(p.text.normalize('NFC'));
  });

  it('chunks by procedure section, with page citations and no header, footer or page number left', async () => {
    const chunks = chunkDocument(await loadFile(...pdf));
    const bySection = new Map(chunks.map((c) => [c.citation.section, c]));
    for (const s of [
      'Cơ quan thực hiện',
      'Thành phần hồ sơ',
      'Trình tự thực hiện',
      'Thời hạn giải quyết',
      'Lệ phí',
      'Căn cứ pháp lý',
    ])
      expect(bySection.has(s), s).toBe(true);
    expect(bySection.get('Thành phần hồ sơ')!.citation.page).toBe(1);
    expect(bySection.get('Thời hạn giải quyết')!.citation.page).toBe(2);
    expect(bySection.get('Lệ phí')!.citation.page).toBe(3);
    // The wrapped line of page 3 is one paragraph again.
    expect(bySection.get('Lệ phí')!.text).toContain('nộp trực tuyến được giảm 50%.');
    const all = chunks.map((c) => c.text).join('\n');
    expect(all).not.toContain('CỔNG THÔNG TIN ĐIỆN TỬ');
    expect(all).not.toMatch(/Trang \d\/3/);
    expect(chunks[0].citation).toMatchObject({
      docId: 'dang-ky-thuong-tru-pdf',
      title: 'Đăng ký thường trú',
      kind: 'procedure',
      source: 'thu-tuc/dang-ky-thuong-tru.pdf',
    });
  });

  it('a password-protected PDF is a LoadError saying it is encrypted', async () => {
    const err = await loadError(
      'thu-tuc/ma-hoa.pdf',
      await pdfFromPages([['Tài liệu mật']], { userPassword: 'bi-mat' }),
    );
    expect(err.reason).toMatch(/encrypted|password/i);
  });

  it('an image-only PDF is a LoadError asking for OCR', async () => {
    const err = await loadError('thu-tuc/ban-scan.pdf', await imageOnlyPdf());
    expect(err.reason).toMatch(/no extractable text/i);
    expect(err.reason).toMatch(/OCR/);
  });

  it('random bytes behind a %PDF- header are a LoadError saying the PDF is corrupt', async () => {
    const err = await loadError('thu-tuc/hong.pdf', corruptPdf());
    expect(err.reason).toMatch(/corrupt or invalid PDF/i);
    expect(err.message).toContain('thu-tuc/hong.pdf');
  });

  it('a truncated PDF is a LoadError or still yields text, never a crash', async () => {
    const full = await pdfFromPages([['Trang đầu tiên của tài liệu'], ['Trang thứ hai']]);
    const [abs, source] = put('thu-tuc/cut.pdf', full.subarray(0, Math.floor(full.length / 3)));
    await loadFile(abs, source).then(
      (raw) => expect(raw.pages.length).toBeGreaterThan(0),
      (err: unknown) => expect(err).toBeInstanceOf(LoadError),
    );
  });
});

describe('DOCX loader', () => {
  it('extracts the paragraphs; the Heading 1 becomes the title and procedure sections are found', async () => {
    const lines = [
      '## Cơ quan thực hiện',
      'Công an cấp xã.',
      '## Thành phần hồ sơ',
      'Tờ khai CT01.',
      'Giấy tờ chứng minh chỗ ở hợp pháp.',
      '## Lệ phí',
      'Miễn phí khi nộp trực tuyến.',
    ];
    const [abs, source] = put('thu-tuc/tam-tru.docx', await docxFromLines('Đăng ký tạm trú', lines));
    const raw = await loadFile(abs, source);
    expect(raw.format).toBe('docx');
    expect(raw.pages).toHaveLength(1);
    expect(raw.pages[0].text).toContain('Giấy tờ chứng minh chỗ ở hợp pháp.');
    const chunks = chunkDocument(raw);
    expect(chunks[0].citation.title).toBe('Đăng ký tạm trú');
    expect(chunks.map((c) => c.citation.section)).toEqual(
      expect.arrayContaining(['Cơ quan thực hiện', 'Thành phần hồ sơ', 'Lệ phí']),
    );
    const hs = chunks.find((c) => c.citation.section === 'Thành phần hồ sơ')!;
    expect(hs.text).toBe('Thành phần hồ sơ\nTờ khai CT01.\nGiấy tờ chứng minh chỗ ở hợp pháp.');
    expect(hs.citation.page).toBeUndefined();
  });

  it('finds the document number of a decree printed as DOCX', async () => {
    const [abs, source] = put(
      'phan-cap/nd-7.docx',
      await docxFromLines('Nghị định quy định thử nghiệm', [
        'Số hiệu: 07/2025/NĐ-CP',
        'Điều 1. Phạm vi',
        'Nội dung một.',
        'Điều 2. Hiệu lực',
        'Nội dung hai.',
      ]),
    );
    const doc = prepareDocument(await loadFile(abs, source));
    expect(doc).toMatchObject({
      kind: 'regulation',
      docNumber: '07/2025/NĐ-CP',
      title: 'Nghị định quy định thử nghiệm',
    });
  });

  it('an empty DOCX is a LoadError "DOCX has no text"', async () => {
    expect((await loadError('thu-tuc/rong.docx', await emptyDocx())).reason).toBe('DOCX has no text');
  });

  it('a file that is not a zip is a LoadError saying the DOCX is corrupt', async () => {
    expect((await loadError('thu-tuc/hong.docx', corruptPdf(2000, 3))).reason).toMatch(/corrupt or invalid DOCX/);
  });
});

describe('HTML loader', () => {
  it('uses <title>, keeps headings and text, skips nav/script/style', async () => {
    const html = `<!doctype html><html><head><title> Bình dân học vụ số </title><style>.x{color:red}</style></head>
      <body><nav><a href="/">Trang chủ</a> | Menu</nav><script>var secret = 1;</script>
      <h1>Bình dân học vụ số</h1><h2>Mục tiêu</h2><p>Phổ cập <b>kỹ năng số</b> cho người dân.</p>
      <ul><li>Học trực tuyến</li><li>Miễn phí</li></ul><img src="x.png" alt="ảnh"></body></html>`;
    const [abs, source] = put('tin-tuc/bdhvs.html', html);
    const raw = await loadFile(abs, source);
    expect(raw.format).toBe('html');
    expect(raw.metadata.title).toBe('Bình dân học vụ số');
    const text = raw.pages[0].text;
    expect(text).toContain('Phổ cập kỹ năng số cho người dân.');
    expect(text).toContain('Mục tiêu');
    expect(text).toContain('Học trực tuyến');
    expect(text).not.toContain('secret');
    expect(text).not.toContain('color:red');
    expect(text).not.toContain('Trang chủ');
    const chunks = chunkDocument(raw);
    expect(chunks[0].citation).toMatchObject({ kind: 'news', title: 'Bình dân học vụ số', docId: 'bdhvs-html' });
  });
});

describe('Markdown and text loaders', () => {
  it('parses frontmatter into metadata and strips a BOM', async () => {
    const [abs, source] = put(
      'thu-tuc/a.md',
      '\uFEFF---\ntitle: Cấp thẻ căn cước\ncap_nhat: 2025-11-20\ntu_khoa: [cccd, căn cước]\n---\n# Cấp thẻ căn cước\nNội dung.',
    );
    const raw = await loadFile(abs, source);
    expect(raw.metadata.title).toBe('Cấp thẻ căn cước');
    expect(raw.metadata.tu_khoa).toEqual(['cccd', 'căn cước']);
    expect(raw.pages[0].text.trim()).toBe('# Cấp thẻ căn cước\nNội dung.');
  });

  it('keeps no copy of the file once loaded (gray-matter caches texts parsed without options)', async () => {
    const [abs, source] = put('thu-tuc/cache.md', '---\ntitle: Không lưu đệm\n---\nNội dung riêng của tệp này.');
    const raw = await loadFile(abs, source);
    expect(raw.metadata.title).toBe('Không lưu đệm');
    expect(
      Object.keys((matter as unknown as { cache: Record<string, unknown> }).cache).filter((k) =>
        k.includes('Nội dung riêng của tệp này'),
      ),
    ).toEqual([]);
  });

  it('a .txt file without frontmatter loads as text', async () => {
    const [abs, source] = put('tin-tuc/b.txt', 'Tin ngắn về chuyển đổi số.');
    const raw = await loadFile(abs, source);
    expect(raw).toMatchObject({ format: 'txt', metadata: {} });
    expect(chunkDocument(raw)[0].citation.docId).toBe('b');
  });

  it('broken frontmatter is reported and the text is loaded without it (bad metadata never costs the document)', async () => {
    const [abs, source] = put('thu-tuc/broken.md', '---\ntitle: [không đóng\n---\nNội dung');
    const raw = await loadFile(abs, source);
    expect(raw.metadata).toEqual({});
    expect(raw.pages[0].text).toBe('Nội dung');
    expect(raw.warnings).toEqual([expect.stringMatching(/^invalid frontmatter \(.+\); indexed without it$/)]);
  });
});

describe('unsupported and unreadable files', () => {
  it.each(['bang-tinh.xlsx', 'anh.png', 'khong-duoi'])(
    '%s is a LoadError listing the supported types',
    async (name) => {
      const err = await loadError(`khac/${name}`, 'x');
      expect(err.reason).toMatch(/^unsupported file type "(\.\w+|\(none\))"/);
      for (const ext of ['.pdf', '.docx', '.md']) expect(err.reason).toContain(ext);
    },
  );

  it('a missing file is a LoadError with the errno code', async () => {
    const err = await loadFile(path.join(t.dir, 'khong-co.md'), 'khong-co.md').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoadError);
    expect((err as LoadError).reason).toMatch(/cannot read file: ENOENT/);
  });

  it('extension matching is case-insensitive', async () => {
    expect(SUPPORTED_EXTENSIONS).toContain('.pdf');
    const [abs, source] = put('thu-tuc/HOA.PDF', await pdfFromPages([['Đăng ký kết hôn']]));
    expect((await loadFile(abs, source)).format).toBe('pdf');
  });
});
