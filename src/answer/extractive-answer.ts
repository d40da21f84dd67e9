import type { SearchResult } from '../search/types';
import type { Chunk } from '../search/types';
import { locator } from './cite';
import { bestSentences, composePassage, composeProcedure, sourcesBlock } from './extractive';
import { ENGLISH_LEAD, TRUNCATED_NOTE } from './messages';
import type { Answer } from './types';
import { documentsOf } from '../search/documents';
import { validityNote } from './validity-note';

function stripHeading(text: string, section?: string): string {
  const lines = text.split('\n');
  return (section && lines[0] === section ? lines.slice(1) : lines).join('\n');
}

export function capLength(text: string, max: number): string {
  if (text.length <= max) return text;
  // No room for the note (a tiny or negative budget): hard cut, never more than `max` characters.
  if (max < TRUNCATED_NOTE.length + 12) return max > 1 ? `${text.slice(0, max - 1).trimEnd()}…` : '';
  const cut = text.slice(0, max - TRUNCATED_NOTE.length - 2);
  const at = Math.max(cut.lastIndexOf('\n'), cut.lastIndexOf('. '));
  return `${(at > max / 2 ? cut.slice(0, at + 1) : cut).trimEnd()}\n${TRUNCATED_NOTE}`;
}

/** Offline answer composed from the retrieved passages; always ends with its sources. */
export function extractiveAnswer(question: string, res: SearchResult, all: Chunk[], opts: { english: boolean; maxChars: number }): Answer {
  const top = res.results[0];
  const composed = top.citation.kind === 'procedure' ? composeProcedure(question, top, all, res.results.slice(1, 4)) : composePassage(question, top, Math.min(900, opts.maxChars / 2));
  // A close runner-up from another document (often the decree behind a procedure, or the procedure behind a
  // decree) is worth a short quote: officials want the article, citizens the practical steps.
  const second = res.results
    .slice(1, 4)
    .find((r) => r.citation.docId !== top.citation.docId && (r.lexicalRank ?? 99) <= 3 && (r.citation.kind !== 'news' || top.citation.kind === 'news'));
  if (second) {
    const c = second.citation;
    const label = c.kind === 'procedure' ? `Thủ tục "${c.title}"` : c.docNumber ?? c.title;
    const where = locator(c);
    composed.text += `\n\nXem thêm — ${label}${where ? `, ${where}` : ''}:\n${bestSentences(question, stripHeading(second.text, c.section), 380)}`;
    composed.used.push(c);
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
