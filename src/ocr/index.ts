// OCR of scanned PDF pages (see engine.ts), configured from the environment.
import path from 'node:path';
import type { Config } from '../config';
import { createOcrEngine, type OcrEngine } from './engine';
import { tesseractLanguages } from './tesseract';
import { runTool } from '../infra';

export { createOcrEngine, OcrError, type OcrEngine, type OcrPage, type OcrSettings } from './engine';

export type OcrConfig = Pick<
  Config,
  'OCR' | 'OCR_LANG' | 'OCR_DPI' | 'OCR_PAGE_TIMEOUT_MS' | 'TESSERACT_PATH' | 'PDFTOPPM_PATH' | 'dataDir'
>;

/** The OCR engine of this configuration (results cached in DATA_DIR/ocr-cache), or undefined with OCR=off. */
export function ocrFromConfig(c: OcrConfig): OcrEngine | undefined {
  if (c.OCR === 'off') return undefined;
  return createOcrEngine({
    tesseractPath: c.TESSERACT_PATH,
    pdftoppmPath: c.PDFTOPPM_PATH,
    lang: c.OCR_LANG,
    dpi: c.OCR_DPI,
    pageTimeoutMs: c.OCR_PAGE_TIMEOUT_MS,
    cacheDir: path.join(c.dataDir, 'ocr-cache'),
  });
}

/** Whether OCR will work, checked at start-up so the operator learns it before the first scan arrives. */
export async function ocrStatus(c: OcrConfig): Promise<{ ok: true } | { ok: false; why: string }> {
  if (c.OCR === 'off') return { ok: false, why: 'OCR=off' };
  let langs: string[];
  try {
    langs = await tesseractLanguages(c.TESSERACT_PATH);
  } catch {
    return {
      ok: false,
      why: `${c.TESSERACT_PATH} does not run (apt-get install tesseract-ocr tesseract-ocr-vie, or set TESSERACT_PATH)`,
    };
  }
  const missing = c.OCR_LANG.split('+').filter((l) => !langs.includes(l));
  if (missing.length)
    return {
      ok: false,
      why: `Tesseract has no model for ${missing.join(', ')} (apt-get install ${missing.map((l) => `tesseract-ocr-${l}`).join(' ')})`,
    };
  try {
    await runTool(c.PDFTOPPM_PATH, ['-v'], { timeoutMs: 10_000 });
  } catch {
    return { ok: false, why: `${c.PDFTOPPM_PATH} does not run (apt-get install poppler-utils, or set PDFTOPPM_PATH)` };
  }
  return { ok: true };
}
