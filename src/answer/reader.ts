import { asksNumber, cutAtWord, documentTerms, isYesNo, queryTerms, topicView } from '../text';

/**
 * The clause-level reader of the extractive answer: a legal passage is an article (or part of one) of several
 * khoản and điểm; the answer quotes the ones that answer the question, not the article's first lines. A question
 * that asks for a figure (bao nhiêu, mấy ngày, tối đa, tuổi) prefers the clause with that figure.
 */

/** One quotable piece of a passage: a khoản, a điểm, a bullet, or a sentence of a long paragraph. */
interface Unit {
  text: string;
  /** The line a điểm or bullet depends on ("1. Hồ sơ gồm:"). */
  lead?: string;
  /** "khoản 2", "khoản 2 điểm a". */
  label?: string;
  index: number;
}

const CLAUSE = /^(\d{1,3})\.\s+\S/;
const POINT = /^([a-zđ])\)\s+\S/u;
const BULLET = /^([-•*+]|\d+\))\s+/;
const SENTENCE_SPLIT = /(?<=[.;!?])\s+(?=\p{Lu}|\d)/u;
const LONG_UNIT = 420;
/** Characters of one item when a lead-in's list is quoted (fewer, down to MIN_ITEM_CHARS, for long lists). */
const ITEM_CHARS = 150;
const MIN_ITEM_CHARS = 60;
const MAX_ITEMS = 8;
/** A lead-in line of a list is cut at this length. */
const LEAD_CHARS = 200;

export function units(body: string): Unit[] {
  const out: Unit[] = [];
  let clause: { no: string; line: string } | undefined;
  let lastPlain: string | undefined;
  for (const raw of body.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const c = CLAUSE.exec(line);
    const p = POINT.exec(line);
    let lead: string | undefined;
    let label: string | undefined;
    if (c) {
      clause = { no: c[1], line };
      label = `khoản ${c[1]}`;
      lastPlain = line;
    } else if (p) {
      lead = clause?.line;
      label = clause ? `khoản ${clause.no} điểm ${p[1]}` : `điểm ${p[1]}`;
    } else if (BULLET.test(line)) {
      lead = lastPlain?.endsWith(':') ? lastPlain : undefined;
      label = clause ? `khoản ${clause.no}` : undefined;
    } else {
      lastPlain = line;
      label = clause ? `khoản ${clause.no}` : undefined;
    }
    const pieces = line.length > LONG_UNIT ? sentences(line) : [line];
    for (const text of pieces)
      out.push({
        text,
        lead: pieces.length > 1 && text !== pieces[0] ? (lead ?? pieces[0]) : lead,
        label,
        index: out.length,
      });
  }
  return out;
}

/** Sentences of a long line; a piece too short to stand alone ("1.", "a)") stays with the next one. */
function sentences(line: string): string[] {
  const out: string[] = [];
  for (const piece of line.split(SENTENCE_SPLIT)) {
    if (out.length && out[out.length - 1].length < 24) out[out.length - 1] += ` ${piece}`;
    else out.push(piece);
  }
  return out;
}

// A figure with its unit, or a date. (?![\p{L}\p{N}]) and not \b: \b only works after ASCII letters ("giờ", "m²").
const FIGURE =
  /\d{1,2}\/\d{1,2}\/\d{4}|\d[\d.,]*\s*(%|phần trăm|ngày|tháng|năm|giờ|tiếng|phút|tuần|lần|tuổi|đồng|triệu|tỷ|m2|m²|mét|ha|héc-ta|người|bản|trang)(?![\p{L}\p{N}])/iu;

/** Does a unit state a figure? Its own khoản number ("1. Người lao động…") is not one. */
function hasFigure(text: string): boolean {
  return FIGURE.test(text.replace(/^\d{1,3}\.\s+/, ''));
}

export interface ReadOptions {
  /** Inverse document frequency of an index term (rarer words weigh more). */
  idf: (term: string) => number;
  /** Characters of quoted text, about. */
  budget: number;
  /** A clause the question names ("khoản 2"): quote it whatever the words. */
  clause?: number;
  /** Words of the document's title and headings: every unit shares them, so they select nothing. */
  context?: string;
  /**
   * The passage's own heading ("Điều 131. Nguyên tắc đăng ký đất đai…"). A question whose subject is all in it asks
   * for the article as a whole: it is quoted from its start.
   */
  heading?: string;
}

export interface Reading {
  text: string;
  /** The khoản/điểm quoted, when all quoted units belong to one. */
  label?: string;
}

