export type DocKind = 'procedure' | 'regulation' | 'news';

/** Legal status a document declares (metadata `tinh_trang`); see src/ingest/metadata.ts for the accepted wordings. */
export type DocStatus = 'in-force' | 'amended' | 'repealed' | 'not-yet';

/**
 * What a document states about itself (frontmatter, `<file>.meta.yaml` or detected from its first lines): number,
 * type, issuer and validity; dates are ISO yyyy-mm-dd.
 */
export interface DocumentMeta {
  docNumber?: string;
  docType?: string;
  issuer?: string;
  issued?: string;
  effectiveFrom?: string;
  /** The date the document stopped (or stops) being in force. */
  expiredFrom?: string;
  status?: DocStatus;
  /** Document number(s) of what replaced it / amended it, e.g. "72/2025/QH15". */
  replacedBy?: string;
  amendedBy?: string[];
  url?: string;
  /** Free note from the metadata ("văn bản gốc, chưa hợp nhất các lần sửa đổi"). */
  note?: string;
}

/** Where a passage comes from: enough to cite it precisely. */
export interface Citation extends DocumentMeta {
  docId: string;
  title: string;
  article?: string;
  clause?: string;
  page?: number;
  source: string;
  kind: DocKind;
  /** Field of a procedure (frontmatter linh_vuc), for browsing. */
  field?: string;
  /** Legal basis of a procedure (document numbers), from its frontmatter. */
  basis?: string[];
  /** Section heading inside a procedure ("Thành phần hồ sơ") or the heading path of a legal chunk. */
  section?: string;
  /** Where a legal passage sits above its article or appendix item: "Chương IV, Mục 2", "Phần V, C". */
  chapter?: string;
}

export interface Chunk {
  id: string;
  text: string;
  /** The document's everyday names (frontmatter tu_khoa), shared by all its chunks. */
  keywords?: string[];
  citation: Citation;
  headingPath: string[];
}

export interface ScoredChunk extends Chunk {
  score: number;
  /** Ranks in each list (1-based) for diagnostics; undefined when absent from a list. */
  lexicalRank?: number;
  vectorRank?: number;
  vectorSimilarity?: number;
}

export interface SearchResult {
  results: ScoredChunk[];
  /** 0..1: how sure retrieval is that the top chunk answers the question. */
  confidence: number;
  /** The question uses the corpus's own vocabulary (titles, keywords, synonyms); see confidence.ts. */
  anchored?: boolean;
  /** How the best of the top passages explains the question (confidence.ts). */
  features?: {
    unigram: number;
    bigram: number;
    similarity: number;
    coverage: number;
    heading: number;
    unknown: number;
    name: number;
    namedPhrase: boolean;
  };
  /** What a question that names a rule ("Điều 20 Luật Cư trú") resolved to (citation-lookup.ts). */
  lookup?: CitationLookup;
}

export interface CitationLookup {
  /** Documents the question names. */
  docIds: string[];
  /** Chunks of the named article, the named clause first. */
  labels: number[];
  docNamed: boolean;
  /** The named document has no such article. */
  missing?: { title: string; article: string; articleCount: number };
  /** "Điều 5" with no document named, and several documents have one. */
  ambiguousArticle?: string;
  clauseFound?: boolean;
}
