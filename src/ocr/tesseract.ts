// One page image -> text with Tesseract (Debian's tesseract-ocr and its Vietnamese model tesseract-ocr-vie).
import { readFile } from 'node:fs/promises';
import { runTool } from '../infra';

export interface TesseractOptions {
  tesseractPath: string;
  /** Tesseract language(s), e.g. "vie" or "vie+eng". */
  lang: string;
  dpi: number;
  timeoutMs: number;
  /** Page segmentation mode: 3 = automatic layout; 1 = the same with orientation detection (sideways scans). */
  psm: 1 | 3;
  /** Tesseract's heavy noise removal: fewer specks read as punctuation on a dirty scan, slightly worse on clean ones. */
  denoise: boolean;
}

export interface PageText {
  text: string;
  /** Mean word confidence, 0-100 (0 when no word was found). */
  confidence: number;
  words: number;
}

/**
 * OMP_THREAD_LIMIT=1: Tesseract's OpenMP threads make one page barely faster and take every core from the
 * server answering questions next to it.
 */
const ENV = { ...process.env, OMP_THREAD_LIMIT: '1' };

/** Recognises `image`, writing `<outBase>.txt` (the text, as Tesseract lays it out) and `.tsv` (word confidences). */
export async function recognizeImage(image: string, outBase: string, o: TesseractOptions): Promise<PageText> {
  const args = [image, outBase, '-l', o.lang, '--dpi', String(o.dpi), '--psm', String(o.psm)];
  if (o.denoise) args.push('-c', 'textord_heavy_nr=1');
  args.push('txt', 'tsv');
  await runTool(o.tesseractPath, args, { timeoutMs: o.timeoutMs, env: ENV });
  const [text, tsv] = await Promise.all([readFile(`${outBase}.txt`, 'utf8'), readFile(`${outBase}.tsv`, 'utf8')]);
  const { confidence, words } = meanConfidence(tsv);
  return { text: text.normalize('NFC').replace(/\f/g, '').trim(), confidence, words };
}

/** Mean confidence of the recognised words (TSV level 5 rows with text). */
export function meanConfidence(tsv: string): { confidence: number; words: number } {
  let sum = 0;
  let words = 0;
  for (const line of tsv.split('\n').slice(1)) {
    const cols = line.split('\t');
    if (cols[0] !== '5' || cols.length < 12 || !cols[11].trim()) continue;
    const conf = Number(cols[10]);
    if (!(conf >= 0)) continue;
    sum += conf;
    words++;
  }
  return { confidence: words ? sum / words : 0, words };
}

/** Languages Tesseract has models for (`tesseract --list-langs`). */
export async function tesseractLanguages(tesseractPath: string, timeoutMs = 10_000): Promise<string[]> {
  const out = await runTool(tesseractPath, ['--list-langs'], { timeoutMs, env: ENV });
  return out
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .filter(Boolean);
}
