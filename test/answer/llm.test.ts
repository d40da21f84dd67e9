/**
 * LLM mode against the fake OpenAI-compatible server: what the request carries, how [n] markers become
 * citations, streaming, English, and follow-up condensing.
 */
import { describe, expect, it } from 'vitest';
import { distinctCitations } from '../../src/domain/cite';
import { REWRITE_PROMPT as CONDENSE_PROMPT, SYSTEM_PROMPT } from '../../src/answer/prompt';
import type { Citation } from '../../src/domain/corpus';
import type { ChatBody, FakeOpenAI, FakeRequest } from '../fakes/openai-server';
import {
  llmEnv,
  questionBlock,
  sentPassages,
  sourcesOf,
  type Fixture,
  type SentPassage,
  useFixtureWithFakeOpenAI,
} from './helpers';

let f: Fixture;
let fake: FakeOpenAI;

useFixtureWithFakeOpenAI((fixture, server) => ([f, fake] = [fixture, server]));

const isAnswerCall = (b: ChatBody) => b.messages[0]?.content === SYSTEM_PROMPT;
const isCondenseCall = (b: ChatBody) => b.messages[0]?.content === CONDENSE_PROMPT;
const answerRequests = (): FakeRequest[] => fake.chatRequests().filter((r) => isAnswerCall(r.body));
const lastUser = (b: ChatBody): string => b.messages.at(-1)!.content;

