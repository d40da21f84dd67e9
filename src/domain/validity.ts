import { fold, lower } from '../text';
import type { Citation, ScoredChunk } from './corpus';

/*
 * Which rules are in force. A document's validity on a date comes from its dates first (hiệu lực, hết hiệu lực)
 * and its declared status second; ranking keeps in-force documents above those no longer (or not yet) in force,
 * unless the question asks for the old rule ("trước 1/7/2025 …", "theo luật 2015 …", "luật cũ …").
 */

export type Validity = 'in-force' | 'amended' | 'repealed' | 'not-yet' | 'unknown';

type ValidityFields = Pick<Citation, 'status' | 'effectiveFrom' | 'expiredFrom' | 'replacedBy'>;

/** Today's date in Vietnam, ISO yyyy-mm-dd (legal dates change at midnight local time). */
export function todayIso(now: Date = new Date()): string {
  return VN_DATE.format(now);
}

// Built once: a formatter per call cost more than the rest of a search.
const VN_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Ho_Chi_Minh',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The document's validity on `date`; `today` tells a question about the past from one about now. */
export function validityAt(c: ValidityFields, date: string, today: string = date): Validity {
  if (c.expiredFrom && c.expiredFrom <= date) return 'repealed';
  if (c.effectiveFrom && c.effectiveFrom > date) return 'not-yet';
  const current = date >= today;
  switch (c.status ?? (c.replacedBy ? 'repealed' : undefined)) {
    // A known end date later than `date`: still in force then. Without one, a past date cannot be judged.
    case 'repealed':
      return c.expiredFrom ? 'in-force' : current ? 'repealed' : 'unknown';
    case 'not-yet':
      return c.effectiveFrom ? 'in-force' : 'not-yet';
    case 'amended':
      return current ? 'amended' : 'in-force';
    case 'in-force':
      return 'in-force';
    default:
      return 'unknown';
  }
}

/** In force (possibly amended) on `date`, or nothing says otherwise. */
export function inForceAt(c: ValidityFields, date: string, today: string = date): boolean {
  const v = validityAt(c, date, today);
  return v !== 'repealed' && v !== 'not-yet';
}

interface OldRuleRequest {
  /** The question is about the rules in force on this date (ISO), e.g. "trước 1/7/2025" -> 2025-06-30. */
  asOf?: string;
  /** A document named by year ("luật 2015", "luật … năm 2015") or number ("luật 65", "77/2015"). */
  year?: number;
  number?: string;
}

function dayBefore(y: number, m: number, d: number): string | undefined {
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return undefined;
  return new Date(t.getTime() - 86_400_000).toISOString().slice(0, 10);
}

