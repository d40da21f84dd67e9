// The serving index behind a holder, so a rebuilt index replaces it without a restart. Readers take the current
// retriever once per question (`current()`) and keep it to the end: a question in flight when the index is swapped
// finishes on the index it started with, whose passages stay readable (chunk-store.ts keeps its texts file open).
import type { SearchIndex } from './index-store';
import { Retriever } from './retriever';

/** Where the answerer (and anything else that searches) gets the retriever of the moment. */
export interface RetrieverSource {
  current(): Retriever;
}

/** A retriever, or a source of the current one: the retriever to use for one question. */
export function retrieverOf(r: Retriever | RetrieverSource): Retriever {
  return r instanceof Retriever ? r : r.current();
}

export type SwapListener = (next: Retriever, previous: Retriever) => void;

export class LiveIndex implements RetrieverSource {
  private retriever: Retriever;
  private generation = 1;
  private readonly listeners = new Set<SwapListener>();

  constructor(initial: Retriever) {
    this.retriever = initial;
  }

  current(): Retriever {
    return this.retriever;
  }

  /** The loaded index (for readers that only list its documents: the catalog, /healthz, /api/documents). */
  get index(): SearchIndex {
    return this.retriever.index;
  }

  /** 1 for the index loaded at start-up, +1 per swap. */
  get version(): number {
    return this.generation;
  }

  /** Serve `next` from now on; returns the retriever it replaced. One assignment: there is no state in between. */
  swap(next: Retriever): Retriever {
    const previous = this.retriever;
    this.retriever = next;
    this.generation++;
    for (const l of this.listeners) l(next, previous);
    return previous;
  }

  /** Serve a newly built index with the same embedder, synonyms and tuning as the current retriever. */
  swapIndex(index: SearchIndex): Retriever {
    const cur = this.retriever;
    return this.swap(new Retriever(index, cur.embedder, cur.synonyms, cur.tuning));
  }

  onSwap(listener: SwapListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
