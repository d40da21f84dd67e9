import { closeSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readExactly, writeAll } from './file-io';
import type { Chunk, Citation } from '../domain';

/**
 * Chunks on disk: `texts.bin` holds the passage texts, UTF-8, one after the other; `chunks.jsonl` one metadata row
 * per chunk; `docs.json` the document fields once per document. All three are written as ingest goes, so it never
 * holds the corpus text or its metadata rows. Loaded chunks read their text from `texts.bin` when asked: a
 * 100,000-chunk index does not keep ~150 MB of UTF-16 passage text on the heap; a search touches a few dozen texts.
 */

const TEXTS = 'texts.bin';
const ROWS = 'chunks.jsonl';
const DOCS = 'docs.json';
const VERSION = 1;

/** Document fields, stored once per document in docs.json: identity, kind, keywords and validity metadata. */
type DocFields = Omit<Citation, 'article' | 'clause' | 'page' | 'section' | 'chapter'> & { keywords?: string[] };
/** docIndex, id, article, clause, page, section, headingPath, text byte start, text byte length[, chapter] */
type ChunkRow = [
  number,
  string,
  string | null,
  string | null,
  number | null,
  string | null,
  string[],
  number,
  number,
  (string | null)?,
];

function docKey(c: Chunk): string {
  const { article: _a, clause: _c, page: _p, section: _s, chapter: _ch, ...doc } = c.citation;
  return JSON.stringify([doc, c.keywords ?? null]);
}

/** An append-only file written in ~1 MB pieces. */
class Appender {
  private readonly fd: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private closed = false;
  bytes = 0;

  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }

  append(b: Buffer): void {
    this.pending.push(b);
    this.pendingBytes += b.length;
    this.bytes += b.length;
    if (this.pendingBytes >= 1 << 20) this.flush();
  }

  flush(): void {
    writeAll(this.fd, Buffer.concat(this.pending));
    this.pending = [];
    this.pendingBytes = 0;
  }

  close(flush: boolean): void {
    if (this.closed) return;
    this.closed = true;
    try {
      if (flush) this.flush();
    } finally {
      closeSync(this.fd);
    }
  }
}

/** Streams chunks into a directory: texts and rows are written as they come, only document fields are kept. */
export class ChunkWriter {
  private readonly texts: Appender;
  private readonly rows: Appender;
  private readonly docs: DocFields[] = [];
  private readonly docIndex = new Map<string, number>();
  private n = 0;

  constructor(private readonly dir: string) {
    this.texts = new Appender(path.join(dir, TEXTS));
    this.rows = new Appender(path.join(dir, ROWS));
  }

  get count(): number {
    return this.n;
  }

  add(c: Chunk): void {
    const key = docKey(c);
    let d = this.docIndex.get(key);
    if (d === undefined) {
      // Parsed back from the key: fresh strings, not slices that would keep the source file's text alive.
      const [doc, keywords] = JSON.parse(key) as [DocFields, string[] | null];
      d = this.docs.push(keywords?.length ? { ...doc, keywords } : doc) - 1;
      this.docIndex.set(key, d);
    }
    const bytes = Buffer.from(c.text, 'utf8');
    const { article, clause, page, section, chapter } = c.citation;
    const row: ChunkRow = [
      d,
      c.id,
      article ?? null,
      clause ?? null,
      page ?? null,
      section ?? null,
      c.headingPath,
      this.texts.bytes,
      bytes.length,
    ];
    if (chapter) row.push(chapter);
    this.texts.append(bytes);
    this.rows.append(Buffer.from(`${JSON.stringify(row)}\n`, 'utf8'));
    this.n++;
  }

  /** Close the files without finishing (ingest failed; the staging directory is removed). */
  abort(): void {
    this.texts.close(false);
    this.rows.close(false);
  }

  /** Finish the files; the writer cannot be used afterwards. */
  close(): void {
    try {
      this.texts.close(true);
      this.rows.close(true);
    } finally {
      this.abort();
    }
    writeFileSync(path.join(this.dir, DOCS), JSON.stringify({ version: VERSION, count: this.n, docs: this.docs }));
  }
}