/** The citation of the indexed chunk a sent passage was made from (passages are real chunks, not copies). */
function citationOf(p: SentPassage): Citation {
  const c = f.retriever.index.chunks.find((x) => x.text.replace(/"""/g, '"') === p.text);
  expect(c, `passage [${p.n}] is an indexed chunk`).toBeDefined();
  return c!.citation;
}

describe('LLM request', () => {
  it('sends the rules as the only system message, the passages numbered inside <tai_lieu>, a low temperature and max_tokens', async () => {
    const a = f.answerer(llmEnv(fake.baseURL, { LLM_MAX_TOKENS: '321' }));
    const ans = await a.answer('lam giay khai sinh can gi');
    expect(ans.mode).toBe('llm');

    expect(fake.chatRequests()).toHaveLength(1);
    const body = fake.chatRequests()[0].body as ChatBody;
    expect(body.model).toBe('fake-chat');
    expect(body.temperature).toBeGreaterThanOrEqual(0);
    expect(body.temperature).toBeLessThanOrEqual(0.3);
    expect(body.max_tokens).toBe(321);
    expect(body.stream).toBeFalsy();
    expect(body.messages[0]).toEqual({ role: 'system', content: SYSTEM_PROMPT });
    expect(body.messages.filter((m) => m.role === 'system')).toHaveLength(1);

    const user = body.messages.at(-1)!;
    expect(user.role).toBe('user');
    const passages = sentPassages(user.content);
    expect(passages.length).toBeGreaterThanOrEqual(2);
    expect(passages.length).toBeLessThanOrEqual(5);
    expect(passages.map((p) => p.n)).toEqual(passages.map((_, i) => i + 1));
    // Each passage is a real chunk with its citation line; the top one is the khai sinh dossier.
    for (const p of passages) expect(p.source).toContain(citationOf(p).title);
    const top = citationOf(passages[0]);
    expect(top.docId).toBe('dang-ky-khai-sinh');
    expect(
      passages.some((p) => citationOf(p).docId === 'dang-ky-khai-sinh' && citationOf(p).section === 'Thành phần hồ sơ'),
    ).toBe(true);
    // Data first, then the question, then the instruction; nothing of the passages outside the fence.
    const c = user.content;
    expect(c.startsWith('<tai_lieu>\n')).toBe(true);
    expect(c.indexOf('</tai_lieu>')).toBeLessThan(c.indexOf('<cau_hoi>'));
    expect(questionBlock(c)).toBe('lam giay khai sinh can gi');
    expect(c).toContain('Trả lời bằng tiếng Việt');
    expect(c).not.toContain('Answer in English');
  });

  it('maps [1] and [2] in the reply to those passages: Answer.citations, topic and the "Nguồn:" lines', async () => {
    fake.onChat(() => 'Hồ sơ gồm tờ khai và giấy chứng sinh [1]. Nộp tại Trung tâm Phục vụ hành chính công [2].');
    const ans = await f.answerer(llmEnv(fake.baseURL)).answer('đăng ký khai sinh cần giấy tờ gì và nộp ở đâu');
    expect(ans.mode).toBe('llm');
    const passages = sentPassages(lastUser(answerRequests()[0].body));
    const [p1, p2] = passages;
    expect(ans.citations).toEqual(distinctCitations([citationOf(p1), citationOf(p2)]));
    expect(ans.topic).toEqual({ docId: citationOf(p1).docId, title: citationOf(p1).title });
    expect(ans.text).toContain('[1]');
    expect(ans.text).toContain('[2]');
    const sources = sourcesOf(ans.text);
    expect(sources).toContain(`[1] ${p1.source}`);
    expect(sources).toContain(`[2] ${p2.source}`);
    for (const p of passages.slice(2)) expect(sources).not.toContain(`[${p.n}] `);
    expect(ans.confidence).toBeGreaterThan(0);
  });

  it('drops markers beyond the passage count (and [0]) from the text and the citations', async () => {
    let count = 0;
    fake.onChat((body) => {
      count = sentPassages(lastUser(body)).length;
      return `Miễn lệ phí khi đúng hạn [1]. Quá hạn nộp theo mức của tỉnh [${count + 1}][0]. Xem thêm [42].`;
    });
    const ans = await f.answerer(llmEnv(fake.baseURL)).answer('lệ phí đăng ký khai sinh');
    expect(ans.mode).toBe('llm');
    expect(count).toBeGreaterThan(0);
    expect(ans.text).toContain('Miễn lệ phí khi đúng hạn [1].');
    expect(ans.text).not.toContain(`[${count + 1}]`);
    expect(ans.text).not.toContain('[0]');
    expect(ans.text).not.toContain('[42]');
    expect(ans.citations).toHaveLength(1);
    expect(sourcesOf(ans.text).match(/^\[\d+\] /gm)).toEqual(['[1] ']);
  });

  it('streams: onToken receives the deltas and the final text is their concatenation plus the sources', async () => {
    const chunks = ['Miễn lệ phí ', 'khi khai sinh đúng hạn [', '1', ']. Quá hạn thì nộp ', 'theo mức của tỉnh [2].'];
    fake.onChat(() => ({ content: chunks.join(''), chunks }));
    const deltas: string[] = [];
    const ans = await f
      .answerer(llmEnv(fake.baseURL))
      .answer('lệ phí đăng ký khai sinh bao nhiêu', { onToken: (d) => deltas.push(d) });
    const req = answerRequests()[0];
    expect(req.body.stream).toBe(true);
    // Deltas are held back until the reply is grounded ([n] seen), then flushed: same text, fewer pieces.
    expect(deltas.join('')).toBe(chunks.join(''));
    expect(deltas.length).toBeGreaterThan(1);
    expect(ans.mode).toBe('llm');
    const joined = deltas.join('');
    expect(ans.text.startsWith(joined)).toBe(true);
    const [p1, p2] = sentPassages(lastUser(req.body));
    expect(ans.text.slice(joined.length)).toBe(`\n\nNguồn:\n[1] ${p1.source}\n[2] ${p2.source}`);
    expect(ans.citations).toEqual(distinctCitations([citationOf(p1), citationOf(p2)]));
  });

  it('asks for an English answer when the question is in English', async () => {
    const ans = await f.answerer(llmEnv(fake.baseURL)).answer('is there a fee for marriage registration');
    expect(ans.mode).toBe('llm');
    const user = lastUser(answerRequests()[0].body);
    expect(user).toContain('Answer in English');
    expect(user).not.toContain('Trả lời bằng tiếng Việt');
    expect(questionBlock(user)).toBe('is there a fee for marriage registration');
    expect(sentPassages(user).some((p) => citationOf(p).docId === 'dang-ky-ket-hon')).toBe(true);
  });
});

describe('LLM follow-ups', () => {
  async function khaiSinhHistory() {
    const first = await f.answerer().answer('lam giay khai sinh can gi');
    expect(first.topic?.docId).toBe('dang-ky-khai-sinh');
    return [{ question: 'lam giay khai sinh can gi', answer: first.text, topic: first.topic }];
  }

  it("condenses the follow-up with the CONDENSE prompt and retrieves with the model's rewrite", async () => {
    const history = await khaiSinhHistory();
    const condensed = 'Lệ phí đăng ký khai sinh là bao nhiêu?';
    fake.onChat((body) => (isCondenseCall(body) ? condensed : 'Miễn lệ phí khi khai sinh đúng hạn [1].'));
    const ans = await f.answerer(llmEnv(fake.baseURL)).answer('còn lệ phí thì sao?', { history });

    const reqs = fake.chatRequests();
    expect(reqs).toHaveLength(2);
    const [condense, answer] = reqs.map((r) => r.body as ChatBody);
    expect(isCondenseCall(condense)).toBe(true);
    expect(condense.messages).toHaveLength(2);
    expect(condense.temperature).toBe(0);
    expect(lastUser(condense)).toContain('lam giay khai sinh can gi');
    expect(lastUser(condense)).toContain('còn lệ phí thì sao?');

    expect(isAnswerCall(answer)).toBe(true);
    expect(ans.resolvedQuestion).toBe(condensed);
    expect(ans.mode).toBe('llm');
    const passages = sentPassages(lastUser(answer));
    expect(citationOf(passages[0]).docId).toBe('dang-ky-khai-sinh');
    expect(
      passages.some((p) => citationOf(p).docId === 'dang-ky-khai-sinh' && citationOf(p).section === 'Lệ phí'),
    ).toBe(true);
    // The user's own words stay the question; the previous turn is passed as conversation.
    expect(questionBlock(lastUser(answer))).toBe('còn lệ phí thì sao?');
    expect(answer.messages.slice(1, 3)).toEqual([
      { role: 'user', content: 'lam giay khai sinh can gi' },
      { role: 'assistant', content: history[0].answer.slice(0, 500) },
    ]);
    expect(ans.citations[0].docId).toBe('dang-ky-khai-sinh');
  });

  it('uses whatever the model condensed to, not the offline topic rewrite', async () => {
    const history = await khaiSinhHistory();
    // A rewrite naming another procedure: retrieval must follow it (the offline rewrite would stay on khai sinh).
    fake.onChat((body) =>
      isCondenseCall(body) ? 'Lệ phí đăng ký kết hôn là bao nhiêu?' : 'Kết hôn trong nước được miễn lệ phí [1].',
    );
    const ans = await f.answerer(llmEnv(fake.baseURL)).answer('còn lệ phí thì sao?', { history });
    expect(ans.resolvedQuestion).toBe('Lệ phí đăng ký kết hôn là bao nhiêu?');
    expect(citationOf(sentPassages(lastUser(answerRequests()[0].body))[0]).docId).toBe('dang-ky-ket-hon');
    expect(ans.topic?.docId).toBe('dang-ky-ket-hon');
  });

  it('falls back to the topic rewrite when the condense call fails, and still answers about khai sinh', async () => {
    const history = await khaiSinhHistory();
    fake.onChat((body) => (isCondenseCall(body) ? { status: 500 } : 'Miễn lệ phí khi khai sinh đúng hạn [1].'));
    const ans = await f.answerer(llmEnv(fake.baseURL)).answer('còn lệ phí thì sao?', { history });
    expect(fake.chatRequests().filter((r) => isCondenseCall(r.body))).toHaveLength(1);
    expect(ans.mode).toBe('llm');
    expect(ans.resolvedQuestion).toMatch(/khai sinh/i);
    expect(ans.citations[0].docId).toBe('dang-ky-khai-sinh');
  });
});
