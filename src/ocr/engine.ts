// Scanned PDF pages -> text: render with pdftoppm, recognise with Tesseract's Vietnamese model, cache by file hash.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OcrCache } from './cache';
import { renderPage } from './render';
import { ToolError } from '../infra';
import { recognizeImage, tesseractLanguages, type PageText, type TesseractOptions } from './tesseract';

export interface OcrSettings {
  tesseractPath: string;
  pdftoppmPath: string;
  /** Tesseract language(s): "vie" (the Vietnamese model), "vie+eng" … */
  lang: string;
  /** Rendering resolution: 300 dpi keeps the dot below "ạ" and the hook of "ở" several pixels tall. */
  dpi: number;
  /** Limit for rendering one page, and for each recognition pass of it. */
  pageTimeoutMs: number;
  /** Where results are cached by file hash; no cache without it. */
  cacheDir?: string;
}

export interface OcrPage extends PageText {
  page: number;
  /** The second pass (noise removal, orientation detection) gave the better reading. */
  denoised: boolean;
  fromCache: boolean;
}

export interface OcrRequest {
  /** sha256 of the PDF's bytes (the cache key). */
  hash: string;
  /** Called after each page, cached or not. */
  onPage?: (done: number, total: number) => void;
}

export interface OcrEngine {
  /** Recognises the given pages (1-based) of a PDF file. Throws OcrError when OCR cannot run at all. */
  recognize(pdfFile: string, pages: number[], req: OcrRequest): Promise<OcrPage[]>;
}

export class OcrError extends Error {
  override name = 'OcrError';
  constructor(
    message: string,
    readonly kind: 'unavailable' | 'timeout' | 'failed',
  ) {
    super(message);
  }
}

/** Bump when the recognition strategy changes, so cached results are redone. */
const STRATEGY = 1;
/** Below this mean word confidence the page is read again with noise removal and orientation detection. */
const RETRY_BELOW = 94;

export function createOcrEngine(s: OcrSettings): OcrEngine {
  const cache = s.cacheDir ? new OcrCache(s.cacheDir, `v${STRATEGY}-${s.lang}-${s.dpi}`) : undefined;
  let checked: Promise<void> | undefined;
  const tess = (psm: 1 | 3, denoise: boolean): TesseractOptions => ({
    tesseractPath: s.tesseractPath,
    lang: s.lang,
    dpi: s.dpi,
    timeoutMs: s.pageTimeoutMs,
    psm,
    denoise,
  });

  /** Tesseract runs and has every language asked for; checked once per engine. */
  const ready = () =>
    (checked ??= (async () => {
      let langs: string[];
      try {
        langs = await tesseractLanguages(s.tesseractPath);
      } catch (err) {
        throw new OcrError(
          `${s.tesseractPath} does not run (${(err as Error).message}): apt-get install tesseract-ocr tesseract-ocr-vie, or set TESSERACT_PATH`,
          'unavailable',
        );
      }
      const missing = s.lang.split('+').filter((l) => !langs.includes(l));
      if (missing.length)
        throw new OcrError(
          `Tesseract has no model for ${missing.join(', ')} (apt-get install ${missing.map((l) => `tesseract-ocr-${l}`).join(' ')})`,
          'unavailable',
        );
    })());

  async function page(pdf: string, n: number, dir: string): Promise<OcrPage> {
    try {
      return await readPage(pdf, n, dir);
    } finally {
      // A long scan must not pile up page images (~0.5 MB each) until the end.
      await Promise.all(
        ['', '-a', '-b'].flatMap((x) =>
          ['png', 'txt', 'tsv'].map((e) => rm(path.join(dir, `p${n}${x}.${e}`), { force: true })),
        ),
      );
    }
  }

  async function readPage(pdf: string, n: number, dir: string): Promise<OcrPage> {
    const image = await renderPage(pdf, n, path.join(dir, `p${n}`), {
      pdftoppmPath: s.pdftoppmPath,
      dpi: s.dpi,
      timeoutMs: s.pageTimeoutMs,
    });
    const first = await recognizeImage(image, path.join(dir, `p${n}-a`), tess(3, false));
    if (first.confidence >= RETRY_BELOW || first.words === 0)
      return { ...first, page: n, denoised: false, fromCache: false };
    // A dirty or tilted scan: specks read as punctuation lower the confidence; a second reading removes them.
    const second = await recognizeImage(image, path.join(dir, `p${n}-b`), tess(1, true));
    const best = second.confidence > first.confidence ? { ...second, denoised: true } : { ...first, denoised: false };
    return { ...best, page: n, fromCache: false };
  }

  return {
    async recognize(pdfFile, pages, req) {
      const cached = cache?.pages(req.hash) ?? new Map<number, PageText>();
      const out: OcrPage[] = [];
      let dir: string | undefined;
      try {
        for (const n of pages) {
          const hit = cached.get(n);
          if (hit) out.push({ ...hit, page: n, denoised: false, fromCache: true });
          else {
            await ready();
            dir ??= await mkdtemp(path.join(tmpdir(), 'tlhc-ocr-'));
            let r: OcrPage;
            try {
              r = await page(pdfFile, n, dir);
            } catch (err) {
              if (err instanceof ToolError) {
                throw new OcrError(
                  `page ${n}: ${err.message}`,
                  err.kind === 'timeout' ? 'timeout' : err.kind === 'missing' ? 'unavailable' : 'failed',
                );
              }
              throw err;
            }
            cache?.put(req.hash, n, { text: r.text, confidence: r.confidence, words: r.words });
            out.push(r);
          }
          req.onPage?.(out.length, pages.length);
        }
        return out;
      } finally {
        if (dir) await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
