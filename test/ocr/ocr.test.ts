// OCR with Debian's Tesseract (tesseract-ocr-vie) and pdftoppm on scanned PDFs made from known Vietnamese text:
// the character error rate stays under the targets, diacritics survive, mixed PDFs keep their text layer, results
// are cached by file hash, and a tool that hangs, is missing or finds nothing gives a clear LoadError.
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { loadFile, LoadError } from '../../src/ingest/loaders';
import { openRetriever } from '../../src/search/engine';
import { createOcrEngine, type OcrSettings } from '../../src/ocr/engine';
import { imageOnlyPdf, tempDir } from '../fixtures/make-fixtures';
import { characterErrorRate, mixedPdf, SCAN_TEXTS, SCAN_VARIANTS, scannedPdf } from '../fixtures/scanned';

let t: ReturnType<typeof tempDir>;
const settings = (o: Partial<OcrSettings> = {}): OcrSettings => ({
  tesseractPath: 'tesseract',
  pdftoppmPath: 'pdftoppm',
  lang: 'vie',
  dpi: 300,
  pageTimeoutMs: 60_000,
  cacheDir: path.join(t.dir, 'cache'),
  ...o,
});
function put(name: string, data: Buffer): [string, string] {
  const abs = path.join(t.dir, name);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, data);
  return [abs, name];
}
const loadError = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a LoadError');
    },
    (e: unknown) => e as LoadError,
  );

beforeAll(() => {
  t = tempDir('tlhc-ocr-');
});
afterAll(() => t.cleanup());

describe('scanned PDFs', () => {
  it('a clean scan is read with under 3 % character errors, diacritics intact', async () => {
    const [abs, source] = put('clean.pdf', await scannedPdf([SCAN_TEXTS[0]]));
    const doc = await loadFile(abs, source, { ocr: createOcrEngine(settings()) });
    expect([doc.pageCount, doc.ocrPages]).toEqual([1, 1]);
    const text = doc.pages[0].text;
    expect(characterErrorRate(SCAN_TEXTS[0], text)).toBeLessThanOrEqual(0.03);
    expect(text).toContain('Học sinh thuộc hộ nghèo, hộ cận nghèo được hỗ trợ 100% học phí.');
    expect(text).toContain('Ủy ban nhân dân');
    expect(text).toBe(text.normalize('NFC'));
  });

  it('a tilted, specked scan is read with under 8 % character errors', async () => {
    const noisy = SCAN_VARIANTS.find((v) => v.noisy && v.opts.rotate)!;
    const [abs, source] = put('noisy.pdf', await scannedPdf([SCAN_TEXTS[1]], noisy.opts));
    const doc = await loadFile(abs, source, { ocr: createOcrEngine(settings()) });
    expect(characterErrorRate(SCAN_TEXTS[1], doc.pages[0].text)).toBeLessThanOrEqual(0.08);
    expect(doc.pages[0].text).toMatch(/Lệ phí: 100\.000 đồng/);
  });

  it('a mixed PDF keeps its text layer and recognises only the scanned page', async () => {
    const [abs, source] = put('mixed.pdf', await mixedPdf(SCAN_TEXTS[1], SCAN_TEXTS[2]));
    const pages: number[] = [];
    const doc = await loadFile(abs, source, {
      ocr: createOcrEngine(settings()),
      onOcrPage: (done, total) => pages.push(done, total),
    });
    expect([doc.pageCount, doc.ocrPages]).toEqual([2, 1]);
    expect(pages).toEqual([1, 1]);
    // Page 1 is pdf.js's text layer (exact), page 2 Tesseract's reading.
    expect(doc.pages[0].text).toContain('THỦ TỤC ĐĂNG KÝ KINH DOANH HỘ GIA ĐÌNH');
    expect(characterErrorRate(SCAN_TEXTS[2], doc.pages[1].text)).toBeLessThanOrEqual(0.03);
  });

  it('results are cached by file hash: the same file needs no Tesseract the second time', async () => {
    const data = await scannedPdf([SCAN_TEXTS[2]]);
    const [abs, source] = put('cached.pdf', data);
    const hash = createHash('sha256').update(data).digest('hex');
    const first = await createOcrEngine(settings()).recognize(abs, [1], { hash });
    expect(first[0].fromCache).toBe(false);
    // A missing Tesseract would fail at once: the cache answers instead.
    const again = await createOcrEngine(settings({ tesseractPath: '/nonexistent/tesseract' })).recognize(abs, [1], {
      hash,
    });
    expect(again[0]).toMatchObject({ fromCache: true, text: first[0].text });
    // The loader keys the cache by the file's bytes too.
    const doc = await loadFile(abs, source, {
      ocr: createOcrEngine(settings({ tesseractPath: '/nonexistent/tesseract' })),
    });
    expect([doc.ocrPages, doc.pages[0].text]).toEqual([1, first[0].text]);
    expect(doc.pages[0].text).toContain('tiếp công dân');
  });
});

