import type { DocKind } from '../search/types';

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
}

/** One line of cleaned text with the page it came from. */
export interface Line {
  text: string;
  page?: number;
}

export interface PreparedDocument {
  docId: string;
  source: string;
  title: string;
  kind: DocKind;
  docNumber?: string;
  url?: string;
  keywords: string[];
  field?: string;
  /** Legal basis of a procedure (frontmatter can_cu). */
  basis?: string[];
  lines: Line[];
}
