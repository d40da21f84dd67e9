import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Answer, Answerer, Turn } from '../src/answer/types';
import type { LexicalIndex } from '../src/search/lexical';
import { buildLexicalIndex } from '../src/search/lexical-builder';
import type { Retriever } from '../src/search/retriever';
import { indexTextOf } from '../src/search/index-store';
import { lower, matchKey, tokenize } from '../src/text/normalize';

export interface EvalQuestion {
  id: string;
  category: string;
  question: string;
  /** Fragments a right passage/answer contains; [] = the bot must not answer from this corpus. */
  expect: string[];
  /** Earlier user turns of the same conversation, oldest first (asked through the answerer before `question`). */
  history?: string[];
}

export interface Metrics {
  n: number;
  in_scope: number;
  out_of_scope: number;
  'recall@1': number;
  'recall@5': number;
  'mrr@10': number;
  answer_hit_rate: number;
  /** Out-of-scope questions not answered (declined, or a clarifying question). */
  decline_rate: number;
  /** Out-of-scope questions answered anyway: 1 - decline_rate. */
  answered_out_of_scope_rate: number;
  false_decline_rate: number;
  /** In-scope questions answered (not declined) with no expected fragment in the answer: a confident wrong answer. */
  wrong_answer_rate: number;
}

type BaseMetrics = Pick<Metrics, 'recall@1' | 'recall@5' | 'mrr@10'>;

export interface EvalReport {
  overall: Metrics & {
    search_p50_ms: number;
    search_p95_ms: number;
    answer_p50_ms: number;
    answer_p95_ms: number;
    answer_chars_p50: number;
  };
  categories: Record<string, Metrics>;
  baseline: BaseMetrics & { categories: Record<string, BaseMetrics> };
  misses: {
    id: string;
    category: string;
    question: string;
    rank: number | null;
    answered: boolean;
    mode: string;
    wrong: boolean;
  }[];
}

export function readQuestions(file: string): EvalQuestion[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l, i) => ({ l: l.trim(), i }))
    .filter(({ l }) => l && !l.startsWith('//'))
    .map(({ l, i }) => {
      let q: EvalQuestion;
      try {
        q = JSON.parse(l) as EvalQuestion;
      } catch {
        throw new Error(`${file}:${i + 1}: not valid JSON`);
      }
      if (!q.id || !q.category || typeof q.question !== 'string' || !Array.isArray(q.expect)) {
        throw new Error(`${file}:${i + 1}: needs id, category, question and expect[]`);
      }
      if (q.history !== undefined && (!Array.isArray(q.history) || q.history.some((h) => typeof h !== 'string'))) {
        throw new Error(`${file}:${i + 1}: history must be a list of earlier questions`);
      }
      return q;
    });
}

/** Rank (1-based) of the first text containing an expected fragment, compared folded and whitespace-collapsed. */
export function hitRank(texts: string[], expect: string[]): number | null {
  const keys = expect.map(matchKey);
  const i = texts.findIndex((t) => {
    const k = matchKey(t);
    return keys.some((e) => k.includes(e));
  });
  return i < 0 ? null : i + 1;
}

/** An answer that states facts from the corpus (not a decline, a clarifying question or small talk). */
export function isAnswer(a: Pick<Answer, 'mode'>): boolean {
  return a.mode === 'llm' || a.mode === 'extractive';
}

function pct(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 100) / 100;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

interface Acc {
  n: number;
  inScope: number;
  r1: number;
  r5: number;
  mrr: number;
  hits: number;
  oos: number;
  declinedOos: number;
  falseDeclines: number;
  wrong: number;
}

const empty = (): Acc => ({
  n: 0,
  inScope: 0,
  r1: 0,
  r5: 0,
  mrr: 0,
  hits: 0,
  oos: 0,
  declinedOos: 0,
  falseDeclines: 0,
  wrong: 0,
});

function metrics(a: Acc): Metrics {
  const d = Math.max(1, a.inScope);
  const decline = a.oos ? r3(a.declinedOos / a.oos) : 0;
  return {
    n: a.n,
    in_scope: a.inScope,
    out_of_scope: a.oos,
    'recall@1': r3(a.r1 / d),
    'recall@5': r3(a.r5 / d),
    'mrr@10': r3(a.mrr / d),
    answer_hit_rate: r3(a.hits / d),
    decline_rate: decline,
    answered_out_of_scope_rate: a.oos ? r3(1 - decline) : 0,
    false_decline_rate: r3(a.falseDeclines / d),
    wrong_answer_rate: r3(a.wrong / d),
  };
}

/** Plain BM25 over the same chunks: lower-cased syllables, no folding, no synonyms, no vectors. */
function baselineIndex(retriever: Retriever): LexicalIndex {
  return buildLexicalIndex(
    retriever.index.chunks.map((c) => {
      const tf = new Map<string, number>();
      for (const t of tokenize(indexTextOf(c))) tf.set(t, (tf.get(t) ?? 0) + 1);
      return tf;
    }),
  );
}

/** Ask the earlier turns of a conversation first, as a user would, so that a follow-up sees the bot's real topic. */
async function conversation(answerer: Answerer, history: string[]): Promise<Turn[]> {
  const turns: Turn[] = [];
  for (const h of history) {
    const a = await answerer.answer(h, { history: turns });
    turns.push({ question: h, answer: a.text, topic: a.topic });
  }
  return turns;
}

