import { readFile } from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
import mammoth from 'mammoth';
import { convert as htmlToText } from 'html-to-text';
import { docxTooLarge } from './docx-limits';
import { stripFrontmatter } from './frontmatter';
import { decodeText } from './text-check';
import type { RawDocument } from './types';

/** A file that cannot be indexed; `reason` is shown to the operator. */
export class LoadError extends Error {
  constructor(
    readonly source: string,
    readonly reason: string,
  ) {
    super(`${source}: ${reason}`);
  }
}

export const SUPPORTED_EXTENSIONS = ['.pdf', '.docx', '.md', '.markdown', '.txt', '.html', '.htm'];

export async function loadFile(absPath: string, source: string): Promise<RawDocument> {
  const ext = path.extname(absPath).toLowerCase();
  if (!SUPPORTED_EXTENSIONS.includes(ext)) {
    throw new LoadError(
      source,
      `unsupported file type "${ext || '(none)'}" (supported: ${SUPPORTED_EXTENSIONS.join(', ')})`,
    );
  }
  let data: Buffer;
  try {
    data = await readFile(absPath);
  } catch (err) {
    throw new LoadError(source, `cannot read file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  switch (ext) {
    case '.pdf':
      return loadPdf(data, source);
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

async function loadPdf(data: Buffer, source: string): Promise<RawDocument> {
  const PDFParse = await loadPdfParse();
  const parser = new PDFParse({ data: new Uint8Array(data), verbosity: 0 });
  try {
    // Sequential on purpose: concurrent getText + getInfo on one parser fails ("Unable to deserialize cloned data").
    const result = await parser.getText();
    const info = await parser.getInfo().catch(() => undefined);
    // pdf-parse returns text as stored in the file, NFD included.
    const pages = result.pages.map((p) => ({ num: p.num, text: p.text.normalize('NFC') }));
    if (pages.every((p) => p.text.trim() === '')) {
      throw new LoadError(source, 'PDF has no extractable text (image-only or scanned; run OCR first)');
    }
    // The document's own Title and Keywords play the role of Markdown frontmatter (title, tu_khoa).
    const meta = (info?.info ?? {}) as Record<string, unknown>;
    const metadata: Record<string, unknown> = {};
    if (typeof meta.Title === 'string' && meta.Title.trim()) metadata.title = meta.Title.normalize('NFC').trim();
    if (typeof meta.Keywords === 'string' && meta.Keywords.trim()) metadata.tu_khoa = meta.Keywords.normalize('NFC');
    return { source, format: 'pdf', metadata, pages };
  } catch (err) {
    if (err instanceof LoadError) throw err;
    const e = err as Error;
    const reason =
      e.name === 'PasswordException'
        ? 'PDF is encrypted (password protected)'
        : e.name === 'InvalidPDFException' || e.name === 'FormatError'
          ? `corrupt or invalid PDF (${e.message})`
          : `cannot parse PDF (${e.name}: ${e.message})`;
    throw new LoadError(source, reason);
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}

async function loadDocx(data: Buffer, source: string): Promise<RawDocument> {
  try {
    const tooLarge = await docxTooLarge(data);
    if (tooLarge) throw new LoadError(source, tooLarge);
    // Through HTML rather than raw text, so Word headings survive as "## " lines the splitters understand.
    const { value } = await mammoth.convertToHtml({ buffer: data });
    const text = htmlAsMarkdownish(value);
    if (!text.trim()) throw new LoadError(source, 'DOCX has no text');
    return { source, format: 'docx', metadata: {}, pages: [{ text: text.normalize('NFC') }] };
  } catch (err) {
    if (err instanceof LoadError) throw err;
    throw new LoadError(source, `corrupt or invalid DOCX (${(err as Error).message})`);
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
    throw new LoadError(source, (err as Error).message);
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
