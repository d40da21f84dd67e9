import type { Embeddings } from '@langchain/core/embeddings';
import { Document } from '@langchain/core/documents';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { SynchronousInMemoryDocstore } from '@langchain/community/stores/doc/in_memory';
import hnswlib from 'hnswlib-node';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Chunk } from './types';

/** HNSW graph parameters. LangChain's wrapper would use efConstruction 200 (slow builds) and ef 10 (poor recall). */
export const HNSW_M = 16;
export const HNSW_EF_CONSTRUCTION = 100;

export function chunkToDocument(c: Chunk): Document {
  return new Document({ pageContent: c.text, metadata: { id: c.id, citation: c.citation, headingPath: c.headingPath, indexText: c.indexText, keywords: c.keywords } });
}

export function documentToChunk(d: Document): Chunk {
  const m = d.metadata as Pick<Chunk, 'id' | 'citation' | 'headingPath' | 'indexText' | 'keywords'>;
  return { id: m.id, text: d.pageContent, indexText: m.indexText, keywords: m.keywords, citation: m.citation, headingPath: m.headingPath };
}

/** Build the LangChain HNSWLib store from precomputed vectors (label i = chunk i), cosine space. */
export function buildVectorStore(embeddings: Embeddings, chunks: Chunk[], vectors: ArrayLike<number>[], dimension: number): HNSWLib {
  const index = new hnswlib.HierarchicalNSW('cosine', dimension);
  index.initIndex(Math.max(1, chunks.length), HNSW_M, HNSW_EF_CONSTRUCTION, 42);
  for (let i = 0; i < vectors.length; i++) index.addPoint(Array.from(vectors[i]), i);
  const docstore = new SynchronousInMemoryDocstore(new Map(chunks.map((c, i) => [String(i), chunkToDocument(c)])));
  return new HNSWLib(embeddings, { space: 'cosine', numDimensions: dimension, index, docstore });
}

/**
 * Save like `HNSWLib.save` (hnswlib.index, args.json, docstore.json) but stream the docstore, one entry a line.
 * The file is still the JSON array LangChain writes (HNSWLib.load reads it), but it is never one string in memory:
 * at 100,000 chunks JSON.stringify of the whole docstore was a ~600 MB string plus its UTF-8 copy.
 */
export async function saveVectorStore(store: HNSWLib, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await store.index.writeIndex(path.join(dir, 'hnswlib.index'));
  writeFileSync(path.join(dir, 'args.json'), JSON.stringify({ space: store.args.space, numDimensions: store.args.numDimensions }));
  const fd = openSync(path.join(dir, 'docstore.json'), 'w');
  try {
    const write = (text: string) => {
      const bytes = Buffer.from(text, 'utf8');
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    };
    let buf: string[] = [];
    let first = true;
    write('[');
    for (const entry of store.docstore._docs) {
      buf.push(`${first ? '' : ','}\n${JSON.stringify(entry)}`);
      first = false;
      if (buf.length === 2000) {
        write(buf.join(''));
        buf = [];
      }
    }
    write(`${buf.join('')}\n]\n`);
  } finally {
    closeSync(fd);
  }
}

/** Entries of a docstore.json written one a line by saveVectorStore; undefined for LangChain's single-line file. */
function readDocstoreLines(file: string): Map<string, Document> | undefined {
  const fd = openSync(file, 'r');
  try {
    const docs = new Map<string, Document>();
    const chunk = Buffer.allocUnsafe(8 << 20);
    let rest = Buffer.alloc(0);
    let lineNo = 0;
    let closed = false;
    const onLine = (line: Buffer): boolean => {
      if (lineNo++ === 0) return line.length === 1 && line[0] === 0x5b; // "["
      let end = line.length;
      if (end && line[end - 1] === 0x2c) end--; // trailing ","
      if (end === 1 && line[0] === 0x5d) return (closed = true); // "]"
      const [id, doc] = JSON.parse(line.toString('utf8', 0, end)) as [string, Document];
      docs.set(id, doc);
      return true;
    };
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      if (lineNo === 0 && !rest.length && !(chunk[0] === 0x5b && chunk[1] === 0x0a)) return undefined; // not "[\n"
      const data = rest.length ? Buffer.concat([rest, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      for (let nl = data.indexOf(0x0a, start); nl >= 0; nl = data.indexOf(0x0a, start)) {
        if (!onLine(data.subarray(start, nl))) return undefined;
        start = nl + 1;
      }
      rest = Buffer.from(data.subarray(start));
    }
    if (rest.length && !onLine(rest)) return undefined;
    if (lineNo === 0) return undefined; // empty file: let HNSWLib.load report it
    if (!closed) throw new Error(`${file} is truncated`);
    return docs;
  } finally {
    closeSync(fd);
  }
}

export async function loadVectorStore(dir: string, embeddings: Embeddings, ef: number): Promise<HNSWLib> {
  const docs = readDocstoreLines(path.join(dir, 'docstore.json'));
  let store: HNSWLib;
  if (docs) {
    const args = JSON.parse(readFileSync(path.join(dir, 'args.json'), 'utf8')) as { space: 'cosine' | 'l2' | 'ip'; numDimensions: number };
    const index = new hnswlib.HierarchicalNSW(args.space, args.numDimensions);
    await index.readIndex(path.join(dir, 'hnswlib.index'));
    store = new HNSWLib(embeddings, { space: args.space, numDimensions: args.numDimensions, index, docstore: new SynchronousInMemoryDocstore(docs) });
  } else {
    store = await HNSWLib.load(dir, embeddings); // an index saved by HNSWLib.save (one-line docstore.json)
  }
  store.index.setEf(ef);
  return store;
}

/** Chunks in label order, read back from the store's docstore. */
export function chunksOf(store: HNSWLib, count: number): Chunk[] {
  const out: Chunk[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = documentToChunk(store.docstore.search(String(i)));
  return out;
}