export async function runEvaluation(
  questions: EvalQuestion[],
  retriever: Retriever,
  answerer: Answerer,
): Promise<EvalReport> {
  const base = baselineIndex(retriever);
  const all = empty();
  const cats = new Map<string, Acc>();
  const baseAll = empty();
  const baseCats = new Map<string, Acc>();
  const searchMs: number[] = [];
  const answerMs: number[] = [];
  const answerChars: number[] = [];
  const misses: EvalReport['misses'] = [];

  for (const q of questions) {
    const inScope = q.expect.length > 0;
    const history = q.history?.length ? await conversation(answerer, q.history) : [];
    let t = performance.now();
    const ans = await answerer.answer(q.question, { history });
    answerMs.push(performance.now() - t);
    // A follow-up is searched the way the answerer resolved it ("nộp ở đâu" + the topic).
    t = performance.now();
    const res = await retriever.search(history.length ? (ans.resolvedQuestion ?? q.question) : q.question, { k: 10 });
    searchMs.push(performance.now() - t);
    const answered = isAnswer(ans);
    if (answered) answerChars.push(ans.text.length);

    const accs = [all, cats.get(q.category) ?? cats.set(q.category, empty()).get(q.category)!];
    const baccs = [baseAll, baseCats.get(q.category) ?? baseCats.set(q.category, empty()).get(q.category)!];
    for (const a of accs) a.n++;
    if (!inScope) {
      for (const a of accs) {
        a.oos++;
        if (!answered) a.declinedOos++;
      }
      if (answered)
        misses.push({
          id: q.id,
          category: q.category,
          question: q.question,
          rank: null,
          answered: true,
          mode: ans.mode,
          wrong: true,
        });
      continue;
    }
    const rank = hitRank(
      res.results.map((r) => r.text),
      q.expect,
    );
    const hit = answered && hitRank([ans.text], q.expect) !== null;
    for (const a of accs) {
      a.inScope++;
      if (rank === 1) a.r1++;
      if (rank !== null && rank <= 5) a.r5++;
      if (rank !== null) a.mrr += 1 / rank;
      if (hit) a.hits++;
      if (!answered) a.falseDeclines++;
      if (answered && !hit) a.wrong++;
    }
    if (rank === null || rank > 5 || !hit)
      misses.push({
        id: q.id,
        category: q.category,
        question: q.question,
        rank,
        answered: hit,
        mode: ans.mode,
        wrong: answered && !hit,
      });

    const bHits = base.search(
      tokenize(lower(q.question)).map((term) => ({ term, weight: 1 })),
      10,
    );
    const bRank = hitRank(
      bHits.map((h) => retriever.index.chunks[h.doc].text),
      q.expect,
    );
    for (const a of baccs) {
      a.inScope++;
      if (bRank === 1) a.r1++;
      if (bRank !== null && bRank <= 5) a.r5++;
      if (bRank !== null) a.mrr += 1 / bRank;
    }
  }
  searchMs.sort((a, b) => a - b);
  answerMs.sort((a, b) => a - b);
  answerChars.sort((a, b) => a - b);
  const pick = (m: Metrics): BaseMetrics => ({
    'recall@1': m['recall@1'],
    'recall@5': m['recall@5'],
    'mrr@10': m['mrr@10'],
  });
  return {
    overall: {
      ...metrics(all),
      search_p50_ms: pct(searchMs, 50),
      search_p95_ms: pct(searchMs, 95),
      answer_p50_ms: pct(answerMs, 50),
      answer_p95_ms: pct(answerMs, 95),
      answer_chars_p50: pct(answerChars, 50),
    },
    categories: Object.fromEntries([...cats].sort().map(([k, a]) => [k, metrics(a)])),
    baseline: {
      ...pick(metrics(baseAll)),
      categories: Object.fromEntries([...baseCats].sort().map(([k, a]) => [k, pick(metrics(a))])),
    },
    misses,
  };
}

/** Markdown table: one row per category and the overall line. */
export function formatTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((x) => x[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** The human-readable table. */
export function formatReport(r: EvalReport): string {
  const head = [
    'category',
    'n',
    'R@1',
    'R@5',
    'MRR@10',
    'answer hit',
    'wrong',
    'false decl.',
    'declined (oos)',
    'BM25 R@1',
    'BM25 R@5',
    'BM25 MRR',
  ];
  const row = (name: string, m: Metrics, b?: BaseMetrics) => {
    const inScope = m.in_scope > 0;
    const oos = m.out_of_scope > 0;
    const f = (x: number) => x.toFixed(2);
    return [
      name,
      String(m.n),
      inScope ? f(m['recall@1']) : '–',
      inScope ? f(m['recall@5']) : '–',
      inScope ? f(m['mrr@10']) : '–',
      inScope ? f(m.answer_hit_rate) : '–',
      inScope ? f(m.wrong_answer_rate) : '–',
      inScope ? f(m.false_decline_rate) : '–',
      oos ? f(m.decline_rate) : '–',
      b && inScope ? f(b['recall@1']) : '–',
      b && inScope ? f(b['recall@5']) : '–',
      b && inScope ? f(b['mrr@10']) : '–',
    ];
  };
  const rows = [
    ...Object.entries(r.categories).map(([k, m]) => row(k, m, r.baseline.categories[k])),
    row('overall', r.overall, r.baseline),
  ];
  const o = r.overall;
  return [
    formatTable(head, rows),
    '',
    `Latency: search p50 ${o.search_p50_ms} ms, p95 ${o.search_p95_ms} ms; full answer p50 ${o.answer_p50_ms} ms, p95 ${o.answer_p95_ms} ms. Median answer ${o.answer_chars_p50} characters.`,
  ].join('\n');
}
