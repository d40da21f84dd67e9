import { type Chunk, documentsOf, locator, type SearchResult, sectionText, todayIso, validityAt } from '../domain';
import { composePassage, composeProcedure, sourcesBlock } from './extractive';
import { asksForWhole, bestUnitScore, readPassage } from './reader';
import { ENGLISH_LEAD, TRUNCATED_NOTE } from './messages';
import type { Answer } from './types';
import { validityNote } from './validity-note';

/** "khoản 2" in "khoản 2 điều 20 luật cư trú". */
function namedClause(question: string): number | undefined {
  const m = /kho[aả]n\s+(\d{1,2})/iu.exec(question);
  return m ? Number(m[1]) : undefined;
}

/** Does `extra` say something `main` does not (a third of its words new)? */
function addsFact(main: string, extra: string): boolean {
  const have = new Set(main.toLowerCase().split(/\s+/));
  const words = extra
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w.length > 1);
  return words.length > 0 && words.filter((w) => !have.has(w)).length / words.length > 0.33;
}

export function capLength(text: string, max: number): string {
  if (text.length <= max) return text;
  // No room for the note (a tiny or negative budget): hard cut, never more than `max` characters.
  if (max < TRUNCATED_NOTE.length + 12) return max > 1 ? `${text.slice(0, max - 1).trimEnd()}…` : '';
  const cut = text.slice(0, max - TRUNCATED_NOTE.length - 2);
  const at = Math.max(cut.lastIndexOf('\n'), cut.lastIndexOf('. '));
  return `${(at > max / 2 ? cut.slice(0, at + 1) : cut).trimEnd()}\n${TRUNCATED_NOTE}`;
}

/** Quoted characters of the main passage; with the sources line this keeps a typical answer near 600 characters. */
const QUOTE_BUDGET = 440;

/** Share of the main passage's best-clause match another article's best clause needs to be quoted as well. */
const SECOND_SHARE = 0.75;

/** A runner-up leads when its best clause beats the top passage's best clause by this factor. */
const CLAUSE_MARGIN = 1.05;

/**
 * Among the first legal passages, the one whose best clause (khoản, điểm) matches the question best leads: a long
 * article can outrank the short one that answers on its many shared words, but not on any one clause.
 */
function leadingPassage(question: string, res: SearchResult, clauseScore: (text: string) => number): SearchResult {
  const [first] = res.results;
  if (first.citation.kind !== 'regulation' || res.lookup?.labels.length) return res;
  // An article whose heading says all the question asks about ("Điều 124. Hình thức xử lý kỷ luật lao động") keeps
  // the lead, though another part of it may answer: its clauses list the answer without repeating the question.
  const heading = first.text.split('\n', 1)[0];
  const headed = /^(Điều|Phụ lục|Mục|Chương)\s/iu.test(heading) && asksForWhole(question, heading);
  const sameArticle = (r: (typeof res.results)[number]) =>
    r.citation.docId === first.citation.docId && r.citation.article === first.citation.article;
  // Validity ranking stays: a passage of a text in another state (repealed, not yet in force) never takes the lead.
  const today = todayIso();
  const state = validityAt(first.citation, today);
  const pool = res.results
    .slice(0, 4)
    .filter(
      (r) => r.citation.kind === 'regulation' && validityAt(r.citation, today) === state && (!headed || sameArticle(r)),
    );
  if (pool.length < 2) return res;
  const scored = pool.map((r) => ({ r, s: clauseScore(r.text) }));
  const best = scored.reduce((a, b) => (b.s > a.s ? b : a));
  if (best.r === first || best.s < CLAUSE_MARGIN * scored[0].s) return res;
  return { ...res, results: [best.r, ...res.results.filter((r) => r !== best.r)] };
}

/** Offline answer composed from the retrieved passages; always ends with its sources. */
export function extractiveAnswer(
  question: string,
  res: SearchResult,
  all: Chunk[],
  opts: { english: boolean; maxChars: number; idf: (term: string) => number },
): Answer {
  // The best clause of a passage, scored once per answer (the lead and the "Xem thêm" choice both ask).
  const scores = new Map<string, number>();
  const clauseScore = (text: string): number => {
    let v = scores.get(text);
    if (v === undefined) scores.set(text, (v = bestUnitScore(question, text, { idf: opts.idf })));
    return v;
  };
  res = leadingPassage(question, res, clauseScore);
  const top = res.results[0];
  const read = {
    idf: opts.idf,
    budget: QUOTE_BUDGET,
    clause: res.lookup?.labels.length ? namedClause(question) : undefined,
  };
  const composed =
    top.citation.kind === 'procedure'
      ? composeProcedure(question, top, all, res.results, read)
      : composePassage(question, top, read);
  // A close runner-up from another document (the decree behind a procedure, or the procedure behind a decree)
  // is worth a short quote when it adds a fact the main passage does not have.
  // Two articles that both fit a legal question (the law and the decree that details it) are both quoted briefly.
  const otherArticle = (r: (typeof res.results)[number]) =>
    r.citation.kind === 'regulation' &&
    top.citation.kind === 'regulation' &&
    (r.citation.docId !== top.citation.docId || r.citation.article !== top.citation.article);
  const second = res.results
    .slice(1, 3)
    .find(
      (r) =>
        r.citation.kind !== 'news' &&
        (r.lexicalRank ?? 99) <= 3 &&
        ((r.citation.docId !== top.citation.docId &&
          r.citation.kind !== top.citation.kind &&
          r.score >= 0.9 * top.score) ||
          (otherArticle(r) && !res.lookup?.labels.length)),
    );
  // Another article is quoted only when its best clause answers nearly as well as the main one's.
  const close = (r: (typeof res.results)[number]) =>
    !otherArticle(r) || clauseScore(r.text) >= SECOND_SHARE * clauseScore(top.text);
  if (second && close(second)) {
    const c = second.citation;
    const extra = readPassage(question, sectionText(second), {
      ...read,
      budget: 220,
      clause: undefined,
    }).text;
    if (extra && addsFact(composed.text, extra)) {
      const label = c.kind === 'procedure' ? `Thủ tục "${c.title}"` : (c.docNumber ?? c.title);
      const where = locator(c);
      composed.text += `\n\nXem thêm — ${label}${where ? `, ${where}` : ''}:\n${extra}`;
      composed.used.push(c);
    }
  }
  const sources = sourcesBlock(composed.used);
  // A passage from a document no longer in force is said to be so before anything else (validity-note.ts).
  const note = validityNote(question, top.citation, documentsOf(all), { english: opts.english });
  const lead = `${opts.english ? `${ENGLISH_LEAD}\n\n` : ''}${note ? `${note}\n\n` : ''}`;
  const bodyMax = opts.maxChars - sources.length - lead.length - 2;
  const text = `${lead}${capLength(composed.text, bodyMax)}\n\n${sources}`;
  return {
    // Long sources can leave the body no room at a small MAX_ANSWER_CHARS: the whole text is capped then.
    text: capLength(text, opts.maxChars),
    citations: composed.used,
    confidence: res.confidence,
    mode: 'extractive',
    topic: { docId: top.citation.docId, title: top.citation.title },
  };
}
