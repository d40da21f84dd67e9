// Procedures, in one place: the sections a procedure document has (the splitter finds them, the retriever votes for
// the ones a question asks about, answers and the catalog show them), the words that ask for each, and the fields of
// a procedure card.
import { fold, QUESTION_WORDS, STOPWORDS } from '../text';
import type { Chunk } from './corpus';

/** The sections answers name on their own. */
export const SECTION = {
  agency: 'Cơ quan thực hiện',
  documents: 'Thành phần hồ sơ',
  steps: 'Trình tự thực hiện',
  duration: 'Thời hạn giải quyết',
  fee: 'Lệ phí',
  basis: 'Căn cứ pháp lý',
  channel: 'Cách thức thực hiện',
} as const;

/** Section headings of a procedure document, in their usual order. */
export const PROCEDURE_SECTIONS: string[] = [
  SECTION.agency,
  SECTION.documents,
  SECTION.steps,
  SECTION.duration,
  SECTION.fee,
  SECTION.basis,
  SECTION.channel,
  'Lưu ý',
  'Điều kiện',
  'Đối tượng',
  'Kết quả',
];

/** Sections whose content is a list that a question asking for it wants whole ("cần giấy tờ gì", "các bước"). */
export const LIST_SECTIONS: ReadonlySet<string> = new Set([SECTION.documents, SECTION.steps]);

/**
 * The fields of a procedure card, in order: the catalog shows each with its icon (up to `lines` lines), an answer
 * to a question naming only the procedure shows the first sentence of each but the documents after its `label`.
 */
export const CARD_FIELDS: { section: string; icon: string; label: string; lines: number }[] = [
  { section: SECTION.agency, icon: '🏛', label: 'Nộp ở', lines: 2 },
  { section: SECTION.duration, icon: '⏱', label: 'Thời hạn', lines: 2 },
  { section: SECTION.fee, icon: '💰', label: 'Lệ phí', lines: 4 },
  { section: SECTION.channel, icon: '🧭', label: 'Cách nộp', lines: 3 },
  { section: SECTION.documents, icon: '📄', label: 'Giấy tờ', lines: 6 },
];

/** A procedure chunk's text without its section heading line. */
export function sectionText(c: Chunk): string {
  const lines = c.text.split('\n');
  return (c.citation.section && lines[0] === c.citation.section ? lines.slice(1) : lines).join('\n').trim();
}

/** Procedure sections a question can ask for, by the words people use (matched on folded text). */
const SECTION_CUES: { section: string; cues: RegExp }[] = [
  {
    section: SECTION.fee,
    cues: /\b(phi|le phi|bao nhieu tien|mat tien|ton tien|het bao nhieu|mien phi|tien(?= *(\?|$|khong\b|ko\b|k\b|a\b|nhe\b|vay\b))|fee|cost|how much|charge)\b/,
  },
  {
    section: SECTION.duration,
    cues: /\b(bao lau|may ngay|bao nhieu ngay|bao gio|khi nao (co|nhan|lay)|thoi han|thoi gian|lau khong|mat bao lau|how long|how many days|trong ngay)\b/,
  },
  {
    section: SECTION.documents,
    cues: /\b(giay to|ho so|can gi|can nhung gi|mang (theo )?gi|chuan bi|thanh phan|can mang|papers?|documents?|what do i need|bring)\b/,
  },
  {
    section: SECTION.agency,
    cues: /\b(o dau|cho nao|co quan nao|den dau|noi nao|nop o|lam o|len dau|ai (cap|giai quyet|ky|quyet dinh|lam|cho phep)|ubnd nao|(xa|phuong|huyen|tinh|ubnd|so|bo|cong an|bhxh|trung uong) (cap |lam |giai quyet )?hay (\w+ ){0,3}(giai quyet|cap|lam|duyet|quyet dinh|ky)|do (xa|tinh|cap nao)|thuoc tham quyen|tham quyen cua ai|where|which office|who (issues|handles|decides))\b/,
  },
  {
    section: SECTION.basis,
    cues: /\b(can cu|van ban nao|luat nao|nghi dinh nao|quy dinh (o|tai) dau|legal basis|which law)\b/,
  },
  {
    section: SECTION.channel,
    cues: /\b(online|truc tuyen|qua mang|tren mang|vneid|dich vu cong|buu chinh|buu dien|nop tu xa|internet)\b/,
  },
  {
    section: SECTION.steps,
    cues: /\b(cac buoc|trinh tu|quy trinh|thu tuc the nao|lam the nao|lam sao|cach lam|steps?|how (do|can) i)\b/,
  },
];

/** The procedure sections a question asks about, most specific first. */
export function askedSections(question: string): string[] {
  const q = fold(question);
  return SECTION_CUES.filter((s) => s.cues.test(q)).map((s) => s.section);
}

/** Words of the section cues themselves, which say what is asked but not about which procedure. */
const CUE_WORDS = new Set(
  'phi le bao nhieu tien mat ton het mien lau may ngay gio khi nao thoi han gian giay to ho so can gi nhung mang theo chuan bi thanh phan dau cho co quan den noi nop lam len ai cap giai quyet ky quyet dinh can cu van ban luat nghi dinh online truc tuyen qua mang tren vneid dich vu cong buu chinh dien cac buoc trinh tu quy the sao cach'.split(
    ' ',
  ),
);

/** A question that only names a section ("nộp ở đâu?", "mất bao lâu?"): nothing in it says which procedure. */
export function bareSectionQuestion(foldedQuestion: string): boolean {
  if (!SECTION_CUES.some((s) => s.cues.test(foldedQuestion))) return false;
  const words = foldedQuestion.match(/[a-z0-9]+/g) ?? [];
  return words.every((w) => CUE_WORDS.has(w) || STOPWORDS.has(w) || QUESTION_WORDS.has(w));
}

/** "còn lệ phí thì sao?", "nộp ở đâu?": a question that leans on the previous topic. */
export function looksLikeFollowUp(question: string): boolean {
  const q = fold(question).trim();
  return (
    /^(con|the con|vay|the|va|neu|nhung|roi|what about|and)\b/.test(q) ||
    /\b(thi sao|thu tuc (nay|do)|cai (nay|do)|viec (nay|do))\s*\??$/.test(q) ||
    bareSectionQuestion(q)
  );
}
