// The corpus as files: which documents and sidecars it holds, their content hashes, and whether the index on disk
// is still up to date with them.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isSidecar, sidecarOf, SUPPORTED_EXTENSIONS } from '../ingest';
import { CHUNKER_VERSION, type FileEntry, readManifest, recoverIndexDir } from './index-store';

/** The corpus cannot be indexed (no directory, no documents); the message says what to do. */
export class IngestError extends Error {}

const IGNORED = /^(\.|_|README\.md$|LICENSE)/i;

/** Corpus documents, relative paths with forward slashes, sorted for a stable label order (sidecars excluded). */
export function scanCorpus(corpusDir: string): string[] {
  return scanAll(corpusDir).files;
}

/** Documents and metadata sidecars (`<file>.meta.yaml`) of the corpus. */
export function scanAll(corpusDir: string): { files: string[]; sidecars: string[] } {
  if (!existsSync(corpusDir) || !statSync(corpusDir).isDirectory()) {
    throw new IngestError(`Corpus directory not found: ${corpusDir} (set CORPUS_DIR)`);
  }
  const files: string[] = [];
  const sidecars: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(corpusDir, rel), { withFileTypes: true })) {
      if (IGNORED.test(e.name)) continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) (isSidecar(e.name) ? sidecars : files).push(r);
    }
  };
  walk('');
  return { files: files.sort(), sidecars: sidecars.sort() };
}

/** Content hash of a document together with its sidecar: editing either re-indexes the document. */
export function hashFile(abs: string): string {
  const h = createHash('sha256').update(readFileSync(abs));
  const side = sidecarOf(abs);
  if (side) h.update('\0meta\0').update(readFileSync(side));
  return h.digest('hex');
}

/** Size and mtime of a document's sidecar, to notice an edited, added or removed sidecar cheaply. */
export function sidecarStat(abs: string): FileEntry['meta'] {
  const side = sidecarOf(abs);
  if (!side) return undefined;
  const st = statSync(side);
  return { size: st.size, mtimeMs: st.mtimeMs };
}

/** Why the index must be (re)built, or undefined when it is up to date with the corpus. */
export function indexStaleness(corpusDir: string, indexDir: string, embedderId: string): string | undefined {
  recoverIndexDir(indexDir);
  const m = readManifest(indexDir);
  if (!m) return 'no index yet';
  if (m.embedder.id !== embedderId)
    return `index was built with ${m.embedder.id}, configured embedder is ${embedderId}`;
  if (m.chunkerVersion !== CHUNKER_VERSION) return 'chunker changed';
  const files = scanCorpus(corpusDir).filter((f) => SUPPORTED_EXTENSIONS.includes(path.extname(f).toLowerCase()));
  const known = Object.keys(m.files);
  for (const f of files) {
    const e = m.files[f];
    if (!e) return `new file ${f}`;
    const abs = path.join(corpusDir, f);
    const st = statSync(abs);
    const meta = sidecarStat(abs);
    if (Boolean(meta) !== Boolean(e.meta) || (meta && meta.size !== e.meta!.size)) return `changed metadata of ${f}`;
    const touched = st.mtimeMs !== e.mtimeMs || (meta && meta.mtimeMs !== e.meta!.mtimeMs);
    if (st.size !== e.size || (touched && hashFile(abs) !== e.hash)) return `changed file ${f}`;
  }
  const present = new Set(files);
  const gone = known.find((f) => !present.has(f));
  return gone ? `deleted file ${gone}` : undefined;
}
