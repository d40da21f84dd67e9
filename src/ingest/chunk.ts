import type { Chunk, Citation } from '../search/types';
import { cleanPages } from './clean';
import { detectDocNumber, detectKind, detectTitle, docIdFromSource } from './detect';
import type { DraftChunk } from './split-common';
import { splitLegal } from './split-legal';
import { splitPlain } from './split-plain';
import { splitProcedure } from './split-procedure';
import type { PreparedDocument, RawDocument } from './types';

function str(v: unknown): string | undefined {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return typeof v === 'string' && v.trim() ? v.trim().normalize('NFC') : typeof v === 'number' ? String(v) : undefined;
}

function strList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(str).filter((x): x is string => Boolean(x));
  const s = str(v);
  return s ? s.split(/\s*[;,]\s*/).filter(Boolean) : [];
}

/** Frontmatter and detection -> the facts a citation needs. */
export function prepareDocument(raw: RawDocument): PreparedDocument {
  const lines = cleanPages(raw.pages);
  const m = raw.metadata;
  const kind = detectKind(raw.source, lines, m.kind);
  const head = lines.slice(0, 60).map((l) => l.text).join('\n');
  const docNumber = str(m.so_hieu) ?? str(m.doc_number) ?? str(m.docNumber) ?? (kind === 'regulation' ? detectDocNumber(head) : undefined);
  return {
    docId: str(m.id) ?? docIdFromSource(raw.source),
    source: raw.source,
    title: str(m.title) ?? detectTitle(lines, raw.source),
    kind,
    docNumber,
    url: strList(m.nguon ?? m.url)[0],
    keywords: strList(m.tu_khoa ?? m.keywords),
    field: str(m.linh_vuc),
    lines,
    basis: kind === 'procedure' ? strList(m.can_cu) : undefined,
  };
}

export function splitDocument(doc: PreparedDocument): DraftChunk[] {
  if (doc.kind === 'procedure') return splitProcedure(doc.lines, doc.title);
  if (doc.kind === 'regulation') return splitLegal(doc.lines, doc.title);
  return splitPlain(doc.lines, [doc.title]);
}

/** Cleaned, split and cited chunks of one loaded file. */
export function chunkDocument(raw: RawDocument): Chunk[] {
  const doc = prepareDocument(raw);
  const basis = doc.basis;
  return splitDocument(doc).map((d, i) => {
    const citation: Citation = {
      docId: doc.docId,
      title: doc.title,
      docNumber: doc.docNumber,
      article: d.article,
      clause: d.clause,
      page: d.page,
      source: doc.source,
      kind: doc.kind,
      url: doc.url,
      section: d.section,
      field: doc.field,
      ...(basis?.length ? { basis } : {}),
    };
    for (const k of Object.keys(citation) as (keyof Citation)[]) if (citation[k] === undefined) delete citation[k];
    return { id: `${doc.docId}#${i}`, text: d.text, ...(doc.keywords.length ? { keywords: doc.keywords } : {}), citation, headingPath: d.headingPath };
  });
}
