import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
import mammoth from 'mammoth';
import { convert as htmlToText } from 'html-to-text';
import { type OcrEngine, OcrError } from '../ocr';
import { docxTooLarge } from './docx-limits';
import { stripFrontmatter } from './frontmatter';
import { decodeText } from './text-check';
import type { RawDocument } from './types';

/** Why a file cannot be indexed, for messages in the user's language (the dashboard, the bot). */
export type LoadErrorCode =
  | 'unsupported'
  | 'unreadable'
  | 'encrypted'
  | 'corrupt'
  | 'empty'
  | 'no-text-layer'
  | 'ocr-empty'
  | 'ocr-failed'
  | 'zip-bomb'
  | 'not-text'
  | 'frontmatter';

/** A file that cannot be indexed; `reason` is shown to the operator. */
export class LoadError extends Error {
  constructor(
    readonly source: string,
    readonly reason: string,
    readonly code: LoadErrorCode = 'unreadable',
  ) {
    super(`${source}: ${reason}`);
  }
}

export interface LoadOptions {
  /** Recognises PDF pages without a text layer; without it such pages are skipped (a wholly scanned PDF fails). */
  ocr?: OcrEngine;
  /** OCR progress inside one file. */
  onOcrPage?: (done: number, total: number) => void;
}

export const SUPPORTED_EXTENSIONS = ['.pdf', '.docx', '.md', '.markdown', '.txt', '.html', '.htm'];

