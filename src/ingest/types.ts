import type { DocKind, DocumentMeta } from '../domain';

export interface Page {
  /** 1-based page number; undefined for formats without pages. */
  num?: number;
  text: string;
}

/** A file as read by a loader, before clean-up and splitting. */
export interface RawDocument {
  /** Path relative to the corpus directory, with forward slashes. */
  source: string;
  format: 'pdf' | 'docx' | 'md' | 'txt' | 'html';
  metadata: Record<string, unknown>;
  pages: Page[];
  /** Problems that did not stop the document (bad metadata, pages OCR could not read), for the operator. */
  warnings?: string[];
  /** Pages of a PDF, and how many of them were read with OCR (no text layer). */
  pageCount?: number;
  ocrPages?: number;
}

/** One line of cleaned text with the page it came from. */
export interface Line {
  text: string;
  page?: number;
}

/** A document ready to split: its identity, validity metadata (DocMeta) and cleaned lines. */
export interface PreparedDocument extends DocMeta {
  docId: string;
  source: string;
  title: string;
  kind: DocKind;
  keywords: string[];
  field?: string;
  /** Legal basis of a procedure (frontmatter can_cu). */
  basis?: string[];
  lines: Line[];
}

/** The identity and validity fields of a document as its metadata gives them, normalised (dates ISO yyyy-mm-dd). */
export interface DocMeta extends DocumentMeta {
  title?: string;
}
