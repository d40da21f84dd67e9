// `npm run bench:ocr`: OCR of scanned Vietnamese pages made from known text (test/fixtures/scanned.ts): character
// error rate per variant (clean, tilted, specked, stamped, JPEG) against the typeset text, and pages per second
// through the real engine (pdftoppm + Tesseract, one thread, no cache). `npm run bench` runs the quick version.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createOcrEngine } from '../src/ocr/engine';
import { ocrStatus } from '../src/ocr/index';
import { characterErrorRate, SCAN_TEXTS, SCAN_VARIANTS, scannedPdf } from '../test/fixtures/scanned';

export interface OcrVariantResult {
  name: string;
  noisy: boolean;
  pages: number;
  /** Per page, 0..1. */
  cer: number[];
  meanCer: number;
  secondsPerPage: number;
  /** Pages that took the second (denoising) pass. */
  denoised: number;
}

export interface OcrBenchResult {
  variants: OcrVariantResult[];
  pages: number;
  seconds: number;
  pagesPerSecond: number;
  cleanCer: number;
  noisyCer: number;
  dpi: number;
  lang: string;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** `quick`: one page of the clean and of the noisiest variant (what `npm run bench -- --quick` measures). */
export async function runOcrBench(
  opts: { quick?: boolean; log?: (m: string) => void } = {},
): Promise<OcrBenchResult | { skipped: string }> {
  const settings = {
    OCR: 'auto' as const,
    OCR_LANG: 'vie',
    OCR_DPI: 300,
    OCR_PAGE_TIMEOUT_MS: 120_000,
    TESSERACT_PATH: 'tesseract',
    PDFTOPPM_PATH: 'pdftoppm',
    dataDir: os.tmpdir(),
  };
  const status = await ocrStatus(settings);
  if (!status.ok) return { skipped: status.why };
  const log = opts.log ?? (() => undefined);
  const engine = createOcrEngine({
    tesseractPath: 'tesseract',
    pdftoppmPath: 'pdftoppm',
    lang: settings.OCR_LANG,
    dpi: settings.OCR_DPI,
    pageTimeoutMs: settings.OCR_PAGE_TIMEOUT_MS,
  });
  const variants = opts.quick ? [SCAN_VARIANTS[0], SCAN_VARIANTS[SCAN_VARIANTS.length - 1]] : SCAN_VARIANTS;
  const texts = opts.quick ? SCAN_TEXTS.slice(0, 1) : SCAN_TEXTS;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tlhc-bench-ocr-'));
  const out: OcrVariantResult[] = [];
  try {
    for (const v of variants) {
      log(`OCR: ${v.name}, ${texts.length} page(s) ...`);
      const file = path.join(dir, 'scan.pdf');
      writeFileSync(file, await scannedPdf(texts, v.opts));
      const t0 = performance.now();
      const pages = await engine.recognize(
        file,
        texts.map((_, i) => i + 1),
        { hash: 'f'.repeat(64) },
      );
      const seconds = (performance.now() - t0) / 1000;
      const cer = pages.map((p, i) => characterErrorRate(texts[i], p.text));
      out.push({
        name: v.name,
        noisy: v.noisy,
        pages: pages.length,
        cer,
        meanCer: mean(cer),
        secondsPerPage: seconds / pages.length,
        denoised: pages.filter((p) => p.denoised).length,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const pages = out.reduce((s, v) => s + v.pages, 0);
  const seconds = out.reduce((s, v) => s + v.secondsPerPage * v.pages, 0);
  return {
    variants: out,
    pages,
    seconds,
    pagesPerSecond: pages / seconds,
    cleanCer: Math.max(...out.filter((v) => !v.noisy).map((v) => v.meanCer)),
    noisyCer: Math.max(...out.filter((v) => v.noisy).map((v) => v.meanCer)),
    dpi: settings.OCR_DPI,
    lang: settings.OCR_LANG,
  };
}

const pct = (x: number) => `${(100 * x).toFixed(2)} %`;

export function formatOcrTable(r: OcrBenchResult): string {
  const rows = r.variants.map((v) => [
    v.name,
    v.noisy ? '<= 8 %' : '<= 3 %',
    String(v.pages),
    pct(v.meanCer),
    v.cer.map(pct).join(' / '),
    `${v.secondsPerPage.toFixed(2)} s`,
    String(v.denoised),
    v.meanCer <= (v.noisy ? 0.08 : 0.03) ? 'PASS' : 'FAIL',
  ]);
  const header = ['Scan', 'Target', 'Pages', 'CER', 'CER per page', 'Time per page', '2nd pass', 'Result'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [
    `Tesseract (${r.lang}) on pages rendered at ${r.dpi} dpi by pdftoppm, one thread, no cache; machine: ${os.cpus()[0]?.model ?? '?'}, ${os.cpus().length} cores, load ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' / ')}`,
    '',
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
    '',
    `Throughput: ${r.pagesPerSecond.toFixed(2)} pages/s (${r.pages} pages in ${r.seconds.toFixed(1)} s)`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const argv = process.argv.slice(2);
  const r = await runOcrBench({ quick: argv.includes('--quick'), log: (m) => process.stderr.write(`${m}\n`) });
  if ('skipped' in r) {
    console.log(`OCR benchmark skipped: ${r.skipped}`);
    process.exitCode = 1;
  } else console.log(argv.includes('--json') ? JSON.stringify(r, null, 2) : formatOcrTable(r));
}
