// One learner's fields as typed in a roster file or a chat command: cleaned, validated, normalised.
import { cleanName, cleanText } from './text';
import type { NewLearner } from './types';

export type FieldError = 'no-name' | 'bad-name' | 'bad-phone' | 'bad-date' | 'too-long';

/**
 * Names in any Latin script with diacritics (Vietnamese, and Ê Đê / M'Nông names such as "H'Hen Niê" or "Y Mŭt"),
 * spaces, apostrophes, hyphens and dots. Mis-decoded text ("Nguyá»…n") has symbols and fails.
 */
const NAME_RE = /^[\p{Script=Latin}\p{M}][\p{Script=Latin}\p{M} '’.-]*$/u;

/** UTF-8 Vietnamese read as Windows-1252 ("Nguyá»…n", "NiÃª"): letters in themselves, impossible in a name. */
export const MOJIBAKE = /Ã[\u0080-\u00ff]|á[»º]|Æ[°¡]|Ä[‘\u0090]/u;

function isPlausibleName(name: string): boolean {
  return NAME_RE.test(name) && !MOJIBAKE.test(name);
}

/** "0912 345 678", "+84 912345678", "912345678" (Excel dropped the 0) -> "0912345678"; null when empty; false when invalid. */
export function normalizePhone(raw: string): string | null | false {
  const t = cleanText(raw).replace(/[\s.()-]/g, '');
  if (!t) return null;
  let d = t.replace(/^\+84/, '0');
  if (!/^\d+$/.test(d)) return false;
  if (/^84\d{9,10}$/.test(d)) d = `0${d.slice(2)}`;
  if (/^[1-9]\d{8}$/.test(d)) d = `0${d}`;
  return /^0\d{9,10}$/.test(d) ? d : false;
}

/** "03/05/1970", "3-5-1970", "1970-05-03" -> "1970-05-03"; "1970" -> "1970"; null when empty; false when invalid. */
export function normalizeBirthDate(raw: string, nowYear = new Date().getFullYear()): string | null | false {
  const t = cleanText(raw);
  if (!t) return null;
  const okYear = (y: number): boolean => y >= 1900 && y <= nowYear;
  if (/^\d{4}$/.test(t)) return okYear(Number(t)) ? t : false;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(t);
  let y: number, mo: number, d: number;
  if (m) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else {
    m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
    if (!m) return false;
    [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (!okYear(y) || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return false;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** "1970-05-03" -> "03/05/1970"; "1970" stays. */
export function formatBirthDate(v: string | null): string {
  if (!v) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : v;
}

const MAX_CELL = 120;

/** Cleans and checks one learner; the first problem found, with the offending value, otherwise the learner. */
export function learnerFields(raw: {
  name: string;
  phone?: string;
  birthDate?: string;
  village?: string;
}): { learner: NewLearner } | { error: FieldError; value: string } {
  const name = cleanName(raw.name);
  if (!name) return { error: 'no-name', value: '' };
  if ([...cleanText(raw.name)].length > MAX_CELL) return { error: 'too-long', value: name.slice(0, 30) };
  if (!isPlausibleName(name)) return { error: 'bad-name', value: name };
  const phone = normalizePhone(raw.phone ?? '');
  if (phone === false) return { error: 'bad-phone', value: cleanText(raw.phone ?? '') };
  const birthDate = normalizeBirthDate(raw.birthDate ?? '');
  if (birthDate === false) return { error: 'bad-date', value: cleanText(raw.birthDate ?? '') };
  const village = cleanText(raw.village ?? '');
  if ([...village].length > MAX_CELL) return { error: 'too-long', value: village.slice(0, 30) };
  return { learner: { name, phone, birthDate, village: village || null } };
}

/** Two optional fields agree when either is unknown or both are equal. */
export function compatible(a: string | null, b: string | null): boolean {
  return a === null || b === null || a === b;
}
