import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig, DEFAULT_SEARCH_EF } from '../../src/config';
import { ingest, type IngestProgress, type IngestReport } from '../../src/search/build';
import { IngestError, indexStaleness, scanCorpus } from '../../src/search/corpus-files';
import { LocalHashEmbeddings } from '../../src/search/embedder-local';
import { openRetriever } from '../../src/search/engine';
import { IndexMismatchError, loadIndex, readManifest } from '../../src/search/index-store';
import { Retriever } from '../../src/search/retriever';
import { copyMiniCorpus, corruptPdf, tempDir } from '../fixtures/make-fixtures';

const DOCS = ['thu-tuc/dang-ky-khai-sinh.md', 'thu-tuc/cap-the-can-cuoc.md', 'thu-tuc/dang-ky-ket-hon.md'];

let t: ReturnType<typeof tempDir>;
let corpusDir: string;
let dataDir: string;
let indexDir: string;

beforeEach(() => {
  t = tempDir('ingest-');
  corpusDir = path.join(t.dir, 'corpus');
  dataDir = path.join(t.dir, 'data');
  indexDir = path.join(dataDir, 'index');
  copyMiniCorpus(corpusDir, DOCS);
});
afterEach(() => {
  vi.restoreAllMocks();
  t.cleanup();
});

/** The real local embedder, counting the passages it embeds. */
class CountingEmbeddings extends LocalHashEmbeddings {
  calls = 0;
  override async embedDocuments(texts: string[]): Promise<number[][]> {
    this.calls += texts.length;
    return super.embedDocuments(texts);
  }
}

const run = (embedder = new LocalHashEmbeddings(), extra: Partial<Parameters<typeof ingest>[0]> = {}) =>
  ingest({ corpusDir, indexDir, embedder, ef: DEFAULT_SEARCH_EF, ...extra });

function counts(r: IngestReport) {
  const { indexed, unchanged, skipped, failed, deleted, embedded } = r;
  return { indexed, unchanged, skipped, failed, deleted, embedded };
}

/** Source files present in an index. */
const sourcesOf = (chunks: { citation: { source: string } }[]) =>
  [...new Set(chunks.map((c) => c.citation.source))].sort();

describe('ingest summary', () => {
  it('counts indexed, skipped (unsupported) and failed (unreadable) files and reports why', async () => {
    mkdirSync(path.join(corpusDir, 'khac'));
    writeFileSync(path.join(corpusDir, 'khac/bang-ke.xlsx'), 'not really a spreadsheet');
    writeFileSync(path.join(corpusDir, 'thu-tuc/hong.pdf'), corruptPdf());
    // Ignored entirely: hidden files, drafts and READMEs.
    writeFileSync(path.join(corpusDir, 'thu-tuc/.nhap.md'), '# nháp');
    writeFileSync(path.join(corpusDir, 'thu-tuc/_ban-nhap.md'), '# nháp');
    writeFileSync(path.join(corpusDir, 'README.md'), '# Corpus');
    const problems: string[] = [];
    const phases = new Set<IngestProgress['phase']>();
    const { report, index } = await run(new LocalHashEmbeddings(), {
      onProblem: (p) => problems.push(`${p.status} ${p.source}`),
      onProgress: (p) => phases.add(p.phase),
    });

    expect(counts(report)).toEqual({
      indexed: 3,
      unchanged: 0,
      skipped: 1,
      failed: 1,
      deleted: 0,
      embedded: index.chunks.length,
    });
    expect(report.chunks).toBe(index.chunks.length);
    expect(report.problems).toEqual([
      {
        source: 'khac/bang-ke.xlsx',
        status: 'skipped',
        reason: expect.stringMatching(/unsupported file type "\.xlsx"/),
      },
      { source: 'thu-tuc/hong.pdf', status: 'failed', reason: expect.stringMatching(/corrupt or invalid PDF/) },
    ]);
    expect(problems).toEqual(['skipped khac/bang-ke.xlsx', 'failed thu-tuc/hong.pdf']);
    expect([...phases]).toEqual(expect.arrayContaining(['load', 'build']));
    expect(sourcesOf(index.chunks)).toEqual([...DOCS].sort());
    expect(Object.keys(readManifest(indexDir)!.files).sort()).toEqual([...DOCS].sort());
  });

  it('a second run over the same corpus reports everything unchanged and embeds nothing', async () => {
    writeFileSync(path.join(corpusDir, 'thu-tuc/hong.pdf'), corruptPdf());
    await run();
    const embedder = new CountingEmbeddings();
    const { report } = await run(embedder);
    expect(counts(report)).toEqual({ indexed: 0, unchanged: 3, skipped: 0, failed: 1, deleted: 0, embedded: 0 });
    expect(embedder.calls).toBe(0);
  });

  it('scanCorpus lists files recursively, sorted, with forward slashes', () => {
    writeFileSync(path.join(corpusDir, '_skip.md'), 'x');
    expect(scanCorpus(corpusDir)).toEqual([...DOCS].sort());
  });
});

