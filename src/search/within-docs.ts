// Search within named documents (retriever.ts): the chunks of those documents, and exact vector scoring of them.
import { type Chunk, labelsOfDoc } from '../domain';

/** Labels of the chunks of some documents. */
export function labelsOfDocs(chunks: Chunk[], docIds: Set<string>): number[] {
  return [...docIds].flatMap((d) => labelsOfDoc(chunks, d));
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
