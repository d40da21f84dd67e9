// The search index (layer 4): incremental build from the corpus (OCR of scans included), on-disk format, embedders,
// BM25 + HNSW hybrid retrieval with confidence, a LangChain retriever over it, the live index that a rebuilt one
// replaces without a restart, and published index versions for several replicas.
export {
  type FileOutcome,
  type FileStatus,
  ingest,
  type IngestOptions,
  type IngestProgress,
  type IngestReport,
} from './build';
export { IngestError, indexStaleness, scanCorpus } from './corpus-files';
export { consoleProgress, formatReport } from './build-progress';
export { createEmbedder, type IndexEmbedder } from './embedder';
export { openRetriever } from './engine';
export { IndexMismatchError, loadIndex, type SearchIndex } from './index-store';
export {
  type IndexVersion,
  loadVersion,
  PgIndexVersions,
  type PublishResult,
  publishIndex,
  versionStaleness,
} from './index-versions';
export { type IndexWatch, openPublishedIndex, watchIndexVersions } from './index-watch';
export { LiveIndex, type RetrieverSource, retrieverOf, type SwapListener } from './live-index';
export { Retriever } from './retriever';
export { CorpusRetriever, type CorpusRetrieverInput, passageDocument } from './langchain-retriever';
