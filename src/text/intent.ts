import { fold } from './normalize';

export { isEnglish } from './language';

/** The question asks for a figure: an amount, a duration, a count, a percentage, an age. */
export function asksNumber(question: string): boolean {
  return /\b(bao nhieu|bao lau|may (ngay|thang|nam|gio|tieng|lan|tuoi|phan tram|nguoi|m2|met)|toi da|toi thieu|it nhat|nhieu nhat|phan tram|ty le|muc (huong|phi|phat|luong|tro cap)|bao gio|tu bao gio|ngay nao|khi nao|luc nao|nam nao|hieu luc|tuoi|thoi han|how (much|many|long)|when|minimum|maximum|percent)\b|%/.test(
    fold(question),
  );
}

/** "có được … không", "có phải … không", "có cần … không": the answer is a rule that says yes or no. */
export function isYesNo(question: string): boolean {
  const q = fold(question);
  return (
    /\b(co|co the|duoc|phai|can|bi|bat buoc)\b.*\b(khong|ko|k|hong|hok|khong a|chua)\s*\??\s*$/.test(q) ||
    /^(is|are|can|do|does|must|should)\b/.test(q)
  );
}
