import { typeFromNumber } from '../text';
import type { Chunk, Citation } from './corpus';
import { validityAt, type Validity } from './validity';

/** A document of the index: the document-level fields of its chunks' citations. */
export type DocumentInfo = Omit<Citation, 'article' | 'clause' | 'page' | 'section' | 'chapter' | 'basis'>;

// Built once per loaded index (the chunk array is replaced when the index is).
const cache = new WeakMap<Chunk[], DocumentInfo[]>();

const labelsByDoc = new WeakMap<Chunk[], Map<string, number[]>>();

/** Labels (positions) of one document's chunks, in index order; the map is built once per loaded index. */
export function labelsOfDoc(chunks: Chunk[], docId: string): number[] {
  let map = labelsByDoc.get(chunks);
  if (!map) {
    map = new Map();
    chunks.forEach((c, label) => {
      const list = map!.get(c.citation.docId);
      if (list) list.push(label);
      else map!.set(c.citation.docId, [label]);
    });
    labelsByDoc.set(chunks, map);
  }
  return map.get(docId) ?? [];
}

/** One entry per document, in index order. */
export function documentsOf(chunks: Chunk[]): DocumentInfo[] {
  let docs = cache.get(chunks);
  if (!docs) {
    const seen = new Map<string, DocumentInfo>();
    for (const c of chunks) {
      if (seen.has(c.citation.docId)) continue;
      const { article: _a, clause: _c, page: _p, section: _s, chapter: _ch, basis: _b, ...doc } = c.citation;
      seen.set(c.citation.docId, doc);
    }
    docs = [...seen.values()];
    cache.set(chunks, docs);
  }
  return docs;
}

/** The document with this number that says most about its validity (a full text and its summary share one). */
function findByNumber(docs: DocumentInfo[], docNumber: string): DocumentInfo | undefined {
  const same = docs.filter((d) => d.docNumber === docNumber);
  const weight = (d: DocumentInfo) => (d.status ? 2 : 0) + (d.docType ? 1 : 0);
  return same.sort((a, b) => weight(b) - weight(a))[0];
}

/** "Luật 77/2015/QH13", "Nghị định 151/2025/NĐ-CP"; the title when there is no number. */
export function docLabel(d: Pick<Citation, 'docType' | 'docNumber' | 'title'>): string {
  if (!d.docNumber) return d.title;
  const type = d.docType ?? typeFromNumber(d.docNumber);
  return type ? `${type} ${d.docNumber}` : `văn bản số ${d.docNumber}`;
}

/** Label of a document referred to by number: from the index when it is there, else from the number. */
export function refLabel(docs: DocumentInfo[], ref: string): string {
  const d = findByNumber(docs, ref);
  if (d) return docLabel(d);
  return /\d+\/\d{4}/.test(ref) ? docLabel({ docNumber: ref, title: ref }) : ref;
}

/**
 * What applies now in place of a document: its replacement, followed along the chain ("77/2015 -> 65/2025 ->
 * 72/2025") while the replacement is itself known to be no longer in force on `date`.
 */
export function currentReplacement(
  d: Pick<Citation, 'replacedBy'>,
  docs: DocumentInfo[],
  date: string,
): string | undefined {
  let ref = d.replacedBy;
  const seen = new Set<string>();
  while (ref && !seen.has(ref)) {
    seen.add(ref);
    const next = findByNumber(docs, ref);
    if (!next?.replacedBy || validityAt(next, date) !== 'repealed') return ref;
    ref = next.replacedBy;
  }
  return ref;
}

/** Validity of a document today, for display. */
export function validityNow(
  d: Pick<Citation, 'status' | 'effectiveFrom' | 'expiredFrom' | 'replacedBy'>,
  today: string,
): Validity {
  return validityAt(d, today, today);
}
