/**
 * `npm run corpus:binary [-- --replace] [--corpus <dir>] [--src <dir>]`
 *
 * Prints a few Markdown corpus documents as real PDF and DOCX files, so the corpus exercises the binary loaders
 * the way agencies publish their documents. The Markdown sources live in corpus-src/ (moved there from corpus/ on
 * the first run) so the binaries can be regenerated; with --replace the Markdown copies in corpus/ are deleted,
 * otherwise both versions stay and compete in retrieval.
 *
 * Frontmatter cannot live in a PDF or DOCX: the title becomes the first heading, the document number and a few
 * facts are printed as lines of text ("Số hiệu: 118/2025/NĐ-CP"), "## Section" headings stay real headings
 * (DOCX Heading 2, a bigger bold line in the PDF) and bullets stay lists. PDFs are A4, use the embedded DejaVu
 * Sans font (Vietnamese glyphs), and carry a running header and a "Trang N/M" footer that ingest must drop.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import matter from 'gray-matter';
import PDFDocument from 'pdfkit';
import {
  AlignmentType,
  Document,
  Footer,
  Header,
  HeadingLevel,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  TextRun,
} from 'docx';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FONT_PATH = path.join(ROOT, 'test/fixtures/fonts/DejaVuSans.ttf');
export const RUNNING_HEADER = 'Trợ lý Hành chính số — bản in';

export type Block =
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'bullet'; text: string }
  | { type: 'numbered'; n: number; text: string };

/** A document ready to print: title, facts printed under it, then the body. */
export interface PrintDoc {
  title: string;
  facts: string[];
  /** Frontmatter tu_khoa, also stored in the file's own metadata (PDF Info Keywords, DOCX core properties). */
  keywords: string[];
  blocks: Block[];
}

export interface Job {
  /** Markdown source, relative to the source and corpus directories. */
  from: string;
  /** Printed file, relative to the corpus directory. */
  to: string;
}

export const JOBS: Job[] = [
  { from: 'thu-tuc/chung-thuc-chu-ky.md', to: 'thu-tuc/chung-thuc-chu-ky.pdf' },
  { from: 'thu-tuc/dang-ky-giam-ho.md', to: 'thu-tuc/dang-ky-giam-ho.docx' },
  { from: 'phan-cap/nd-118-2025.md', to: 'phan-cap/nd-118-2025.docx' },
  { from: 'phan-cap/nd-142-2025.md', to: 'phan-cap/nd-142-2025.pdf' },
];

function fmtDate(v: unknown): string | undefined {
  if (v instanceof Date) {
    const d = v.toISOString().slice(0, 10).split('-');
    return `${d[2]}/${d[1]}/${d[0]}`;
  }
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String).filter(Boolean);
  return typeof v === 'string' && v.trim() ? [v.trim()] : [];
}

