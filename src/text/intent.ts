import { fold } from './normalize';
import { QUESTION_WORDS, STOPWORDS } from './stopwords';

/** Procedure sections a question can ask for, by the words people use (matched on folded text). */
const SECTION_CUES: { section: string; cues: RegExp }[] = [
  { section: 'Lệ phí', cues: /\b(phi|le phi|bao nhieu tien|mat tien|ton tien|het bao nhieu|mien phi|tien|fee|cost|how much|charge)\b/ },
  { section: 'Thời hạn giải quyết', cues: /\b(bao lau|may ngay|bao nhieu ngay|bao gio|khi nao (co|nhan|lay)|thoi han|thoi gian|lau khong|mat bao lau|how long|how many days|trong ngay)\b/ },
  { section: 'Thành phần hồ sơ', cues: /\b(giay to|ho so|can gi|can nhung gi|mang (theo )?gi|chuan bi|thanh phan|can mang|papers?|documents?|what do i need|bring)\b/ },
  { section: 'Cơ quan thực hiện', cues: /\b(o dau|cho nao|co quan nao|den dau|noi nao|nop o|lam o|len dau|ai (cap|giai quyet|ky|quyet dinh|lam|cho phep)|ubnd nao|where|which office|who (issues|handles|decides))\b/ },
  { section: 'Căn cứ pháp lý', cues: /\b(can cu|van ban nao|luat nao|nghi dinh nao|quy dinh (o|tai) dau|legal basis|which law)\b/ },
  { section: 'Cách thức thực hiện', cues: /\b(online|truc tuyen|qua mang|tren mang|vneid|dich vu cong|buu chinh|buu dien|nop tu xa|internet)\b/ },
  { section: 'Trình tự thực hiện', cues: /\b(cac buoc|trinh tu|quy trinh|thu tuc the nao|lam the nao|lam sao|cach lam|steps?|how (do|can) i)\b/ },
];

/** The procedure sections a question asks about, most specific first. */
export function askedSections(question: string): string[] {
  const q = fold(question);
  return SECTION_CUES.filter((s) => s.cues.test(q)).map((s) => s.section);
}

export { isEnglish } from './language';

/** Words of the section cues themselves, which say what is asked but not about which procedure. */
const CUE_WORDS = new Set(
  'phi le bao nhieu tien mat ton het mien lau may ngay gio khi nao thoi han gian giay to ho so can gi nhung mang theo chuan bi thanh phan dau cho co quan den noi nop lam len ai cap giai quyet ky quyet dinh can cu van ban luat nghi dinh online truc tuyen qua mang tren vneid dich vu cong buu chinh dien cac buoc trinh tu quy the sao cach'.split(' '),
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

/** The question asks for a figure: an amount, a duration, a count, a percentage, an age. */
export function asksNumber(question: string): boolean {
  return /\b(bao nhieu|bao lau|may (ngay|thang|nam|gio|tieng|lan|tuoi|phan tram|nguoi|m2|met)|toi da|toi thieu|it nhat|nhieu nhat|phan tram|ty le|muc (huong|phi|phat|luong|tro cap)|bao gio|tu bao gio|ngay nao|khi nao|luc nao|nam nao|hieu luc|tuoi|thoi han|how (much|many|long)|when|minimum|maximum|percent)\b|%/.test(fold(question));
}

/** "có được … không", "có phải … không", "có cần … không": the answer is a rule that says yes or no. */
export function isYesNo(question: string): boolean {
  const q = fold(question);
  return /\b(co|co the|duoc|phai|can|bi|bat buoc)\b.*\b(khong|ko|k|hong|hok|khong a|chua)\s*\??\s*$/.test(q) || /^(is|are|can|do|does|must|should)\b/.test(q);
}
