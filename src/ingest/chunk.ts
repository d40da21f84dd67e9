import type { Chunk, Citation } from '../domain';
import { typeFromNumber, typeFromTitle } from '../text';
import { cleanPages } from './clean';
import { detectKind, detectTitle, docIdFromSource, looksLikeAppendix } from './detect';
import { detectMeta } from './detect-meta';
import { readMeta } from './metadata';
import type { DocMeta } from './types';
import type { DraftChunk } from './split-common';
import { splitAppendix } from './split-appendix';
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

/** Frontmatter or sidecar, then what the text states (regulations only), then the file name. */
export function prepareDocument(raw: RawDocument): PreparedDocument {
  const lines = cleanPages(raw.pages);
  const m = raw.metadata;
  const kind = detectKind(raw.source, lines, m.kind);
  const declared = readMeta(m).meta;
  const meta: DocMeta = kind === 'regulation' ? { ...detectMeta(lines), ...declared } : declared;
  const title = meta.title ?? detectTitle(lines, raw.source);
  const docType =
    meta.docType ??
    (kind === 'regulation'
      ? (typeFromTitle(title) ?? (meta.docNumber ? typeFromNumber(meta.docNumber) : undefined))
      : undefined);
  return {
    ...meta,
    docId: str(m.id) ?? docIdFromSource(raw.source),
    source: raw.source,
    title,
    kind,
    docType,
    keywords: strList(m.tu_khoa ?? m.keywords),
    field: str(m.linh_vuc),
    lines,
    basis: kind === 'procedure' ? strList(m.can_cu) : undefined,
  };
}

function splitDocument(doc: PreparedDocument): DraftChunk[] {
  if (doc.kind === 'procedure') return splitProcedure(doc.lines, doc.title);
  if (doc.kind === 'regulation')
    return looksLikeAppendix(doc.lines) ? splitAppendix(doc.lines, doc.title) : splitLegal(doc.lines, doc.title);
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
      chapter: d.chapter,
      field: doc.field,
      ...(basis?.length ? { basis } : {}),
      docType: doc.docType,
      issuer: doc.issuer,
      issued: doc.issued,
      effectiveFrom: doc.effectiveFrom,
      expiredFrom: doc.expiredFrom,
      status: doc.status,
      replacedBy: doc.replacedBy,
      amendedBy: doc.amendedBy,
      note: doc.note,
    };
    for (const k of Object.keys(citation) as (keyof Citation)[]) if (citation[k] === undefined) delete citation[k];
    return {
      id: `${doc.docId}#${i}`,
      text: d.text,
      ...(doc.keywords.length ? { keywords: doc.keywords } : {}),
      citation,
      headingPath: d.headingPath,
    };
  });
}
