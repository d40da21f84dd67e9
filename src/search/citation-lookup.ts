import { fold } from '../text';
import type { Chunk, CitationLookup } from '../domain';

/**
 * Officials name the rule they want ("khoản 2 điều 20 luật cư trú", "NĐ 151 điều 5", "Điều 4 Nghị định
 * 120/2025"). Such a question is answered by that article, exactly, not by whatever shares its words.
 */
interface CitationRef {
  article?: string;
  clause?: number;
  /** Document number as typed: "151/2025", or "151" after a type word. */
  number?: { num: string; year?: string };
  type?: DocType;
  /** Folded words after the type word ("cu tru" in "luật cư trú"). */
  nameWords: string[];
  year?: string;
  /** "Phụ lục" is named. */
  appendix?: boolean;
}

type DocType = 'luat' | 'nd' | 'nq' | 'tt' | 'qd';

const TYPE_WORDS: [RegExp, DocType][] = [
  [/^(bo luat|luat|blld|bl)$/, 'luat'],
  [/^(nghi dinh|nd|ndcp|nd-cp)$/, 'nd'],
  [/^(nghi quyet|nq)$/, 'nq'],
  [/^(thong tu|tt)$/, 'tt'],
  [/^(quyet dinh|qd)$/, 'qd'],
];
const TYPE_RE = /\b(bo luat|luat|blld|nghi dinh|nd-cp|ndcp|nd|nghi quyet|nq|thong tu|tt|quyet dinh|qd)\b/g;
/** Words that end a document's name in a question ("luật cư trú quy định gì"). */
const NAME_STOP = new Set(
  'quy dinh gi the nao ve noi ra sao co khong thi la cua nam ngay dieu khoan diem ban hanh hien hanh hien nay nhu'.split(
    ' ',
  ),
);

function typeOf(word: string): DocType | undefined {
  return TYPE_WORDS.find(([re]) => re.test(word))?.[1];
}

/** The citation a question names, if any (on the folded question). */
export function parseCitationRef(question: string): CitationRef | undefined {
  const q = fold(question);
  const article = /\bdieu\s+(\d{1,3}[a-z]?)\b/.exec(q)?.[1];
  const clause = /\bkhoan\s+(\d{1,2})\b/.exec(q)?.[1];
  let number: CitationRef['number'];
  const full = /\b(\d{1,5})\s*\/\s*(\d{4})\b/.exec(q);
  if (full) number = { num: full[1], year: full[2] };
  let type: DocType | undefined;
  let nameWords: string[] = [];
  TYPE_RE.lastIndex = 0;
  for (const m of q.matchAll(TYPE_RE)) {
    const t = m[1] === 'blld' ? 'luat' : typeOf(m[1]);
    if (!t) continue;
    type ??= t;
    const after = q.slice((m.index ?? 0) + m[0].length).trim();
    const num = /^(?:so\s+)?(\d{1,5})(?:\s*\/\s*(\d{4}))?\b/.exec(after);
    if (num && !number) number = { num: num[1], year: num[2] };
    if (m[1] === 'blld') nameWords = ['lao', 'dong'];
    else if (!num && t === type && !nameWords.length) {
      const words = after.split(/[^a-z0-9]+/).filter(Boolean);
      const name: string[] = [];
      for (const w of words) {
        if (NAME_STOP.has(w) || /^\d/.test(w)) break;
        name.push(w);
        if (name.length === 6) break;
      }
      nameWords = name;
    }
  }
  const year = number?.year ?? /\b(19|20)\d{2}\b/.exec(q)?.[0];
  if (!article && !number && !nameWords.length) return undefined;
  if (!article && !type && !full) return undefined;
  return {
    article,
    clause: clause ? Number(clause) : undefined,
    number,
    type,
    nameWords,
    year,
    appendix: /\bphu luc\b/.test(q),
  };
}

interface DocEntry {
  docId: string;
  title: string;
  type?: DocType;
  num?: string;
  year?: string;
  /** Folded title words. */
  words: string[];
  /** Labels of the document's chunks by article ("Điều 20" -> labels, in order). */
  articles: Map<string, number[]>;
  articleCount: number;
}

function docTypeFromNumber(n: string): DocType | undefined {
  const f = fold(n);
  if (/nd-cp/.test(f)) return 'nd';
  if (/\/qh\d+$/.test(f)) return 'luat';
  if (/nq/.test(f)) return 'nq';
  if (/tt-/.test(f)) return 'tt';
  if (/qd-/.test(f)) return 'qd';
  return undefined;
}

/** Regulation documents of an index, by the names officials use for them. */
export class CitationRegistry {
  private readonly docs: DocEntry[] = [];

  constructor(chunks: Chunk[]) {
    const byId = new Map<string, DocEntry>();
    chunks.forEach((c, label) => {
      const cit = c.citation;
      // Procedures cite laws; they are not the laws. News and appendices (no articles) can still be named by number.
      if (cit.kind === 'procedure') return;
      let d = byId.get(cit.docId);
      if (!d) {
        const titleF = fold(cit.title);
        const numM = cit.docNumber ? /^(\d{1,5})\/(\d{4})/.exec(cit.docNumber) : null;
        const typeWord = /\b(bo luat|luat|nghi dinh|nghi quyet|thong tu|quyet dinh)\b/.exec(titleF)?.[1];
        d = {
          docId: cit.docId,
          title: cit.title,
          type:
            (cit.docNumber ? docTypeFromNumber(cit.docNumber) : undefined) ?? (typeWord ? typeOf(typeWord) : undefined),
          num: numM?.[1],
          year: numM?.[2] ?? /\b(19|20)\d{2}\b/.exec(titleF)?.[0],
          words: titleF.split(/[^a-z0-9]+/).filter(Boolean),
          articles: new Map(),
          articleCount: 0,
        };
        byId.set(cit.docId, d);
        this.docs.push(d);
      }
      if (cit.article) {
        const list = d.articles.get(cit.article);
        if (list) list.push(label);
        else d.articles.set(cit.article, [label]);
      }
    });
    for (const d of this.docs) d.articleCount = d.articles.size;
  }

