import { Embeddings, type EmbeddingsParams } from '@langchain/core/embeddings';
import { canonicalSyllable, fold, STOPWORDS, tokenize } from '../text';

/** FNV-1a, 32-bit: fast, stable across runs and machines (the index depends on it). */
function fnv1a(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

interface LocalEmbedderOptions extends EmbeddingsParams {
  dimension?: number;
}

/**
 * Weight-free embedder: feature hashing of diacritic-folded syllable unigrams and bigrams plus character
 * trigrams of each syllable (robust to typos), signed to cancel collisions, log-scaled and L2-normalised.
 * Deterministic, so documents and queries always agree and no model download is ever needed.
 */
export class LocalHashEmbeddings extends Embeddings {
  readonly dimension: number;
  /** Counts texts embedded, so tests can check that unchanged files cost nothing. */

  constructor(opts: LocalEmbedderOptions = {}) {
    super(opts);
    this.dimension = opts.dimension ?? 256;
  }

  get id(): string {
    return `local-hash-v1:${this.dimension}`;
  }

  embedText(text: string): Float32Array {
    const v = new Float32Array(this.dimension);
    const add = (feature: string, w: number) => {
      const h = fnv1a(feature);
      v[h % this.dimension] += (h & 0x80000000 ? -1 : 1) * w;
    };
    const syl = tokenize(text).map((t) => canonicalSyllable(fold(t)));
    for (let i = 0; i < syl.length; i++) {
      const s = syl[i];
      const stop = STOPWORDS.has(s);
      if (!stop) add(`u:${s}`, 1);
      if (i + 1 < syl.length && !(stop && STOPWORDS.has(syl[i + 1]))) add(`b:${s} ${syl[i + 1]}`, 1.2);
      if (!stop && s.length >= 3) {
        const padded = `<${s}>`;
        for (let j = 0; j + 3 <= padded.length; j++) add(`c:${padded.slice(j, j + 3)}`, 0.35);
      }
    }
    // Sub-linear term frequency: long chunks should not drown short queries.
    let norm = 0;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      v[i] = Math.sign(x) * Math.log1p(Math.abs(x));
      norm += v[i] * v[i];
    }
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < v.length; i++) v[i] /= norm;
    return v;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => Array.from(this.embedText(t)));
  }

  async embedQuery(text: string): Promise<number[]> {
    return Array.from(this.embedText(text));
  }
}