/** Markdown with frontmatter -> a printable document. Only the Markdown the corpus uses is understood. */
export function parseMarkdownDoc(md: string): PrintDoc {
  const { data, content } = matter(md);
  const facts: string[] = [];
  const fact = (label: string, v: unknown) => {
    const s = fmtDate(v);
    if (s) facts.push(`${label}: ${s}`);
  };
  fact('Số hiệu', data.so_hieu);
  fact('Cơ quan ban hành', data.co_quan_ban_hanh);
  fact('Ngày ban hành', data.ngay_ban_hanh);
  fact('Hiệu lực', data.hieu_luc);
  fact('Lĩnh vực', data.linh_vuc);
  const kw = list(data.tu_khoa);
  if (kw.length) facts.push(`Từ khóa: ${kw.join(', ')}`);

  let title = typeof data.title === 'string' ? data.title : '';
  const blocks: Block[] = [];
  let para: string[] = [];
  const flush = () => {
    if (para.length) blocks.push({ type: 'paragraph', text: para.join(' ') });
    para = [];
  };
  for (const raw of content.split(/\r?\n/)) {
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if (!line) flush();
    else if ((m = /^#\s+(.+)$/.exec(line))) {
      flush();
      title = m[1].trim();
    } else if ((m = /^#{2,6}\s+(.+)$/.exec(line))) {
      flush();
      blocks.push({ type: 'heading', text: m[1].trim() });
    } else if ((m = /^[-*+]\s+(.+)$/.exec(line))) {
      flush();
      blocks.push({ type: 'bullet', text: m[1].trim() });
    } else if ((m = /^(\d+)[.)]\s+(.+)$/.exec(line))) {
      flush();
      blocks.push({ type: 'numbered', n: Number(m[1]), text: m[2].trim() });
    } else para.push(line);
  }
  flush();
  if (!title) throw new Error('document has no title');
  return { title: title.normalize('NFC'), facts, keywords: kw, blocks };
}

export interface PdfOptions {
  fontPath?: string;
  /** Running header on every page; none when empty. */
  header?: string;
  /** Start a new page before every n-th "##" section (0: never). */
  sectionsPerPage?: number;
}

const A4_MARGIN = 56;

/** Print as an A4 PDF: embedded font, bold bigger headings, "•"/"1." list items, header and page numbers. */
export function renderPdf(doc: PrintDoc, opts: PdfOptions = {}): Promise<Buffer> {
  const header = opts.header ?? RUNNING_HEADER;
  const every = opts.sectionsPerPage ?? 0;
  const fixedDate = new Date('2025-01-01T00:00:00Z');
  const pdf = new PDFDocument({
    size: 'A4',
    margin: A4_MARGIN,
    bufferPages: true,
    info: {
      Title: doc.title,
      Author: 'Trợ lý Hành chính số',
      Keywords: doc.keywords.join(', '),
      CreationDate: fixedDate,
      ModDate: fixedDate,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  pdf.registerFont('body', opts.fontPath ?? FONT_PATH);
  pdf.font('body');
  const width = pdf.page.width - 2 * A4_MARGIN;
  const bold = (text: string, size: number) => {
    // One font file: draw bold as fill + a thin stroke of the same colour.
    pdf
      .fontSize(size)
      .lineWidth(size / 40)
      .text(text, A4_MARGIN, undefined, { width, fill: true, stroke: true });
    pdf.lineWidth(1);
  };

  bold(doc.title, 15);
  pdf.moveDown(0.4);
  pdf.fontSize(10);
  for (const f of doc.facts) pdf.text(f, A4_MARGIN, undefined, { width });
  pdf.moveDown(0.8);

  let sections = 0;
  for (const b of doc.blocks) {
    if (b.type === 'heading') {
      if (every > 0 && sections > 0 && sections % every === 0) pdf.addPage();
      else pdf.moveDown(0.6);
      sections++;
      bold(b.text, 13);
      pdf.moveDown(0.3);
      continue;
    }
    pdf.fontSize(11);
    if (b.type === 'paragraph') {
      pdf.text(b.text, A4_MARGIN, undefined, { width, align: 'left' });
      pdf.moveDown(0.4);
    } else {
      const marker = b.type === 'bullet' ? '•' : `${b.n}.`;
      // The marker is text (not pdfkit's drawn bullet circles) so extraction keeps the list structure.
      pdf.text(`${marker} ${b.text}`, A4_MARGIN + 14, undefined, { width: width - 14 });
      pdf.moveDown(0.15);
    }
  }

  // Running header and footer on every page (drawn inside the margins, so switch the margins off meanwhile).
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    const { top, bottom } = pdf.page.margins;
    pdf.page.margins.top = 0;
    pdf.page.margins.bottom = 0;
    pdf.fontSize(8).fillColor('#555555');
    if (header) pdf.text(header, A4_MARGIN, 24, { width, align: 'center', lineBreak: false });
    pdf.text(`Trang ${i + 1}/${range.count}`, A4_MARGIN, pdf.page.height - 36, {
      width,
      align: 'center',
      lineBreak: false,
    });
    pdf.fillColor('black');
    pdf.page.margins.top = top;
    pdf.page.margins.bottom = bottom;
  }
  pdf.end();
  return done;
}

export interface DocxOptions {
  header?: string;
}

/** Print as DOCX: Heading 1 title, Heading 2 sections, real bullet and numbered lists, header and page footer. */
export function renderDocx(doc: PrintDoc, opts: DocxOptions = {}): Promise<Buffer> {
  const header = opts.header ?? RUNNING_HEADER;
  const children: Paragraph[] = [new Paragraph({ text: doc.title, heading: HeadingLevel.HEADING_1 })];
  for (const f of doc.facts) children.push(new Paragraph({ children: [new TextRun({ text: f, size: 20 })] }));
  let list = 0;
  let inList = false;
  for (const b of doc.blocks) {
    if (b.type === 'numbered' && !inList) list++;
    inList = b.type === 'numbered';
    if (b.type === 'heading') children.push(new Paragraph({ text: b.text, heading: HeadingLevel.HEADING_2 }));
    else if (b.type === 'paragraph') children.push(new Paragraph({ text: b.text }));
    else if (b.type === 'bullet') children.push(new Paragraph({ text: b.text, bullet: { level: 0 } }));
    else children.push(new Paragraph({ text: b.text, numbering: { reference: 'steps', level: 0, instance: list } }));
  }
  const document = new Document({
    creator: 'Trợ lý Hành chính số',
    title: doc.title,
    keywords: doc.keywords.join(', '),
    numbering: {
      config: [
        {
          reference: 'steps',
          levels: [
            {
              level: 0,
              format: LevelFormat.DECIMAL,
              text: '%1.',
              alignment: AlignmentType.START,
              style: { paragraph: { indent: { left: 500, hanging: 260 } } },
            },
          ],
        },
      ],
    },
    sections: [
      {
        properties: {},
        headers: header
          ? { default: new Header({ children: [new Paragraph({ text: header, alignment: AlignmentType.CENTER })] }) }
          : undefined,
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: ['Trang ', PageNumber.CURRENT, '/', PageNumber.TOTAL_PAGES] })],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}

export interface MakeOptions {
  corpusDir: string;
  srcDir: string;
  replace?: boolean;
  jobs?: Job[];
  log?: (m: string) => void;
}

/** Generate every job; returns the files written (relative to the corpus directory). */
export async function makeBinaryCorpus(o: MakeOptions): Promise<string[]> {
  const log = o.log ?? (() => undefined);
  const written: string[] = [];
  for (const job of o.jobs ?? JOBS) {
    const src = path.join(o.srcDir, job.from);
    const inCorpus = path.join(o.corpusDir, job.from);
    if (!existsSync(src)) {
      if (!existsSync(inCorpus)) throw new Error(`Source not found: ${src} (nor ${inCorpus})`);
      mkdirSync(path.dirname(src), { recursive: true });
      copyFileSync(inCorpus, src);
      log(`kept the Markdown source as ${path.relative(process.cwd(), src)}`);
    }
    const doc = parseMarkdownDoc(readFileSync(src, 'utf8'));
    const ext = path.extname(job.to).toLowerCase();
    // Decrees: one section per page (a multi-page print); procedures: three sections per page.
    const buf =
      ext === '.pdf'
        ? await renderPdf(doc, { sectionsPerPage: job.from.startsWith('phan-cap/') ? 1 : 3 })
        : ext === '.docx'
          ? await renderDocx(doc)
          : undefined;
    if (!buf) throw new Error(`Cannot print ${job.to}: only .pdf and .docx`);
    const out = path.join(o.corpusDir, job.to);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, buf);
    written.push(job.to);
    log(`wrote ${path.relative(process.cwd(), out)} (${buf.length} bytes)`);
    if (o.replace && existsSync(inCorpus)) {
      rmSync(inCorpus);
      log(`removed ${path.relative(process.cwd(), inCorpus)} (source kept in ${path.relative(process.cwd(), src)})`);
    }
  }
  return written;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const corpusDir = path.resolve(arg('--corpus') ?? path.join(ROOT, 'corpus'));
  const srcDir = path.resolve(arg('--src') ?? path.join(ROOT, 'corpus-src'));
  makeBinaryCorpus({
    corpusDir,
    srcDir,
    replace: process.argv.includes('--replace'),
    log: (m) => console.log(m),
  }).catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
}
