import { fold } from './normalize';

// Only words that are not also common unaccented Vietnamese ("can" = cần, "to" = tờ, "do", "an", "in", "a").
const EN_WORDS = /\b(the|what|how|where|who|when|which|is|are|does|my|for|of|need|after|get|register|from|by|or|should|much|many|your|with|this)\b/g;

/** A question written in English: no Vietnamese diacritics and mostly English function words. */
export function isEnglish(text: string): boolean {
  const lower = text.toLowerCase().normalize('NFC');
  if (fold(lower) !== lower) return false;
  const words = lower.match(/[a-z]+/g) ?? [];
  if (words.length < 3) return false;
  const en = (lower.match(EN_WORDS) ?? []).length;
  return en / words.length >= 0.25;
}
