// scripts/eval-lib.ts on the answer fixture corpus (real retriever and answerer, offline): conversation history,
// the wrong-answer and answered-out-of-scope rates, and the question-file checks for `history`.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readQuestions, runEvaluation, type EvalQuestion, type EvalReport } from '../../scripts/eval-lib';
import type { AnswerOptions, Answerer, Turn } from '../../src/answer/types';
import { cleanupTmp, openFixture, tmpDir, type Fixture } from '../answer/helpers';

let f: Fixture;
beforeAll(async () => {
  f = await openFixture();
}, 120_000);
afterAll(() => cleanupTmp());

/** The real answerer, with every call's question and history recorded. */
function recording(real: Answerer): { answerer: Answerer; calls: { question: string; history: Turn[] }[] } {
  const calls: { question: string; history: Turn[] }[] = [];
  return {
    calls,
    answerer: {
      answer(question: string, opts?: AnswerOptions) {
        calls.push({ question, history: [...(opts?.history ?? [])] });
        return real.answer(question, opts);
      },
    },
  };
}

describe('readQuestions: history', () => {
  const write = (lines: unknown[]) => {
    const file = path.join(tmpDir('eval-q-'), 'q.jsonl');
    writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'));
    return file;
  };

  it('keeps a list of earlier questions, oldest first', () => {
    const file = write([
      '// a comment line',
      { id: 'f1', category: 'followup', question: 'lệ phí bao nhiêu', expect: ['15.000'], history: ['đăng ký tạm trú cần gì', 'nộp ở đâu'] },
      { id: 'p1', category: 'procedure', question: 'đăng ký khai sinh', expect: ['giấy chứng sinh'] },
    ]);
    const qs = readQuestions(file);
    expect(qs.map((q) => q.id)).toEqual(['f1', 'p1']);
    expect(qs[0].history).toEqual(['đăng ký tạm trú cần gì', 'nộp ở đâu']);
    expect(qs[1].history).toBeUndefined();
  });

  it.each([
    ['a string', 'đăng ký tạm trú cần gì'],
    ['a list with a number', ['đăng ký tạm trú cần gì', 3]],
    ['an object', { question: 'đăng ký tạm trú cần gì' }],
  ])('rejects history given as %s, with the file and line', (_, history) => {
    const file = write([{ id: 'ok', category: 'procedure', question: 'q', expect: [] }, { id: 'bad', category: 'followup', question: 'q', expect: [], history }]);
    expect(() => readQuestions(file)).toThrow(new RegExp(`q\\.jsonl:2: history must be a list`));
  });
});

