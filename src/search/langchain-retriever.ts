// Our hybrid search as a LangChain retriever, so that a LangChain.js application (a chain, an agent's tool) can
// use it like any other: `new CorpusRetriever({ retriever, k: 4 }).pipe(formatDocs)`.
import type { CallbackManagerForRetrieverRun } from '@langchain/core/callbacks/manager';
import { Document } from '@langchain/core/documents';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import type { DocKind, ScoredChunk } from '../domain';
import type { Retriever } from './retriever';

export interface CorpusRetrieverInput extends BaseRetrieverInput {
  retriever: Pick<Retriever, 'search'>;
  /** Passages per query (default 5). */
  k?: number;
  kind?: DocKind | DocKind[];
}

/** A passage as a LangChain document: its text, citation and scores in the metadata. */
export function passageDocument(c: ScoredChunk): Document {
  return new Document({
    id: c.id,
    pageContent: c.text,
    metadata: {
      citation: c.citation,
      headingPath: c.headingPath,
      score: c.score,
      vectorSimilarity: c.vectorSimilarity,
    },
  });
}

export class CorpusRetriever extends BaseRetriever {
  static override lc_name(): string {
    return 'CorpusRetriever';
  }

  lc_namespace = ['tro_ly_hanh_chinh', 'retrievers'];
  private readonly retriever: Pick<Retriever, 'search'>;
  private readonly k: number;
  private readonly kind?: DocKind | DocKind[];

  constructor(fields: CorpusRetrieverInput) {
    super(fields);
    this.retriever = fields.retriever;
    this.k = fields.k ?? 5;
    this.kind = fields.kind;
  }

  override async _getRelevantDocuments(query: string, _run?: CallbackManagerForRetrieverRun): Promise<Document[]> {
    const { results } = await this.retriever.search(query, { k: this.k, kind: this.kind });
    return results.map(passageDocument);
  }
}