  /** Documents the reference names (by number, or by type and name words), best first. */
  documents(ref: CitationRef): DocEntry[] {
    const found = this.named(ref);
    // "Phụ lục I NĐ 151": the appendix, not the decree's articles.
    const appendix = found.filter((d) => d.words.includes('phu') && d.words[d.words.indexOf('phu') + 1] === 'luc');
    return ref.appendix ? (appendix.length ? appendix : found) : found;
  }

  private named(ref: CitationRef): DocEntry[] {
    if (ref.number) {
      const byNum = this.docs.filter(
        (d) =>
          d.num === ref.number!.num &&
          (!ref.number!.year || d.year === ref.number!.year) &&
          (!ref.type || !d.type || d.type === ref.type),
      );
      if (byNum.length) return byNum;
    }
    if (!ref.nameWords.length) return [];
    // The longest run of the typed name that follows a type word in the title ("luật cư trú" in "… LUẬT CƯ TRÚ").
    const scored = this.docs
      .filter((d) => !ref.type || !d.type || d.type === ref.type)
      .map((d) => ({ d, n: namePrefix(d.words, ref.nameWords) }))
      .filter((x) => x.n >= Math.min(2, ref.nameWords.length));
    const best = Math.max(0, ...scored.map((x) => x.n));
    const named = scored.filter((x) => x.n === best).map((x) => x.d);
    // "luật đất đai 2013" when the corpus holds 2024: the year must agree when both are known.
    const sameYear = ref.year ? named.filter((d) => !d.year || d.year === ref.year) : named;
    return sameYear.length ? sameYear : named.filter((d) => !ref.year || !d.year);
  }

  /**
   * The chunks the reference names: the article's chunks (the named clause first) in the named documents, or in
   * every regulation when no document is named and only one has that article.
   */
  resolve(ref: CitationRef, chunks: Chunk[]): CitationLookup {
    const docs = this.documents(ref);
    // "luật sư", "tt phục vụ": words that look like a document name but name none of the corpus.
    const docNamed = docs.length > 0;
    const mentioned = Boolean(ref.number || ref.nameWords.length);
    if (!ref.article) return { docIds: docs.map((d) => d.docId), labels: [], docNamed };
    const key = `Điều ${ref.article}`;
    // An article of a document the corpus lacks ("Điều 5 Nghị định 999/2025") is no other document's Điều 5.
    const scope = docs.length ? docs : mentioned ? [] : this.docs.filter((d) => d.articles.has(key));
    if (!docs.length && scope.length > 1) return { docIds: [], labels: [], docNamed, ambiguousArticle: key };
    const labels: number[] = [];
    for (const d of scope) labels.push(...(d.articles.get(key) ?? []));
    if (!labels.length) {
      const d = docs[0];
      return {
        docIds: docs.map((x) => x.docId),
        labels: [],
        docNamed,
        missing: d ? { title: d.title, article: key, articleCount: d.articleCount } : undefined,
      };
    }
    if (ref.clause !== undefined) {
      const inClause = (label: number) => clauseCovers(chunks[label].citation.clause, ref.clause!);
      labels.sort((a, b) => Number(inClause(b)) - Number(inClause(a)));
    }
    return {
      docIds: scope.map((d) => d.docId),
      labels,
      docNamed,
      clauseFound: ref.clause === undefined || labels.some((l) => clauseCovers(chunks[l].citation.clause, ref.clause!)),
    };
  }
}

/** How many leading words of `name` follow a type word ("luật", "nghị định"…) in the title, in order. */
function namePrefix(title: string[], name: string[]): number {
  let best = 0;
  for (let i = 0; i < title.length; i++) {
    const isType =
      title[i] === 'luat' ||
      title[i] === 'nd' ||
      (title[i - 1] === 'nghi' && (title[i] === 'dinh' || title[i] === 'quyet'));
    if (!isType) continue;
    let j = 0;
    while (j < name.length && title[i + 1 + j] === name[j]) j++;
    best = Math.max(best, j);
  }
  return best;
}

/** Does a chunk's clause label ("khoản 2", "khoản 1–3", "khoản 2 điểm a–c") include clause n? */
export function clauseCovers(label: string | undefined, n: number): boolean {
  if (!label) return false;
  const m = /khoản\s+(\d+)(?:\s*[–-]\s*(\d+))?/.exec(label);
  if (!m) return false;
  const lo = Number(m[1]);
  const hi = m[2] ? Number(m[2]) : lo;
  return n >= lo && n <= hi;
}

const registries = new WeakMap<Chunk[], CitationRegistry>();

/** The registry of an index's chunks, built once per loaded index. */
export function citationRegistry(chunks: Chunk[]): CitationRegistry {
  let r = registries.get(chunks);
  if (!r) registries.set(chunks, (r = new CitationRegistry(chunks)));
  return r;
}
