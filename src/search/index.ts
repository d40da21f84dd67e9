// The search index (layer 4): incremental build from the corpus, on-disk format, embedders, BM25 + HNSW hybrid
// retrieval with confidence, and a LangChain retriever over it.
export { ingest, IngestError } from './build';
export { consoleProgress, formatReport } from './build-progress';
export { createEmbedder } from './embedder';
export { openRetriever } from './engine';
export { IndexMismatchError } from './index-store';
export type { Retriever } from './retriever';
export { CorpusRetriever, type CorpusRetrieverInput, passageDocument } from './langchain-retriever';
