// The documents page's rows: every corpus file the last build saw, with what the index knows of it (title, number,
// validity, passages, pages, OCR) or why it is not in the index.
import path from 'node:path';
import { STATUS_LABEL } from '../ingest';
import type { SearchIndex } from '../search';
import { currentReplacement, type DocKind, type DocumentInfo, documentsOf, type Validity, validityAt } from '../domain';

export interface DocumentRow {
  /** Stable id for the API: the corpus path, base64url. */
  id: string;
  source: string;
  format: string;
  state: 'indexed' | 'failed' | 'skipped';
  title: string;
  docNumber?: string;
  docType?: string;
  kind?: DocKind;
  status?: string;
  validity?: Validity;
  validityLabel?: string;
  effectiveFrom?: string;
  expiredFrom?: string;
  replacedBy?: string;
  currentReplacement?: string;
  chunks: number;
  pages?: number;
  ocrPages?: number;
  /** Where the text came from: the file's text, OCR of scanned pages, or both. */
  textFrom?: 'text' | 'ocr' | 'mixed';
  indexedAt?: string;
  sizeBytes?: number;
  warnings: string[];
  /** Why the file is not in the index (operator's wording). */
  error?: string;
  /** A queued or running job is about to change it. */
  pending?: 'metadata' | 'delete';
}

export const VALIDITY_LABEL: Record<Validity, string> = { ...STATUS_LABEL, unknown: 'chưa rõ' };

export const documentId = (source: string): string => Buffer.from(source, 'utf8').toString('base64url');

export function sourceOfId(id: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,1400}$/.test(id)) return undefined;
  return Buffer.from(id, 'base64url').toString('utf8');
}

const textFrom = (pages?: number, ocr?: number): DocumentRow['textFrom'] =>
  pages === undefined ? undefined : !ocr ? 'text' : ocr >= pages ? 'ocr' : 'mixed';

export function documentRows(index: SearchIndex, today: string): DocumentRow[] {
  const docs = documentsOf(index.chunks);
  const bySource = new Map<string, DocumentInfo>(docs.map((d) => [d.source, d]));
  const rows: DocumentRow[] = [];
  for (const [source, e] of Object.entries(index.manifest.files)) {
    const d = bySource.get(source);
    const validity = d ? validityAt(d, today, today) : undefined;
    rows.push({
      id: documentId(source),
      source,
      format: path.extname(source).slice(1).toLowerCase(),
      state: 'indexed',
      title: d?.title ?? path.basename(source),
      docNumber: d?.docNumber,
      docType: d?.docType,
      kind: d?.kind,
      status: d?.status,
      validity,
      validityLabel: validity && VALIDITY_LABEL[validity],
      effectiveFrom: d?.effectiveFrom,
      expiredFrom: d?.expiredFrom,
      replacedBy: d?.replacedBy,
      currentReplacement: d?.replacedBy ? currentReplacement(d, docs, today) : undefined,
      chunks: e.count,
      pages: e.pages,
      ocrPages: e.ocrPages,
      textFrom: textFrom(e.pages, e.ocrPages),
      indexedAt: e.indexedAt,
      sizeBytes: e.size,
      warnings: e.warnings ?? [],
    });
  }
  for (const p of index.manifest.problems ?? []) {
    rows.push({
      id: documentId(p.source),
      source: p.source,
      format: path.extname(p.source).slice(1).toLowerCase(),
      state: p.status,
      title: path.basename(p.source),
      chunks: 0,
      warnings: [],
      error: p.reason,
    });
  }
  // Problems first (they need someone), then the newest, then by path.
  const rank = (r: DocumentRow) => (r.state === 'indexed' ? 1 : 0);
  return rows.sort(
    (a, b) =>
      rank(a) - rank(b) || (b.indexedAt ?? '').localeCompare(a.indexedAt ?? '') || a.source.localeCompare(b.source),
  );
}