describe('runEvaluation', () => {
  const QUESTIONS: EvalQuestion[] = [
    // In scope, answered with the expected fact.
    { id: 'hit', category: 'procedure', question: 'đăng ký khai sinh cần giấy tờ gì', expect: ['giấy chứng sinh'] },
    // In scope, answered, but the answer holds none of the expected fragments: a confident wrong answer.
    { id: 'wrong', category: 'procedure', question: 'thủ tục đăng ký kết hôn cần gì', expect: ['giấy chứng sinh'] },
    // Out of scope, declined.
    { id: 'oos-declined', category: 'out_of_scope', question: 'giá vàng hôm nay bao nhiêu', expect: [] },
    // Out of scope for this set, yet answered.
    { id: 'oos-answered', category: 'out_of_scope', question: 'đăng ký tạm trú cần giấy tờ gì', expect: [] },
    // A follow-up: only answerable after its earlier turn.
    { id: 'followup', category: 'followup', question: 'lệ phí bao nhiêu', expect: ['15.000 đồng'], history: ['đăng ký tạm trú cần giấy tờ gì'] },
    // The same question without its history: a clarifying question, which is a false decline here.
    { id: 'no-history', category: 'nohistory', question: 'lệ phí bao nhiêu', expect: ['15.000 đồng'] },
  ];
  let report: EvalReport;
  let calls: { question: string; history: Turn[] }[];

  beforeAll(async () => {
    const rec = recording(f.answerer());
    report = await runEvaluation(QUESTIONS, f.retriever, rec.answerer);
    calls = rec.calls;
  }, 120_000);

  it('asks a follow-up\'s earlier turns through the answerer first, then the follow-up with them as history', () => {
    const i = calls.findIndex((c) => c.question === 'lệ phí bao nhiêu' && c.history.length > 0);
    expect(i).toBeGreaterThan(0);
    // The earlier turn was asked just before, as a fresh conversation.
    expect(calls[i - 1]).toEqual({ question: 'đăng ký tạm trú cần giấy tờ gì', history: [] });
    const [turn] = calls[i].history;
    expect(calls[i].history).toHaveLength(1);
    expect(turn.question).toBe('đăng ký tạm trú cần giấy tờ gì');
    // The turn carries the bot's real reply and topic, not a placeholder.
    expect(turn.topic?.docId).toBe('dang-ky-tam-tru');
    expect(turn.answer).toContain('tạm trú');
    // Questions without history are asked with none.
    expect(calls.filter((c) => c.question === 'lệ phí bao nhiêu' && c.history.length === 0)).toHaveLength(1);
    expect(calls).toHaveLength(QUESTIONS.length + 1);
  });

  it('scores the follow-up on the answer it got in its conversation', () => {
    expect(report.categories.followup).toMatchObject({ n: 1, in_scope: 1, answer_hit_rate: 1, wrong_answer_rate: 0, false_decline_rate: 0, 'recall@5': 1 });
    expect(report.categories.nohistory).toMatchObject({ n: 1, answer_hit_rate: 0, false_decline_rate: 1, wrong_answer_rate: 0 });
  });

  it('wrong_answer_rate counts answered in-scope questions without an expected fragment; declines are not wrong', () => {
    expect(report.categories.procedure).toMatchObject({ n: 2, in_scope: 2, answer_hit_rate: 0.5, wrong_answer_rate: 0.5, false_decline_rate: 0 });
    // Overall: 4 in scope; "wrong" is the only wrong one, "no-history" a false decline.
    expect(report.overall).toMatchObject({ n: 6, in_scope: 4, out_of_scope: 2, answer_hit_rate: 0.5, wrong_answer_rate: 0.25, false_decline_rate: 0.25 });
  });

  it('answered_out_of_scope_rate is the share of out-of-scope questions answered anyway', () => {
    expect(report.categories.out_of_scope).toMatchObject({ n: 2, in_scope: 0, out_of_scope: 2, decline_rate: 0.5, answered_out_of_scope_rate: 0.5 });
    expect(report.overall.answered_out_of_scope_rate).toBe(0.5);
    expect(report.overall.decline_rate + report.overall.answered_out_of_scope_rate).toBe(1);
    // A set without out-of-scope questions reports 0, not NaN.
    expect(report.categories.procedure.answered_out_of_scope_rate).toBe(0);
  });

  it('lists the misses: the wrong answer and the answered out-of-scope question flagged wrong, the decline not', () => {
    const byId = new Map(report.misses.map((m) => [m.id, m]));
    expect(byId.get('wrong')).toMatchObject({ wrong: true, mode: 'extractive' });
    expect(byId.get('oos-answered')).toMatchObject({ wrong: true, mode: 'extractive' });
    expect(byId.get('no-history')).toMatchObject({ wrong: false, mode: 'clarify' });
    expect(byId.has('hit')).toBe(false);
    expect(byId.has('followup')).toBe(false);
    expect(byId.has('oos-declined')).toBe(false);
  });

  it('measures latency and the median answer length of answered questions', () => {
    expect(report.overall.answer_chars_p50).toBeGreaterThan(50);
    expect(report.overall.search_p95_ms).toBeGreaterThanOrEqual(report.overall.search_p50_ms);
  });
});
