// A PDF page -> a grayscale PNG with poppler's pdftoppm, at a resolution that keeps Vietnamese diacritics legible.
import { runTool } from '../infra';

export interface RenderOptions {
  pdftoppmPath: string;
  dpi: number;
  timeoutMs: number;
}

/** Renders page `page` (1-based) of `pdf` to `<outBase>.png` and returns that path. */
export async function renderPage(pdf: string, page: number, outBase: string, o: RenderOptions): Promise<string> {
  const p = String(page);
  await runTool(o.pdftoppmPath, ['-r', String(o.dpi), '-gray', '-png', '-f', p, '-l', p, '-singlefile', pdf, outBase], {
    timeoutMs: o.timeoutMs,
  });
  return `${outBase}.png`;
}