/** The units of `body` that answer `question`, in document order, with the lead line of a quoted điểm. */
export function readPassage(question: string, body: string, opts: ReadOptions): Reading {
  const us = units(body);
  if (!us.length) return { text: '' };
  if (opts.heading && opts.clause === undefined && asksForWhole(question, opts.heading))
    return fromStart(us, opts.budget);
  const wantsFigure = asksNumber(question);
  const scored = scoreUnits(question, us, opts);
  const top = Math.max(...scored.map((x) => x.s));
  for (const x of scored) {
    // A unit without a figure cannot answer "bao nhiêu / bao lâu / tối đa": one that has one and matches fairly wins.
    if (wantsFigure && hasFigure(x.u.text) && x.s >= 0.3 * top) x.s += 0.6 * top;
    if (opts.clause !== undefined && x.u.label?.startsWith(`khoản ${opts.clause}`)) x.s += 2 * top + 1;
  }
  const ranked = [...scored].sort((a, b) => b.s - a.s || a.u.index - b.u.index);
  const best = ranked[0];
  const chosen = new Set<number>([best.u.index]);
  let len = best.u.text.length + (best.u.lead?.length ?? 0);
  // A lead-in ("Hồ sơ gồm:", "… trong các trường hợp sau đây:") is nothing without the items it introduces.
  const listed = best.u.text.endsWith(':');
  // Characters of each item: the list is the answer, so every item shows its start (up to MAX_ITEMS of them),
  // shorter when there are many, rather than the first items whole and the rest not at all.
  let itemChars = ITEM_CHARS;
  let moreItems = false;
  if (listed) {
    const items: Unit[] = [];
    for (const u of us.slice(best.u.index + 1)) {
      // A khoản's list is its điểm and bullets; a paragraph's list may also be khoản ("… như sau:" then "1.", "2.").
      const item = BULLET.test(u.text) || POINT.test(u.text) || (!CLAUSE.test(best.u.text) && CLAUSE.test(u.text));
      if (u.lead !== best.u.text && !item) break;
      items.push(u);
    }
    const room = opts.budget - Math.min(len, LEAD_CHARS);
    const shown = items.slice(0, Math.max(1, Math.min(MAX_ITEMS, Math.floor(room / MIN_ITEM_CHARS))));
    itemChars = Math.max(MIN_ITEM_CHARS, Math.min(ITEM_CHARS, Math.floor(room / Math.max(1, shown.length))));
    moreItems = items.length > shown.length;
    for (const u of shown) {
      chosen.add(u.index);
      len += Math.min(u.text.length, itemChars);
    }
  }
  // A yes/no question or a list question often needs the neighbouring điểm too; add close runners-up that fit.
  const extra = isYesNo(question) ? 2 : 1;
  for (const x of ranked.slice(1)) {
    if (chosen.size > extra || x.s < 0.6 * best.s || x.s <= 0) break;
    if (len + x.u.text.length > opts.budget) continue;
    chosen.add(x.u.index);
    len += x.u.text.length;
  }
  const picked = us.filter((u) => chosen.has(u.index));
  const lines: string[] = [];
  let prev = -2;
  const leads = new Set<string>();
  for (const u of picked) {
    if (u.lead && !leads.has(u.lead) && !picked.some((x) => x.text === u.lead)) {
      leads.add(u.lead);
      lines.push(clip(u.lead, LEAD_CHARS));
    } else if (prev >= 0 && u.index !== prev + 1) lines.push('…');
    // The items of a list are clipped shorter, so that more of them fit.
    lines.push(clip(u.text, listed && u.index !== best.u.index ? itemChars : listed ? LEAD_CHARS : opts.budget));
    prev = u.index;
  }
  if (moreItems) lines.push('…');
  // Several điểm of one khoản are cited as that khoản.
  const labels = new Set(picked.map((u) => u.label).filter(Boolean));
  const clauses = new Set([...labels].map((l) => /^khoản \d+/.exec(l!)?.[0]));
  const label = labels.size === 1 ? [...labels][0] : clauses.size === 1 ? [...clauses][0] : undefined;
  return { text: lines.join('\n'), label };
}

/** How well each unit matches the question: IDF-weighted question terms in it (or, less, in its lead line). */
function scoreUnits(
  question: string,
  us: Unit[],
  opts: Pick<ReadOptions, 'idf' | 'context'>,
): { u: Unit; s: number }[] {
  const shared = opts.context ? documentTerms(opts.context) : undefined;
  // The question's subject words select units; its generic words ("làm ở đâu", "bao nhiêu") and the words every
  // unit shares (the document's title) barely do.
  const view = topicView(question);
  const subject = new Set(view.topic.filter((i) => !view.weak.has(i)).map((i) => view.tokens[i]));
  const isSubject = (term: string) => term.split('_').some((w) => subject.has(w));
  const q = queryTerms(question).map((t) => ({
    ...t,
    weight: t.weight * (shared?.has(t.term) ? 0.3 : 1) * (isSubject(t.term.replace(/^=/, '')) ? 1 : 0.3),
  }));
  return us.map((u) => {
    const own = documentTerms(u.text);
    const lead = u.lead ? documentTerms(u.lead) : undefined;
    let s = 0;
    for (const { term, weight } of q) {
      const w = weight * Math.max(0.2, opts.idf(term));
      if (own.has(term)) s += w;
      else if (lead?.has(term)) s += 0.3 * w;
    }
    return { u, s };
  });
}

/**
 * The match of the passage's best unit (khoản, điểm, sentence): the same question's scores are comparable across
 * passages, so two articles can be told apart by their best clause rather than by their whole length.
 */
export function bestUnitScore(question: string, body: string, opts: Pick<ReadOptions, 'idf' | 'context'>): number {
  const us = units(body);
  return us.length ? Math.max(...scoreUnits(question, us, opts).map((x) => x.s)) : 0;
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${cutAtWord(s, max - 1)}…`;
}

/** Every subject word of the question is in the heading: "nguyên tắc đăng ký đất đai là gì" of Điều 131. */
export function asksForWhole(question: string, heading: string): boolean {
  const view = topicView(question);
  if (!view.topic.length) return false;
  const own = documentTerms(heading);
  return view.topic.every((i) => view.weak.has(i) || own.has(view.tokens[i]));
}

/** The first units in order, as many as fit (at least one). */
function fromStart(us: Unit[], budget: number): Reading {
  const lines: string[] = [];
  let len = 0;
  for (const u of us) {
    if (lines.length && len + u.text.length > budget) break;
    lines.push(clip(u.text, budget));
    len += u.text.length;
  }
  if (lines.length < us.length) lines.push('…');
  return { text: lines.join('\n') };
}