describe('OCR that cannot help', () => {
  it('a scan with no text at all (drawings only) is refused as "OCR found no text"', async () => {
    const [abs, source] = put('blank.pdf', await imageOnlyPdf(1));
    const err = await loadError(loadFile(abs, source, { ocr: createOcrEngine(settings()) }));
    expect(err).toBeInstanceOf(LoadError);
    expect(err.code).toBe('ocr-empty');
  });

  it('a Tesseract that hangs is killed at the page time limit', async () => {
    // A stand-in for the tool that lists its languages, then hangs on the page.
    const fake = path.join(t.dir, 'bin/tesseract');
    mkdirSync(path.dirname(fake), { recursive: true });
    writeFileSync(
      fake,
      '#!/bin/sh\nif [ "$1" = "--list-langs" ]; then printf "List of available languages (1):\\nvie\\n"; exit 0; fi\nexec sleep 30\n',
    );
    chmodSync(fake, 0o755);
    const [abs, source] = put('hang.pdf', await scannedPdf([SCAN_TEXTS[0]], { seed: 99 }));
    const t0 = Date.now();
    const err = await loadError(
      loadFile(abs, source, {
        ocr: createOcrEngine(settings({ tesseractPath: fake, pageTimeoutMs: 1500, cacheDir: undefined })),
      }),
    );
    expect(err.code).toBe('ocr-failed');
    expect(err.reason).toMatch(/killed after 1500 ms/);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('without Tesseract, a scanned PDF is refused saying how to install it; without OCR, saying OCR is off', async () => {
    const [abs, source] = put('nobin.pdf', await scannedPdf([SCAN_TEXTS[0]], { seed: 7 }));
    const missing = await loadError(
      loadFile(abs, source, {
        ocr: createOcrEngine(settings({ tesseractPath: '/nonexistent/tesseract', cacheDir: undefined })),
      }),
    );
    expect(missing.code).toBe('ocr-failed');
    expect(missing.reason).toMatch(/apt-get install tesseract-ocr tesseract-ocr-vie/);
    const off = await loadError(loadFile(abs, source));
    expect(off.code).toBe('no-text-layer');
    expect(off.reason).toMatch(/OCR is off/);
  });

  it('a language without a model is named', async () => {
    const [abs, source] = put('lang.pdf', await scannedPdf([SCAN_TEXTS[0]], { seed: 8 }));
    const err = await loadError(
      loadFile(abs, source, { ocr: createOcrEngine(settings({ lang: 'vie+khm', cacheDir: undefined })) }),
    );
    expect(err.reason).toMatch(/no model for khm \(apt-get install tesseract-ocr-khm\)/);
  });
});

describe('ingest at start-up', () => {
  it('reads a scanned PDF of the corpus with OCR, records its pages, and re-reads it from the cache', async () => {
    const corpus = path.join(t.dir, 'startup/corpus');
    put('startup/corpus/van-ban/qd-hoc-phi.pdf', await scannedPdf([SCAN_TEXTS[0]], { seed: 11 }));
    cpSync(
      path.join(import.meta.dirname, '../../corpus/thu-tuc/dang-ky-khai-sinh.md'),
      path.join(corpus, 'thu-tuc/dang-ky-khai-sinh.md'),
      { recursive: true },
    );
    const env = { CORPUS_DIR: corpus, DATA_DIR: path.join(t.dir, 'startup/data'), LOG_LEVEL: 'silent' };
    const first = await openRetriever(loadConfig(env, { dotenv: false }), { log: () => {} });
    expect(first.index.manifest.files['van-ban/qd-hoc-phi.pdf']).toMatchObject({ pages: 1, ocrPages: 1 });
    const hit = await first.search('học sinh hộ cận nghèo được hỗ trợ bao nhiêu phần trăm học phí', { k: 3 });
    expect(hit.results.map((r) => r.citation.source)).toContain('van-ban/qd-hoc-phi.pdf');
    // A new index from scratch with Tesseract gone: the cached reading is used, nothing is lost.
    rmSync(path.join(env.DATA_DIR, 'index'), { recursive: true, force: true });
    const again = await openRetriever(
      loadConfig({ ...env, TESSERACT_PATH: '/nonexistent/tesseract' }, { dotenv: false }),
      { log: () => {} },
    );
    expect(again.index.manifest.files['van-ban/qd-hoc-phi.pdf']).toMatchObject({ pages: 1, ocrPages: 1 });
    expect(again.index.manifest.problems).toEqual([]);
  }, 60_000);
});