/** Calls `onLine` with each line of a file, read in 4 MB pieces (never the whole file as one string). */
function forEachLine(file: string, onLine: (line: string) => void): void {
  const fd = openSync(file, 'r');
  try {
    const piece = Buffer.allocUnsafe(4 << 20);
    let rest = Buffer.alloc(0);
    for (;;) {
      const n = readSync(fd, piece, 0, piece.length, null);
      if (n === 0) break;
      const data = rest.length ? Buffer.concat([rest, piece.subarray(0, n)]) : piece.subarray(0, n);
      let start = 0;
      for (let nl = data.indexOf(0x0a, start); nl >= 0; nl = data.indexOf(0x0a, start)) {
        if (nl > start) onLine(data.toString('utf8', start, nl));
        start = nl + 1;
      }
      rest = Buffer.from(data.subarray(start));
    }
    if (rest.length) onLine(rest.toString('utf8'));
  } finally {
    closeSync(fd);
  }
}

// Closes the descriptor of a texts file once no chunk can read it any more (an index replaced by a re-ingest).
const closer = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
});

/**
 * Reads passage texts of one `texts.bin` on demand. Opened at load, so the texts stay readable after a re-ingest
 * swaps the directory away (the old index keeps answering until it is replaced).
 */
class TextFile {
  private readonly fd: number;
  private buf = Buffer.allocUnsafe(64 << 10);
  constructor(private readonly file: string) {
    this.fd = openSync(file, 'r');
    closer.register(this, this.fd);
  }

  read(start: number, length: number): string {
    if (length > this.buf.length) this.buf = Buffer.allocUnsafe(length);
    readExactly(this.fd, this.buf.subarray(0, length), start, this.file);
    return this.buf.toString('utf8', 0, length);
  }
}

/** Where a loaded chunk's text is: non-enumerable, so comparisons and spreads see only the chunk's fields. */
const LOCATION = Symbol('text location');
type Location = { texts: TextFile; start: number; length: number };

// One getter shared by every loaded chunk (no closure per chunk); an own enumerable accessor, so spreading or
// serialising a chunk still yields its text.
function readText(this: { [LOCATION]: Location }): string {
  const at = this[LOCATION];
  return at.texts.read(at.start, at.length);
}

/** A chunk as a plain object (its text read once), e.g. to spread into a search result. */
export function plainChunk(c: Chunk): Chunk {
  return {
    id: c.id,
    text: c.text,
    ...(c.keywords ? { keywords: c.keywords } : {}),
    citation: c.citation,
    headingPath: c.headingPath,
  };
}

/** Chunks of an index directory, in label order, each reading its `text` from disk when accessed. */
export function loadChunks(dir: string, expected: number): Chunk[] {
  const meta = JSON.parse(readFileSync(path.join(dir, DOCS), 'utf8')) as {
    version: number;
    count: number;
    docs: DocFields[];
  };
  if (meta.version !== VERSION) throw new Error(`Unsupported chunk store version ${meta.version}`);
  if (meta.count !== expected)
    throw new Error(`${path.join(dir, DOCS)} has ${meta.count} chunks, the manifest ${expected}`);
  const texts = new TextFile(path.join(dir, TEXTS));
  // Chunks of one article share heading paths and section names: one copy each (~100 MB less at 100,000 chunks).
  const strings = new Map<string, string>();
  const intern = (x: string) => strings.get(x) ?? (strings.set(x, x), x);
  const paths = new Map<string, string[]>();
  const docs = meta.docs.map(({ keywords, ...doc }) => ({ doc, keywords }));
  const out: Chunk[] = [];
  forEachLine(path.join(dir, ROWS), (line) => {
    const [d, id, article, clause, page, section, headingPath, start, length, chapter] = JSON.parse(line) as ChunkRow;
    const { doc, keywords } = docs[d];
    const citation: Citation = { ...doc };
    if (article !== null) citation.article = intern(article);
    if (clause !== null) citation.clause = intern(clause);
    if (page !== null) citation.page = page;
    if (section !== null) citation.section = intern(section);
    if (chapter) citation.chapter = intern(chapter);
    const key = headingPath.join('\u0000');
    let hp = paths.get(key);
    if (!hp) paths.set(key, (hp = headingPath.map(intern)));
    const chunk = { id, citation, headingPath: hp, ...(keywords ? { keywords } : {}) } as Chunk;
    Object.defineProperty(chunk, LOCATION, { value: { texts, start, length } satisfies Location });
    Object.defineProperty(chunk, 'text', { get: readText, enumerable: true });
    out.push(chunk);
  });
  if (out.length !== expected)
    throw new Error(`${path.join(dir, ROWS)} has ${out.length} rows, the manifest ${expected} chunks`);
  return out;
}