export async function loadFile(absPath: string, source: string, opts: LoadOptions = {}): Promise<RawDocument> {
  const ext = path.extname(absPath).toLowerCase();
  if (!SUPPORTED_EXTENSIONS.includes(ext)) {
    throw new LoadError(
      source,
      `unsupported file type "${ext || '(none)'}" (supported: ${SUPPORTED_EXTENSIONS.join(', ')})`,
      'unsupported',
    );
  }
  let data: Buffer;
  try {
    data = await readFile(absPath);
  } catch (err) {
    throw new LoadError(
      source,
      `cannot read file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      'unreadable',
    );
  }
  switch (ext) {
    case '.pdf':
      return loadPdf(data, source, absPath, opts);
    case '.docx':
      return loadDocx(data, source);
    case '.html':
    case '.htm':
      return loadHtml(data, source);
    default:
      return loadMarkdown(data, source, ext === '.txt' ? 'txt' : 'md');
  }
}

/**
 * pdf-parse is imported on first use: loading pdf.js costs ~2 s at start-up, and its polyfills replace
 * Array.prototype.push process-wide (about 2x slower), so a process that never reads a PDF should not pay for it.
 */
let pdfParse: Promise<typeof import('pdf-parse').PDFParse> | undefined;
function loadPdfParse(): Promise<typeof import('pdf-parse').PDFParse> {
  pdfParse ??= (async () => {
    const push = Array.prototype.push;
    try {
      return (await import('pdf-parse')).PDFParse;
    } finally {
      Array.prototype.push = push;
    }
  })();
  return pdfParse;
}

async function loadPdf(data: Buffer, source: string, absPath: string, opts: LoadOptions): Promise<RawDocument> {
  const PDFParse = await loadPdfParse();
  const parser = new PDFParse({ data: new Uint8Array(data), verbosity: 0 });
  let pages: { num: number; text: string }[];
  const metadata: Record<string, unknown> = {};
  try {
    // Sequential on purpose: concurrent getText + getInfo on one parser fails ("Unable to deserialize cloned data").
    const result = await parser.getText();
    const info = await parser.getInfo().catch(() => undefined);
    // pdf-parse returns text as stored in the file, NFD included.
    pages = result.pages.map((p) => ({ num: p.num, text: p.text.normalize('NFC') }));
    // The document's own Title and Keywords play the role of Markdown frontmatter (title, tu_khoa).
    const meta = (info?.info ?? {}) as Record<string, unknown>;
    if (typeof meta.Title === 'string' && meta.Title.trim()) metadata.title = meta.Title.normalize('NFC').trim();
    if (typeof meta.Keywords === 'string' && meta.Keywords.trim()) metadata.tu_khoa = meta.Keywords.normalize('NFC');
  } catch (err) {
    const e = err as Error;
    if (e.name === 'PasswordException')
      throw new LoadError(source, 'PDF is encrypted (password protected)', 'encrypted');
    if (e.name === 'InvalidPDFException' || e.name === 'FormatError')
      throw new LoadError(source, `corrupt or invalid PDF (${e.message})`, 'corrupt');
    throw new LoadError(source, `cannot parse PDF (${e.name}: ${e.message})`, 'corrupt');
  } finally {
    await parser.destroy().catch(() => undefined);
  }
  const doc: RawDocument = { source, format: 'pdf', metadata, pages, pageCount: pages.length, ocrPages: 0 };
  await recognizeScannedPages(doc, data, absPath, opts);
  return doc;
}

/** Letters on a page below which it has no usable text layer (a scan, maybe with a page number or a stamp's text). */
const MIN_TEXT_LAYER_LETTERS = 10;
/** Mean OCR word confidence below which the operator is told to check the page. */
const LOW_CONFIDENCE = 60;

const letters = (s: string) => s.match(/\p{L}/gu)?.length ?? 0;

/**
 * Pages without a text layer are read with OCR, page by page (a mixed PDF keeps the text layer of its other pages).
 * A PDF with no text at all afterwards is a LoadError; problems with some pages only are warnings.
 */
async function recognizeScannedPages(
  doc: RawDocument,
  data: Buffer,
  absPath: string,
  opts: LoadOptions,
): Promise<void> {
  const source = doc.source;
  const scanned = doc.pages.filter((p) => letters(p.text) < MIN_TEXT_LAYER_LETTERS).map((p) => p.num!);
  if (!scanned.length) return;
  const warnings = (doc.warnings ??= []);
  const all = scanned.length === doc.pages.length;
  const pageList = (ns: number[]) => (ns.length > 12 ? `${ns.slice(0, 12).join(', ')} …` : ns.join(', '));
  if (!opts.ocr) {
    if (all)
      throw new LoadError(
        source,
        'PDF has no extractable text (image-only or scanned) and OCR is off: install tesseract-ocr and tesseract-ocr-vie (OCR=auto), or OCR it first',
        'no-text-layer',
      );
    warnings.push(`page(s) ${pageList(scanned)} have no text layer and were not recognised (OCR is off)`);
    return;
  }
  let results: Awaited<ReturnType<OcrEngine['recognize']>>;
  try {
    const hash = createHash('sha256').update(data).digest('hex');
    results = await opts.ocr.recognize(absPath, scanned, { hash, onPage: opts.onOcrPage });
  } catch (err) {
    const why = err instanceof OcrError ? err.message : `${(err as Error).name}: ${(err as Error).message}`;
    if (all) throw new LoadError(source, `PDF has no text layer and OCR failed: ${why}`, 'ocr-failed');
    warnings.push(`OCR of page(s) ${pageList(scanned)} failed (${why}); indexed without them`);
    return;
  }
  const blank: number[] = [];
  const weak: string[] = [];
  for (const r of results) {
    const page = doc.pages.find((p) => p.num === r.page)!;
    if (letters(r.text) <= letters(page.text)) {
      if (!page.text.trim()) blank.push(r.page);
      continue;
    }
    page.text = r.text;
    doc.ocrPages = (doc.ocrPages ?? 0) + 1;
    if (r.confidence < LOW_CONFIDENCE) weak.push(`${r.page} (${Math.round(r.confidence)} %)`);
  }
  if (doc.pages.every((p) => letters(p.text) < MIN_TEXT_LAYER_LETTERS)) {
    throw new LoadError(
      source,
      'OCR found no text in this scanned PDF (blank pages, a photo, or an unreadable scan)',
      'ocr-empty',
    );
  }
  if (blank.length) warnings.push(`OCR found no text on page(s) ${pageList(blank)}`);
  if (weak.length) warnings.push(`OCR is unsure of page(s) ${weak.join(', ')}: check the scan (mean word confidence)`);
}

async function loadDocx(data: Buffer, source: string): Promise<RawDocument> {
  try {
    const tooLarge = await docxTooLarge(data);
    if (tooLarge) throw new LoadError(source, tooLarge, 'zip-bomb');
    // Through HTML rather than raw text, so Word headings survive as "## " lines the splitters understand.
    const { value } = await mammoth.convertToHtml({ buffer: data });
    const text = htmlAsMarkdownish(value);
    if (!text.trim()) throw new LoadError(source, 'DOCX has no text', 'empty');
    return { source, format: 'docx', metadata: {}, pages: [{ text: text.normalize('NFC') }] };
  } catch (err) {
    if (err instanceof LoadError) throw err;
    throw new LoadError(source, `corrupt or invalid DOCX (${(err as Error).message})`, 'corrupt');
  }
}

/** HTML to text that keeps structure: headings as "#"/"##" lines, list items as "- " lines. */
function htmlAsMarkdownish(html: string): string {
  const heading = (level: number) => ({ format: 'mdHeading', options: { level } });
  return htmlToText(html, {
    wordwrap: false,
    formatters: {
      mdHeading(elem, walk, builder, opts) {
        builder.openBlock({ leadingLineBreaks: 2 });
        builder.addInline(`${'#'.repeat((opts as { level?: number }).level ?? 2)} `);
        walk(elem.children, builder);
        builder.closeBlock({ trailingLineBreaks: 1 });
      },
    },
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'nav', format: 'skip' },
      { selector: 'script', format: 'skip' },
      { selector: 'style', format: 'skip' },
      { selector: 'h1', ...heading(1) },
      { selector: 'h2', ...heading(2) },
      { selector: 'h3', ...heading(3) },
      { selector: 'h4', ...heading(4) },
      { selector: 'ul', options: { itemPrefix: '- ' } },
    ],
  });
}

function textOf(data: Buffer, source: string): string {
  try {
    return decodeText(data);
  } catch (err) {
    throw new LoadError(source, (err as Error).message, 'not-text');
  }
}

/**
 * Frontmatter engines: only YAML (gray-matter's YAML engine uses js-yaml's safe schema). gray-matter's default
 * engines include "js"/"javascript", which eval() the block: a Markdown file starting with "---js" would run code
 * as the server's user. Those and JSON are refused; an unknown language is refused by gray-matter itself.
 */
const refuse = (lang: string) => () => {
  throw new FrontmatterRefused(lang);
};
class FrontmatterRefused extends Error {
  constructor(readonly lang: string) {
    super(`frontmatter language "${lang}" is not allowed`);
  }
}
const MATTER_OPTIONS = {
  language: 'yaml',
  engines: {
    javascript: refuse('javascript'),
    js: refuse('js'),
    json: refuse('json'),
    coffee: refuse('coffee'),
    coffeescript: refuse('coffeescript'),
    cson: refuse('cson'),
  },
};

function loadHtml(data: Buffer, source: string): RawDocument {
  const html = textOf(data, source);
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1]?.trim();
  const text = htmlAsMarkdownish(html);
  return {
    source,
    format: 'html',
    metadata: title ? { title: title.normalize('NFC') } : {},
    pages: [{ text: text.normalize('NFC') }],
  };
}

function loadMarkdown(data: Buffer, source: string, format: 'md' | 'txt'): RawDocument {
  const raw = textOf(data, source).replace(/^\uFEFF/, '');
  let parsed: { data: Record<string, unknown>; content: string };
  try {
    // With options gray-matter skips its module-level cache, which otherwise keeps every file's text forever.
    parsed = matter(raw, MATTER_OPTIONS);
  } catch (err) {
    // A non-YAML engine is refused outright (it could be code): the file is skipped, named in the report.
    if (err instanceof FrontmatterRefused || /engine ".*" is not registered/.test((err as Error).message)) {
      const lang = err instanceof FrontmatterRefused ? err.lang : /engine "(.*)"/.exec((err as Error).message)?.[1];
      throw new LoadError(
        source,
        `frontmatter in "${String(lang).slice(0, 40)}" refused: only YAML frontmatter ("---") is read, so the file is skipped`,
        'frontmatter',
      );
    }
    // Bad YAML never costs the document: index the text without it and report the problem.
    const warning = `invalid frontmatter (${(err as Error).message.split('\n')[0]}); indexed without it`;
    return {
      source,
      format,
      metadata: {},
      pages: [{ text: stripFrontmatter(raw).normalize('NFC') }],
      warnings: [warning],
    };
  }
  return { source, format, metadata: parsed.data, pages: [{ text: parsed.content.normalize('NFC') }] };
}
