import type { Config } from '../config';
import { ocrFromConfig } from '../ocr';
import { ingest } from './build';
import { indexStaleness } from './corpus-files';
import { consoleProgress, formatReport } from './build-progress';
import { createEmbedder, type IndexEmbedder } from './embedder';
import { loadIndex } from './index-store';
import { Retriever } from './retriever';

interface EngineOptions {
  /** Build or update the index when it is missing or stale (default true). */
  autoIngest?: boolean;
  /** Status lines (default: stderr). Passing one also silences the progress bar unless `progress` is set. */
  log?: (msg: string) => void;
  progress?: boolean;
  embedder?: IndexEmbedder;
}

/** Open the search engine: embedder + index (built or refreshed when needed) + retriever. */
export async function openRetriever(config: Config, opts: EngineOptions = {}): Promise<Retriever> {
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const embedder = opts.embedder ?? createEmbedder(config);
  const stale = opts.autoIngest === false ? undefined : indexStaleness(config.corpusDir, config.indexDir, embedder.id);
  if (stale) {
    log(`Index needs building (${stale}); ingesting ${config.corpusDir} ...`);
    const progress = (opts.progress ?? opts.log === undefined) ? consoleProgress() : { stop: () => undefined };
    try {
      const { report, index } = await ingest({
        corpusDir: config.corpusDir,
        indexDir: config.indexDir,
        embedder,
        ef: config.SEARCH_EF,
        ocr: ocrFromConfig(config),
        ...progress,
      });
      progress.stop();
      log(formatReport(report));
      return new Retriever(index, embedder);
    } finally {
      progress.stop();
    }
  }
  return new Retriever(await loadIndex(config.indexDir, embedder, config.SEARCH_EF), embedder);
}
