// Two ordering rules for procedures among the first passages: the procedure the question names before a more
// specific one that only extends its title, and before a law article on the same words.
import { contentSyllables, foldedTokens } from '../text';
import type { Chunk } from '../domain';

/** The question as searched: corrected text and the synonym expansions added to it. */
interface QueryText {
  corrected: string;
  expansions: string[];
}

/**
 * Tie-break between the first two passages: when the runner-up's document is the one the question names
 * ("làm giấy khai sinh") and the leader's title only extends it with things the question does not mention
 * ("Liên thông khai sinh – thường trú – BHYT"), the named, more specific procedure goes first.
 */
export function preferNamedProcedure(ranked: [number, { score: number }][], chunks: Chunk[], pq: QueryText): void {
  if (ranked.length < 2) return;
  const [a, b] = [chunks[ranked[0][0]].citation, chunks[ranked[1][0]].citation];
  if (a.docId === b.docId || a.kind !== 'procedure' || b.kind !== 'procedure') return;
  const q = new Set(foldedTokens([pq.corrected, ...pq.expansions].join(' ')));
  const ta = contentSyllables(a.title);
  const tb = contentSyllables(b.title);
  const setA = new Set(ta);
  const bNamed = tb.length >= 2 && tb.every((t) => q.has(t) && setA.has(t));
  const asked = new Set(foldedTokens(pq.corrected));
  const aExtra = ta.filter((t) => !tb.includes(t));
  if (bNamed && aExtra.length > 0 && aExtra.every((t) => !asked.has(t))) {
    ranked[1][1].score = ranked[0][1].score + 1e-6;
    [ranked[0], ranked[1]] = [ranked[1], ranked[0]];
  }
}

/**
 * "thủ tục đăng ký kết hôn": when a procedure the question names by its title is among the first three, it goes
 * before a law article on the same words (Luật Hộ tịch "Điều 18. Thủ tục đăng ký kết hôn"): a citizen needs the
 * papers, place and fee; the article still follows. A question that names a document gets that document.
 */
export function preferProcedureOverLaw(ranked: [number, { score: number }][], chunks: Chunk[], pq: QueryText): void {
  if (ranked.length < 2 || chunks[ranked[0][0]].citation.kind !== 'regulation') return;
  const q = new Set(foldedTokens([pq.corrected, ...pq.expansions].join(' ')));
  const i = ranked.slice(1, 3).findIndex(([label]) => {
    const c = chunks[label];
    if (c.citation.kind !== 'procedure') return false;
    const title = contentSyllables(c.citation.title);
    return title.length >= 2 && title.every((t) => q.has(t));
  });
  if (i < 0) return;
  const [moved] = ranked.splice(i + 1, 1);
  moved[1].score = ranked[0][1].score + 1e-6;
  ranked.unshift(moved);
}
