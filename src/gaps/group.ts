// Questions asked in different words about the same thing land in one group: the key is the set of topic
// syllables, diacritic-folded, without function and question words, in alphabetical order ("lệ phí cấp sổ đỏ là
// bao nhiêu?" and "Cap so do le phi bao nhieu" share "cap do le phi so").
import { contentSyllables, fold, QUESTION_WORDS } from '../text';

/** Particles that only colour a question ("thế nào", "nhỉ", "nè"), folded. */
const FILLER = new Set(['the', 'nao', 'nhi', 'ne', 'vay', 'oi', 'chu', 'ha', 'ho', 'xin', 'hoi', 'cho']);

export function groupKey(question: string): string {
  const topic = contentSyllables(question.replace(/\[[^\]]*\]/g, ' ')).filter(
    (t) => !QUESTION_WORDS.has(t) && !FILLER.has(t),
  );
  const key = [...new Set(topic)].sort().join(' ');
  return key || fold(question).replace(/\s+/g, ' ').trim().slice(0, 200);
}