describe('nothing usable', () => {
  it('throws IngestError when every file is skipped or failed, and writes no index', async () => {
    rmSync(corpusDir, { recursive: true });
    mkdirSync(corpusDir);
    writeFileSync(path.join(corpusDir, 'hong.pdf'), corruptPdf());
    writeFileSync(path.join(corpusDir, 'anh.png'), 'png');
    await expect(run()).rejects.toThrow(IngestError);
    await expect(run()).rejects.toThrow(/Nothing usable was indexed/);
    expect(readManifest(indexDir)).toBeUndefined();
  });

  it('keeps the previous index when a re-ingest finds nothing usable', async () => {
    const { index } = await run();
    for (const d of DOCS) writeFileSync(path.join(corpusDir, d), '');
    await expect(run()).rejects.toThrow(IngestError);
    const loaded = await loadIndex(indexDir, new LocalHashEmbeddings(), 50);
    expect(loaded.chunks.length).toBe(index.chunks.length);
  });

  it('an empty corpus directory is an IngestError that says what to add', async () => {
    rmSync(corpusDir, { recursive: true });
    mkdirSync(corpusDir);
    await expect(run()).rejects.toThrow(/is empty: add \.md, \.txt, \.pdf, \.docx or \.html files/);
  });

  it('a missing corpus directory is an IngestError naming CORPUS_DIR', async () => {
    rmSync(corpusDir, { recursive: true });
    await expect(run()).rejects.toThrow(IngestError);
    await expect(run()).rejects.toThrow(/Corpus directory not found: .*\(set CORPUS_DIR\)/);
  });
});

