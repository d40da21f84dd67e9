// Search within named documents (retriever.ts): the chunks of those documents, and exact vector scoring of them.
import type { Chunk } from '../domain';

const docLabels = new WeakMap<Chunk[], Map<string, number[]>>();

/** Labels of the chunks of some documents (the map from document to labels built once per loaded index). */
export function labelsOfDocs(chunks: Chunk[], docIds: Set<string>): number[] {
  let map = docLabels.get(chunks);
  if (!map) {
    map = new Map();
    chunks.forEach((c, label) => {
      const list = map!.get(c.citation.docId);
      if (list) list.push(label);
      else map!.set(c.citation.docId, [label]);
    });
    docLabels.set(chunks, map);
  }
  return [...docIds].flatMap((d) => map!.get(d) ?? []);
}

/** The k nearest of `labels` by cosine distance, as hnswlib's searchKnn reports them. */
export function exactKnn(
  index: { getPoint(label: number): number[] },
  query: number[],
  labels: number[],
  k: number,
): { neighbors: number[]; distances: number[] } {
  const qn = Math.hypot(...query) || 1;
  const scored = labels.map((label) => {
    const p = index.getPoint(label);
    let dot = 0;
    let pn = 0;
    for (let i = 0; i < p.length; i++) {
      dot += p[i] * query[i];
      pn += p[i] * p[i];
    }
    return { label, distance: 1 - dot / (qn * (Math.sqrt(pn) || 1)) };
  });
  scored.sort((a, b) => a.distance - b.distance || a.label - b.label);
  const top = scored.slice(0, k);
  return { neighbors: top.map((x) => x.label), distances: top.map((x) => x.distance) };
}
