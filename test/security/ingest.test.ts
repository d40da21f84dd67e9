// Security findings 1, 11, 12 and 13 of issue 15 (ingest): each test reproduces the attack on a real file.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/ingest/chunk';
import { LoadError, loadFile } from '../../src/ingest/loaders';
import { MAX_CHUNK_CHARS } from '../../src/ingest/split-common';
import { docxFromLines, tempDir } from '../fixtures/make-fixtures';

const t = tempDir('security-ingest-');
afterAll(() => t.cleanup());

function put(rel: string, data: Buffer | string): [string, string] {
  const abs = path.join(t.dir, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, data);
  return [abs, rel];
}

/** Loads a file that must be refused; `before` runs first, on the outcome, whatever it is. */
async function loadError(rel: string, data: Buffer | string, before?: () => void): Promise<LoadError> {
  const [abs, source] = put(rel, data);
  const err = await loadFile(abs, source).then(
    () => undefined,
    (e: unknown) => e,
  );
  before?.();
  expect(err).toBeInstanceOf(LoadError);
  expect((err as LoadError).source).toBe(source);
  return err as LoadError;
}

describe('finding 1: frontmatter is YAML only, never code', () => {
  it.each(['js', 'javascript', 'JS'])('a "---%s" block is not run; the file is refused by name', async (lang) => {
    const marker = path.join(t.dir, `pwned-${lang}`);
    const payload = `{ title: require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran') || 'x' }`;
    const err = await loadError(`tin-tuc/bay-${lang}.md`, `---${lang}\n${payload}\n---\n# Tin\n\nNội dung.\n`, () =>
      expect(existsSync(marker), 'the frontmatter ran as code').toBe(false),
    );
    expect(err.reason).toContain('only YAML frontmatter');
    expect(err.message).toContain(`tin-tuc/bay-${lang}.md`);
  });

  it('JSON and unknown frontmatter languages are refused too; a .txt file is no different', async () => {
    expect((await loadError('tin-tuc/a.md', '---json\n{"title": "x"}\n---\nNội dung.')).reason).toContain(
      '"json" refused',
    );
    expect((await loadError('tin-tuc/b.txt', '---coffee\ntitle: "x"\n---\nNội dung.')).reason).toContain('refused');
    expect((await loadError('tin-tuc/c.md', '---toml\ntitle = "x"\n---\nNội dung.')).reason).toContain(
      '"toml" refused',
    );
  });

  it('YAML frontmatter still becomes metadata', async () => {
    const [abs, source] = put(
      'thu-tuc/ok.md',
      '---\ntitle: Đăng ký khai sinh\ntu_khoa: [khai sinh]\n---\n# Đăng ký khai sinh\n\nNội dung.\n',
    );
    expect((await loadFile(abs, source)).metadata).toMatchObject({
      title: 'Đăng ký khai sinh',
      tu_khoa: ['khai sinh'],
    });
  });
});

describe('finding 11: DOCX decompression bombs', () => {
  /** A real DOCX whose document.xml is replaced by `mb` megabytes of text in one run (it deflates ~1000x). */
  async function bomb(mb: number): Promise<Buffer> {
    const zip = await JSZip.loadAsync(await docxFromLines('Bom', ['Đoạn mở đầu.']));
    const xml = await zip.file('word/document.xml')!.async('string');
    const filler = 'a'.repeat(mb * 1024 * 1024);
    zip.file('word/document.xml', xml.replace('Đoạn mở đầu.', filler));
    return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
  }

  it('a small DOCX that inflates past the ratio limit is refused by name before mammoth reads it', async () => {
    const data = await bomb(40);
    expect(data.length).toBeLessThan(200 * 1024);
    const err = await loadError('tin-tuc/bom.docx', data);
    expect(err.reason).toMatch(/zip bomb/);
    expect(err.reason).toContain('times its size');
  });

  it('a DOCX above the absolute limit (32 MB inflated) is refused even when its ratio looks ordinary', async () => {
    // Incompressible filler: the ratio stays ~1, the size passes the 32 MB limit.
    const zip = await JSZip.loadAsync(await docxFromLines('Lớn', ['x']));
    const noise = Buffer.alloc(32 * 1024 * 1024 + 1024);
    for (let i = 0; i < noise.length; i += 4) noise.writeUInt32LE((Math.imul(i, 2654435761) ^ (i >>> 7)) >>> 0, i);
    zip.file('word/media/noise.bin', noise);
    const data = await zip.generateAsync({ type: 'nodebuffer', compression: 'STORE' });
    expect((await loadError('tin-tuc/lon.docx', data)).reason).toMatch(/more than 32\.0 MB/);
  });

  it('an ordinary DOCX still loads', async () => {
    const [abs, source] = put('tin-tuc/thuong.docx', await docxFromLines('Tin thường', ['Một đoạn văn bình thường.']));
    expect((await loadFile(abs, source)).pages[0].text).toContain('Một đoạn văn bình thường.');
  });
});