describe('incremental re-ingest', () => {
  it('an unchanged file costs no embedding; a changed file costs only its changed chunks', async () => {
    const first = new CountingEmbeddings();
    const base = await run(first);
    expect(first.calls).toBe(base.index.chunks.length);

    // Append one sentence to one section of one document.
    const file = path.join(corpusDir, 'thu-tuc/dang-ky-ket-hon.md');
    const md = readFileSync(file, 'utf8');
    expect(md).toMatch(/^## Lệ phí$/m);
    writeFileSync(file, md.replace(/^(## Lệ phí\n[^\n]+)/m, '$1 Nộp trực tuyến cũng không mất phí.'));
    expect(indexStaleness(corpusDir, indexDir, first.id)).toBe('changed file thu-tuc/dang-ky-ket-hon.md');

    const second = new CountingEmbeddings();
    const { report, index } = await run(second);
    expect(counts(report)).toEqual({ indexed: 1, unchanged: 2, skipped: 0, failed: 0, deleted: 0, embedded: 1 });
    expect(second.calls).toBe(1);
    expect(index.chunks.length).toBe(base.index.chunks.length);
    const changed = index.chunks.find((c) => c.text.includes('Nộp trực tuyến cũng không mất phí.'))!;
    expect(changed.citation).toMatchObject({ docId: 'dang-ky-ket-hon', section: 'Lệ phí' });
    expect(indexStaleness(corpusDir, indexDir, second.id)).toBeUndefined();
  });

  it('touching a file without changing it is not a change', async () => {
    await run();
    const file = path.join(corpusDir, DOCS[0]);
    const later = new Date(Date.now() + 60_000);
    utimesSync(file, later, later);
    expect(indexStaleness(corpusDir, indexDir, new LocalHashEmbeddings().id)).toBeUndefined();
    const embedder = new CountingEmbeddings();
    const { report } = await run(embedder);
    expect(report.unchanged).toBe(3);
    expect(embedder.calls).toBe(0);
  });

  it('a deleted file leaves the index; a new file costs exactly its own chunks', async () => {
    await run();
    rmSync(path.join(corpusDir, 'thu-tuc/cap-the-can-cuoc.md'));
    expect(indexStaleness(corpusDir, indexDir, new LocalHashEmbeddings().id)).toBe(
      'deleted file thu-tuc/cap-the-can-cuoc.md',
    );
    const e1 = new CountingEmbeddings();
    const after = await run(e1);
    expect(counts(after.report)).toEqual({ indexed: 0, unchanged: 2, skipped: 0, failed: 0, deleted: 1, embedded: 0 });
    expect(e1.calls).toBe(0);
    expect(sourcesOf(after.index.chunks)).toEqual(['thu-tuc/dang-ky-ket-hon.md', 'thu-tuc/dang-ky-khai-sinh.md']);
    const r = await new Retriever(after.index, e1).search('cấp thẻ căn cước', { k: 10 });
    expect(r.results.every((c) => c.citation.docId !== 'cap-the-can-cuoc')).toBe(true);

    copyMiniCorpus(corpusDir, ['thu-tuc/dang-ky-khai-tu.md']);
    expect(indexStaleness(corpusDir, indexDir, e1.id)).toBe('new file thu-tuc/dang-ky-khai-tu.md');
    const e2 = new CountingEmbeddings();
    const added = await run(e2);
    const own = added.index.chunks.filter((c) => c.citation.source === 'thu-tuc/dang-ky-khai-tu.md').length;
    expect(own).toBeGreaterThan(0);
    expect(counts(added.report)).toEqual({
      indexed: 1,
      unchanged: 2,
      skipped: 0,
      failed: 0,
      deleted: 0,
      embedded: own,
    });
    expect(e2.calls).toBe(own);
  });
});

describe('interrupted ingest', () => {
  class FailingEmbeddings extends LocalHashEmbeddings {
    override async embedDocuments(_texts: string[]): Promise<number[][]> {
      throw new Error('embedding server went away');
    }
  }

  it('an embedder failing mid-way leaves the previous index loadable and searchable', async () => {
    const base = await run();
    copyMiniCorpus(corpusDir, ['thu-tuc/dang-ky-khai-tu.md']);
    await expect(run(new FailingEmbeddings())).rejects.toThrow('embedding server went away');

    const loaded = await loadIndex(indexDir, new LocalHashEmbeddings(), 50);
    expect(loaded.chunks).toEqual(base.index.chunks);
    const r = await new Retriever(loaded, new LocalHashEmbeddings()).search('đăng ký kết hôn cần giấy tờ gì');
    expect(r.results[0].citation.docId).toBe('dang-ky-ket-hon');
    // No half-written directory is left next to the index.
    expect(readdirSync(dataDir)).toEqual(['index']);
    // The next run picks up where it failed.
    const { report } = await run();
    expect(report.indexed).toBe(1);
  });

  it('a stale index.tmp-* directory from a killed run does not break loading, and the next ingest removes it', async () => {
    const base = await run();
    const stale = `${indexDir}.tmp-${2 ** 22 + 1}`; // above any pid_max: that process is surely gone
    const live = `${indexDir}.tmp-${process.ppid}`; // an ingest still running elsewhere keeps its directory
    mkdirSync(live);
    mkdirSync(stale);
    writeFileSync(path.join(stale, 'manifest.json'), '{"format": 1, "truncated');
    writeFileSync(path.join(stale, 'hnswlib.index'), Buffer.alloc(10));
    const loaded = await loadIndex(indexDir, new LocalHashEmbeddings(), 50);
    expect(loaded.chunks.length).toBe(base.index.chunks.length);
    const { report } = await run();
    expect(report.unchanged).toBe(3);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    rmSync(live, { recursive: true });
  });

  it('a crash between the two renames of the swap is recovered from index.old-*', async () => {
    const base = await run();
    renameSync(indexDir, `${indexDir}.old-4242`);
    expect(existsSync(indexDir)).toBe(false);
    const loaded = await loadIndex(indexDir, new LocalHashEmbeddings(), 50);
    expect(loaded.chunks.length).toBe(base.index.chunks.length);
    expect(existsSync(path.join(indexDir, 'manifest.json'))).toBe(true);
    expect(existsSync(`${indexDir}.old-4242`)).toBe(false);
  });
});

describe('index on disk', () => {
  it('loadIndex returns the same chunks, manifest and search results as the freshly built index', async () => {
    const embedder = new CountingEmbeddings();
    const { index } = await run(embedder);
    const loaded = await loadIndex(indexDir, embedder, 100);
    expect(loaded.manifest).toEqual(index.manifest);
    expect(loaded.chunks).toEqual(index.chunks);
    expect(loaded.kinds).toEqual(index.kinds);
    const a = new Retriever(index, embedder);
    const b = new Retriever(loaded, embedder);
    for (const q of [
      'làm giấy khai sinh cần giấy tờ gì',
      'cccd mat bao lau',
      'lệ phí đăng ký kết hôn',
      'giá vàng hôm nay',
    ]) {
      const [ra, rb] = [await a.search(q, { k: 5 }), await b.search(q, { k: 5 })];
      expect(rb.results.map((r) => r.id)).toEqual(ra.results.map((r) => r.id));
      rb.results.forEach((r, i) => expect(r.score).toBeCloseTo(ra.results[i].score, 6));
      expect(rb.confidence).toBeCloseTo(ra.confidence, 6);
    }
  });

  it('loadIndex without an index says to run ingest', async () => {
    await expect(loadIndex(indexDir, new LocalHashEmbeddings(), 50)).rejects.toThrow(/No index at .*npm run ingest/);
  });
});

describe('embedder mismatch', () => {
  it('an index built with dimension 128 opened with 256 is an IndexMismatchError', async () => {
    await run(new LocalHashEmbeddings({ dimension: 128 }));
    expect(readManifest(indexDir)!.embedder).toEqual({ id: 'local-hash-v1:128', dimension: 128 });
    const err = await loadIndex(indexDir, new LocalHashEmbeddings({ dimension: 256 }), 50).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IndexMismatchError);
    expect((err as Error).message).toMatch(
      /built with embedder "local-hash-v1:128" but "local-hash-v1:256" is configured/,
    );
    expect(indexStaleness(corpusDir, indexDir, 'local-hash-v1:256')).toBe(
      'index was built with local-hash-v1:128, configured embedder is local-hash-v1:256',
    );
  });

  it('openRetriever reports the mismatch and rebuilds with the configured embedder (re-embedding everything)', async () => {
    await run(new LocalHashEmbeddings({ dimension: 128 }));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const logs: string[] = [];
    const config = loadConfig({ CORPUS_DIR: corpusDir, DATA_DIR: dataDir, EMBEDDING_DIM: '256' }, { dotenv: false });
    const embedder = new CountingEmbeddings({ dimension: 256 });
    const retriever = await openRetriever(config, { log: (m) => logs.push(m), embedder });
    expect(logs[0]).toMatch(
      /Index needs building \(index was built with local-hash-v1:128, configured embedder is local-hash-v1:256\)/,
    );
    expect(readManifest(indexDir)!.embedder).toEqual({ id: 'local-hash-v1:256', dimension: 256 });
    expect(embedder.calls).toBe(retriever.index.chunks.length);
    const r = await retriever.search('làm giấy khai sinh');
    expect(r.results[0].citation.docId).toBe('dang-ky-khai-sinh');

    // Now up to date: opening again loads from disk without embedding anything.
    const again = new CountingEmbeddings({ dimension: 256 });
    const logs2: string[] = [];
    await openRetriever(config, { log: (m) => logs2.push(m), embedder: again });
    expect(logs2).toEqual([]);
    expect(again.calls).toBe(0);
  });

  it('the same corpus ingested with another dimension does not reuse old vectors', async () => {
    await run(new LocalHashEmbeddings({ dimension: 128 }));
    const e = new CountingEmbeddings({ dimension: 256 });
    const { report, index } = await run(e);
    expect(report.indexed).toBe(3);
    expect(e.calls).toBe(index.chunks.length);
  });
});

describe('appending to a file', () => {
  it('only the new section is embedded', async () => {
    await run();
    appendFileSync(
      path.join(corpusDir, 'thu-tuc/cap-the-can-cuoc.md'),
      '\n## Câu hỏi thường gặp\nMất thẻ căn cước thì làm lại ở Công an cấp xã.\n',
    );
    const e = new CountingEmbeddings();
    const { report, index } = await run(e);
    expect(report.embedded).toBe(1);
    expect(e.calls).toBe(1);
    expect(index.chunks.some((c) => c.citation.section === 'Câu hỏi thường gặp')).toBe(true);
  });
});
