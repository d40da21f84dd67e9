import type { Embeddings } from '@langchain/core/embeddings';
import type { Config } from '../config';
import { LocalHashEmbeddings } from './embedder-local';
import { OpenAICompatibleEmbeddings } from './embedder-openai';

/** An embedder the index can record: its id and (once known) its dimension. */
export type IndexEmbedder = Embeddings & { readonly id: string; dimension?: number };

export function createEmbedder(config: Config): IndexEmbedder {
  if (config.EMBEDDINGS === 'openai') {
    return new OpenAICompatibleEmbeddings({
      apiKey: config.OPENAI_API_KEY,
      baseURL: config.OPENAI_BASE_URL,
      model: config.EMBEDDING_MODEL,
      batchSize: config.EMBEDDING_BATCH,
    });
  }
  return new LocalHashEmbeddings({ dimension: config.EMBEDDING_DIM });
}
