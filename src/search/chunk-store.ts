import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Chunk, Citation } from './types';

/**
 * Chunks on disk: `chunks.json` holds the citation metadata (document fields once per document) and `texts.bin` the
 * passage texts, UTF-8, one after the other. Loaded chunks read their text from `texts.bin` when asked, so a
 * 100,000-chunk index does not keep ~150 MB of UTF-16 passage text on the heap; a search touches a few dozen texts.
 */

const TEXTS = 'texts.bin';
const META = 'chunks.json';
const VERSION = 1;

type DocFields = Omit<Citation, 'article' | 'clause' | 'page' | 'section'> & { keywords?: string[] };
/** docIndex, id, article, clause, page, section, headingPath, text byte start, text byte length */
type ChunkRow = [number, string, string | null, string | null, number | null, string | null, string[], number, number];

function docKey(c: Chunk): string {
  const { article: _a, clause: _c, page: _p, section: _s, ...doc } = c.citation;
  return JSON.stringify([doc, c.keywords ?? null]);
}

/** Streams chunks into a directory: texts are written as they come, only the small metadata is kept. */
export class ChunkWriter {
  private readonly fd: number;
  private readonly docs: DocFields[] = [];
  private readonly docIndex = new Map<string, number>();
  private readonly rows: ChunkRow[] = [];
  private offset = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly dir: string) {
    this.fd = openSync(path.join(dir, TEXTS), 'w');
  }

  get count(): number {
    return this.rows.length;
  }

  add(c: Chunk): void {
    const key = docKey(c);
    let d = this.docIndex.get(key);
    if (d === undefined) {
      const { article: _a, clause: _c, page: _p, section: _s, ...doc } = c.citation;
      d = this.docs.push(c.keywords?.length ? { ...doc, keywords: c.keywords } : doc) - 1;
      this.docIndex.set(key, d);
    }
    const bytes = Buffer.from(c.text, 'utf8');
    const { article, clause, page, section } = c.citation;
    this.rows.push([d, c.id, article ?? null, clause ?? null, page ?? null, section ?? null, c.headingPath, this.offset, bytes.length]);
    this.offset += bytes.length;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= 1 << 20) this.flush();
  }

  private flush(): void {
    const buf = Buffer.concat(this.pending);
    for (let at = 0; at < buf.length; ) at += writeSync(this.fd, buf, at, buf.length - at);
    this.pending = [];
    this.pendingBytes = 0;
  }

  private closed = false;

  /** Close the texts file without finishing (ingest failed; the staging directory is removed). */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  /** Finish the files; the writer cannot be used afterwards. */
  close(): void {
    try {
      this.flush();
    } finally {
      this.abort();
    }
    // One JSON document, written a row a line so it is never one huge string.
    const fd = openSync(path.join(this.dir, META), 'w');
    try {
      const write = (s: string) => {
        const b = Buffer.from(s, 'utf8');
        for (let at = 0; at < b.length; ) at += writeSync(fd, b, at, b.length - at);
      };
      write(`{"version":${VERSION},"docs":${JSON.stringify(this.docs)},"chunks":[`);
      for (let i = 0; i < this.rows.length; i += 2000) {
        write(`${i ? ',' : ''}\n${this.rows.slice(i, i + 2000).map((r) => JSON.stringify(r)).join(',\n')}`);
      }
      write('\n]}\n');
    } finally {
      closeSync(fd);
    }
  }
}

/** Write chunks held in memory (tests and small indexes). */
export function saveChunks(dir: string, chunks: Iterable<Chunk>): void {
  const w = new ChunkWriter(dir);
  for (const c of chunks) w.add(c);
  w.close();
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
    for (let at = 0; at < length; ) {
      const n = readSync(this.fd, this.buf, at, length - at, start + at);
      if (n === 0) throw new Error(`${this.file} is truncated`);
      at += n;
    }
    return this.buf.toString('utf8', 0, length);
  }
}

/** Chunks of an index directory, in label order, each reading its `text` from disk when accessed. */
export function loadChunks(dir: string, expected: number): Chunk[] {
  const meta = JSON.parse(readFileSync(path.join(dir, META), 'utf8')) as { version: number; docs: DocFields[]; chunks: ChunkRow[] };
  if (meta.version !== VERSION) throw new Error(`Unsupported chunk store version ${meta.version}`);
  if (meta.chunks.length !== expected) throw new Error(`${path.join(dir, META)} has ${meta.chunks.length} chunks, the manifest ${expected}`);
  const texts = new TextFile(path.join(dir, TEXTS));
  return meta.chunks.map(([d, id, article, clause, page, section, headingPath, start, length]) => {
    const { keywords, ...doc } = meta.docs[d];
    const citation: Citation = { ...doc };
    if (article !== null) citation.article = article;
    if (clause !== null) citation.clause = clause;
    if (page !== null) citation.page = page;
    if (section !== null) citation.section = section;
    const chunk = { id, citation, headingPath, ...(keywords ? { keywords } : {}) } as Chunk;
    // An own enumerable accessor, so spreading or serialising a chunk still yields its text.
    Object.defineProperty(chunk, 'text', { enumerable: true, configurable: true, get: () => texts.read(start, length) });
    return chunk;
  });
}
