import { fold } from './normalize';
import { isVietnameseSyllable } from './syllable';

// Only words that are not also common unaccented Vietnamese ("can" = cần, "to" = tờ, "do", "an", "in", "a").
const EN_WORDS =
  /\b(the|what|how|where|who|when|which|is|are|does|my|i|for|of|need|after|get|register|from|by|or|should|much|many|your|with|this|at|it|you|we|there)\b/g;

/**
 * A question written in English: no Vietnamese diacritics, and either mostly English function words or mostly
 * words that cannot be Vietnamese syllables ("cook", "beef", "permit").
 */
export function isEnglish(text: string): boolean {
  const lower = text.toLowerCase().normalize('NFC');
  if (fold(lower) !== lower) return false;
  const words = lower.match(/[a-z]+/g) ?? [];
  if (words.length < 3) return false;
  const en = (lower.match(EN_WORDS) ?? []).length;
  const foreign = words.filter((w) => w.length > 1 && !isVietnameseSyllable(w)).length;
  return en / words.length >= 0.25 || foreign / words.length >= 0.5;
}
