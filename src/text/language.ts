import { fold } from './normalize';

const EN_WORDS = /\b(the|what|how|where|who|when|which|is|are|do|does|can|my|i|for|of|to|a|an|in|need|after|get|register|from|by|or)\b/g;

/** A question written in English: no Vietnamese diacritics and mostly English function words. */
export function isEnglish(text: string): boolean {
  const lower = text.toLowerCase().normalize('NFC');
  if (fold(lower) !== lower) return false;
  const words = lower.match(/[a-z]+/g) ?? [];
  if (words.length < 3) return false;
  const en = (lower.match(EN_WORDS) ?? []).length;
  return en / words.length >= 0.25;
}
