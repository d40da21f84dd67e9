// Built once per `vitest run`, shared by the tests that need it: the index of the shipped corpus (about 1,800
// chunks; building it took 15-40 s in each of the three suites that used it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../src/config';
import { ocrFromConfig } from '../src/ocr';
import { ingest } from '../src/search/build';
import { createEmbedder } from '../src/search/embedder';

declare module 'vitest' {
  export interface ProvidedContext {
    /** DATA_DIR whose index/ is the shipped corpus's; copy it (shippedDataDir()) before writing next to it. */
    shippedDataDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'shipped-index-'));
  const config = loadConfig(
    { CORPUS_DIR: path.resolve(import.meta.dirname, '../corpus'), DATA_DIR: dir, LOG_LEVEL: 'silent' },
    { dotenv: false },
  );
  await ingest({
    corpusDir: config.corpusDir,
    indexDir: config.indexDir,
    embedder: createEmbedder(config),
    ef: config.SEARCH_EF,
    // As openRetriever builds it (scanned PDF pages read with OCR when OCR is on).
    ocr: ocrFromConfig(config),
  });
  project.provide('shippedDataDir', dir);
  // Where test/helpers/fixture.ts keeps the fixture indexes it built, per worker (removed with this run).
  const cache = mkdtempSync(path.join(tmpdir(), 'tlhc-fixture-cache-'));
  process.env.TLHC_FIXTURE_CACHE = cache;
  return () => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  };
}