const DOC_WORD = '(?:bo luat|luat|nghi dinh|nghi quyet|thong tu|quyet dinh|van ban|nd|nq|tt|qd)';
const BEFORE_DATE =
  /\btruoc (?:ngay )?(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b|\btruoc (?:ngay )?(\d{1,2}) thang (\d{1,2}) nam (\d{4})\b/;
const BEFORE_MONTH = /\btruoc thang (\d{1,2})(?:[/.-]| nam | )(\d{4})\b/;
const BEFORE_YEAR = /\btruoc nam (\d{4})\b/;
const NAMED_NUMBER = new RegExp(String.raw`\b${DOC_WORD} (?:so )?(\d{1,4})(?:/(\d{4}))?\b`);
// "quyết định" is also a verb ("ai quyết định … năm 2025"): a year names a document only after a noun.
const NAMED_YEAR = /\b(?:bo luat|luat|nghi dinh|nghi quyet|thong tu)\b(?: [a-z]+){0,6}? (?:nam )?((?:19|20)\d{2})\b/;
// "cũ" folds like "cư" (cư trú): the accented check first, the folded one never before "trú".
const OLD_ACCENTED = /(luật|quy định|văn bản|nghị định|chế độ|mô hình) cũ\b/u;
const OLD_FOLDED =
  /\b(luat|quy dinh|van ban|nghi dinh|che do|mo hinh) cu\b(?! tru)|\btruoc (day|kia)\b|\bhoi truoc\b|\btruoc khi (sap xep|sap nhap|sat nhap|bo cap huyen|co luat moi)\b|\b(da |bi )?het hieu luc\b|\bkhi con cap huyen\b/;

/** What the question says about an older rule, or undefined when it asks about the rules in force now. */
export function asksForOldRule(question: string, today: string = todayIso()): OldRuleRequest | undefined {
  const q = fold(question).replace(/\s+/g, ' ');
  const out: OldRuleRequest = {};
  const d = BEFORE_DATE.exec(q);
  const mo = BEFORE_MONTH.exec(q);
  const yr = BEFORE_YEAR.exec(q);
  const asOf = d
    ? d[1]
      ? dayBefore(+d[3], +d[2], +d[1])
      : dayBefore(+d[6], +d[5], +d[4])
    : mo
      ? dayBefore(+mo[2], +mo[1], 1)
      : yr
        ? dayBefore(+yr[1], 1, 1)
        : undefined;
  if (asOf && asOf < today) out.asOf = asOf;
  const named = NAMED_NUMBER.exec(q);
  if (named && !(named[1].length === 4 && !named[2] && +named[1] >= 1945)) {
    out.number = named[1];
    if (named[2]) out.year = +named[2];
  } else {
    const y = NAMED_YEAR.exec(q);
    if (y && +y[1] <= +today.slice(0, 4)) out.year = +y[1];
  }
  const generic = OLD_ACCENTED.test(lower(question)) || OLD_FOLDED.test(q);
  if (out.asOf || out.year !== undefined || out.number) return out;
  return generic ? {} : undefined;
}

/** True when the citation is the document the request names. */
function namedBy(c: Pick<Citation, 'docNumber' | 'issued'>, r: OldRuleRequest): boolean {
  const num = c.docNumber ?? '';
  if (r.number && !num.startsWith(`${r.number}/`)) return false;
  if (r.year !== undefined && !num.includes(`/${r.year}/`) && !c.issued?.startsWith(String(r.year))) return false;
  return Boolean(r.number || r.year !== undefined);
}

/**
 * Validity re-orders the first VALIDITY_POOL passages only (the passages an answer is composed from), so the top
 * results do not depend on how many the caller asked for; the rest keep their relevance order.
 */
export const VALIDITY_POOL = 6;

/**
 * Inside the pool, a passage that is not preferred goes below a preferred one only when the preferred one is about
 * as relevant: its relevance (how well it explains the question, 0..1; confidence.ts) is at least this share of
 * the other's. An in-force passage that only shares a word or two with the question stays below the repealed
 * article that answers it (whose answer then says it is no longer in force).
 */
const RELEVANCE_SHARE = 0.85;
/** Without a relevance measure, the RRF score is used, with a looser share (scores in the pool are compressed). */
const SCORE_SHARE = 0.75;

interface ValidityOptions {
  now?: Date;
  /** How well a passage explains the question, 0..1. */
  relevance?: (r: ScoredChunk) => number;
}

/** Non-preferred results sink below comparably relevant preferred ones; each group keeps its own order. */
function prefer<T extends ScoredChunk>(results: T[], preferred: (r: T) => boolean, relevance?: (r: T) => number): T[] {
  const head = results.slice(0, VALIDITY_POOL);
  const good = head.filter(preferred);
  const rest = head.filter((r) => !preferred(r));
  if (!good.length || !rest.length) return results;
  const rel = new Map<T, number>();
  const value = (r: T) => {
    if (!relevance) return r.score;
    let v = rel.get(r);
    if (v === undefined) rel.set(r, (v = relevance(r)));
    return v;
  };
  const share = relevance ? RELEVANCE_SHARE : SCORE_SHARE;
  const out: T[] = [];
  for (const r of rest) {
    // Preferred passages still waiting go first if they are about as relevant as this one.
    for (let i = 0; i < good.length; ) {
      if (value(good[i]) >= value(r) * share) out.push(...good.splice(i, 1));
      else i++;
    }
    out.push(r);
  }
  out.push(...good, ...results.slice(VALIDITY_POOL));
  // The score follows the final order, so a demoted passage never shows a higher score than the one above it.
  return out.map((r, i) => (i > 0 && r.score > out[i - 1].score ? (out[i] = { ...r, score: out[i - 1].score }) : r));
}

/**
 * Re-rank retrieved passages by validity: in force (on today, or on the date the question asks about) before
 * repealed or not yet in force; a document the question names goes first whatever its status; a question about
 * "the old rule" without a date keeps the relevance order (its answer is labelled, see answer/validity-note.ts).
 */
export function rankByValidity<T extends ScoredChunk>(results: T[], question: string, opts: ValidityOptions = {}): T[] {
  const today = todayIso(opts.now);
  const relevance = opts.relevance as ((r: T) => number) | undefined;
  const old = asksForOldRule(question, today);
  if (old && (old.number || old.year !== undefined) && results.some((r) => namedBy(r.citation, old))) {
    return prefer(results, (r) => namedBy(r.citation, old), relevance);
  }
  if (old && !old.asOf) return results;
  const date = old?.asOf ?? today;
  return prefer(results, (r) => inForceAt(r.citation, date, today), relevance);
}

/** "01/3/2025", "19/02/2025": Vietnamese administrative style pads the day, and the month only for 01 and 02. */
export function viDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${Number(m) < 3 ? m : Number(m)}/${y}`;
}

/** Short tag for a citation line when the document is not simply in force today. */
export function validityTag(c: Citation, today: string = todayIso()): string {
  switch (validityAt(c, today, today)) {
    case 'repealed':
      return c.expiredFrom ? `hết hiệu lực từ ${viDate(c.expiredFrom)}` : 'hết hiệu lực';
    case 'not-yet':
      return c.effectiveFrom ? `chưa có hiệu lực, áp dụng từ ${viDate(c.effectiveFrom)}` : 'chưa có hiệu lực';
    case 'amended':
      return 'đã được sửa đổi, bổ sung';
    default:
      return '';
  }
}