describe('finding 12: binary data with a text extension is reported, not indexed', () => {
  it('random bytes named .txt', async () => {
    const junk = Buffer.alloc(64 * 1024);
    for (let i = 0; i < junk.length; i++) junk[i] = (Math.imul(i + 1, 2654435761) >>> 13) & 0xff;
    expect((await loadError('tin-tuc/rac.txt', junk)).reason).toMatch(/not valid UTF-8/);
  });

  it('a PNG renamed .md, and a file full of NUL bytes', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2048, 0)]);
    expect((await loadError('tin-tuc/anh.md', png)).reason).toMatch(/not valid UTF-8|NUL/);
    expect((await loadError('tin-tuc/nul.txt', Buffer.alloc(4096, 0))).reason).toContain('NUL');
  });

  it('valid UTF-8 that is mostly control characters', async () => {
    const text = Array.from({ length: 4000 }, (_, i) => (i % 10 === 0 ? '\u0001' : 'a')).join('');
    expect((await loadError('tin-tuc/dieu-khien.txt', text)).reason).toMatch(/binary data \(10\.0 % control/);
  });

  it('Vietnamese text in a legacy 8-bit encoding is refused with a hint to save it as UTF-8', async () => {
    // "Đăng ký" in Windows-1258: Đ = 0xD0, ă = 0xE3, then "ng k", y + combining acute (0xEC).
    const cp1258 = Buffer.from([0xd0, 0xe3, 0x6e, 0x67, 0x20, 0x6b, 0x79, 0xec, 0x0a]);
    expect((await loadError('tin-tuc/cu.txt', cp1258)).reason).toContain('save it as UTF-8');
  });

  it('UTF-8 text with a BOM, tabs and CRLF line ends is fine', async () => {
    const [abs, source] = put('tin-tuc/bom.txt', Buffer.from('\uFEFFDòng một\tcó tab\r\nDòng hai\r\n', 'utf8'));
    expect((await loadFile(abs, source)).pages[0].text).toContain('Dòng một\tcó tab');
  });
});

describe('finding 13: a paragraph of 10 million characters without punctuation', () => {
  const long = 'xin chào bà con '.repeat(650_000); // 10.4 M characters, no sentence end

  it.each(['tin-tuc/dai.md', 'thu-tuc/dai.md', 'phan-cap/dai.md'])(
    '%s is split into bounded chunks, nothing lost',
    (source) => {
      const chunks = chunkDocument({
        source,
        format: 'md',
        metadata: {},
        pages: [{ text: `Tiêu đề\n\n## Thành phần hồ sơ\n\n${long}` }],
      });
      expect(chunks.length).toBeGreaterThan(long.length / MAX_CHUNK_CHARS - 1);
      for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(MAX_CHUNK_CHARS);
      const words = chunks.reduce((n, c) => n + (c.text.match(/chào/g)?.length ?? 0), 0);
      expect(words).toBeGreaterThanOrEqual(650_000);
    },
  );
});
