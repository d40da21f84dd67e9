/**
 * LLM mode against the fake OpenAI-compatible server: a question the offline search cannot place is rewritten into
 * the law's terms and searched again; a model answer with a figure no cited passage holds is replaced by the
 * extractive answer.
 */
import { describe, expect, it } from 'vitest';
import { REWRITE_PROMPT, SYSTEM_PROMPT } from '../../src/answer/prompt';
import type { ChatBody, FakeOpenAI } from '../fakes/openai-server';
import { llmEnv, questionBlock, sentPassages, type Fixture, useFixtureWithFakeOpenAI } from './helpers';

let f: Fixture;
let fake: FakeOpenAI;

useFixtureWithFakeOpenAI((fixture, server) => ([f, fake] = [fixture, server]));

const isRewrite = (b: ChatBody) => b.messages[0]?.content === REWRITE_PROMPT;
const isAnswer = (b: ChatBody) => b.messages[0]?.content === SYSTEM_PROMPT;
const bodies = () => fake.chatRequests().map((r) => r.body as ChatBody);
const lastUser = (b: ChatBody) => b.messages.at(-1)!.content;

describe('LLM rewrite of a question the offline search cannot place', () => {
  const everyday = 'đứa nhỏ mới chào đời phải làm giấy tờ gì';
  const rewritten = 'Đăng ký khai sinh cho trẻ mới sinh cần giấy tờ gì? (đăng ký khai sinh, thành phần hồ sơ)';

  it('offline, the everyday wording is declined', async () => {
    const offline = await f.answerer().answer(everyday);
    expect(offline.mode).toBe('declined');
    expect((await f.retriever.search(everyday, { k: 5 })).confidence).toBeLessThan(f.config().MIN_CONFIDENCE);
  });

  it('is rewritten with REWRITE_PROMPT in one call, searched again, and answered from the passages found', async () => {
    fake.onChat((body) => (isRewrite(body) ? rewritten : 'Cần tờ khai đăng ký khai sinh và giấy chứng sinh [1].'));
    const ans = await f.answerer(llmEnv(fake.baseURL)).answer(everyday);

    const [rewrite, answer, ...rest] = bodies();
    expect(rest).toEqual([]);
    expect(isRewrite(rewrite)).toBe(true);
    expect(rewrite.temperature).toBe(0);
    expect(lastUser(rewrite)).toContain(everyday);
    expect(isAnswer(answer)).toBe(true);

    expect(ans.mode).toBe('llm');
    expect(ans.resolvedQuestion).toBe(rewritten);
    // The second search placed it: the passages sent to the model are the khai sinh dossier.
    const passages = sentPassages(lastUser(answer));
    expect(passages.some((p) => p.text.includes('giấy chứng sinh'))).toBe(true);
    expect(ans.citations[0].docId).toBe('dang-ky-khai-sinh');
    // The model still answers the user's own words.
    expect(questionBlock(lastUser(answer))).toBe(everyday);
  });

  it('a confident question is not rewritten', async () => {
    fake.onChat((body) => (isRewrite(body) ? rewritten : 'Cần tờ khai và giấy chứng sinh [1].'));
    const ans = await f.answerer(llmEnv(fake.baseURL)).answer('đăng ký khai sinh cần giấy tờ gì');
    expect(ans.mode).toBe('llm');
    expect(bodies().filter(isRewrite)).toEqual([]);
    expect(bodies().filter(isAnswer)).toHaveLength(1);
  });

  it('a rewrite that the search still cannot place is declined, not answered', async () => {
    fake.onChat((body) => (isRewrite(body) ? 'giá vàng SJC hôm nay bao nhiêu một lượng' : 'Giá vàng là 80 triệu [1].'));
    const ans = await f.answerer(llmEnv(fake.baseURL)).answer('vàng hôm nay giá mấy');
    expect(bodies().filter(isRewrite)).toHaveLength(1);
    expect(bodies().filter(isAnswer)).toEqual([]);
    expect(ans.mode).toBe('declined');
  });

  it('when the rewrite call fails the offline result stands', async () => {
    fake.onChat((body) => (isRewrite(body) ? { status: 500 } : 'Không dùng tới [1].'));
    const ans = await f.answerer(llmEnv(fake.baseURL)).answer(everyday);
    expect(bodies().filter(isRewrite)).toHaveLength(1);
    expect(ans.mode).toBe('declined');
  });
});

describe('LLM answer figures must be in the cited passages', () => {
  const question = 'lệ phí đăng ký tạm trú bao nhiêu';

  /** The number of the passage that holds `needle`, as sent to the model (asserted present). */
  function passageWith(body: ChatBody, needle: string): number {
    const p = sentPassages(lastUser(body)).find((x) => x.text.includes(needle));
    expect(p, `a passage containing ${needle}`).toBeDefined();
    return p!.n;
  }

  it('an amount no cited passage contains: the extractive answer is served instead', async () => {
    let cited = 0;
    fake.onChat((body) => {
      cited = passageWith(body, '15.000 đồng');
      return `Lệ phí đăng ký tạm trú là 50.000 đồng/lần [${cited}].`;
    });
    const ans = await f.answerer(llmEnv(fake.baseURL)).answer(question);
    expect(cited).toBeGreaterThan(0);
    expect(ans.mode).toBe('extractive');
    expect(ans.text).not.toContain('50.000');
    expect(ans.text).toContain('15.000 đồng');
    expect(ans.citations[0].docId).toBe('dang-ky-tam-tru');
  });

  it('a figure that is in an uncited passage only does not count as grounded', async () => {
    fake.onChat((body) => {
      const passages = sentPassages(lastUser(body));
      // The fee passage was sent too, so the figure itself exists in the data.
      passageWith(body, '15.000 đồng');
      const other = passages.find((p) => !p.text.includes('15.000'));
      expect(other).toBeDefined();
      // The figure is right, but the marker points at a passage that does not say it.
      return `Lệ phí là 15.000 đồng/lần [${other!.n}].`;
    });
    const ans = await f.answerer(llmEnv(fake.baseURL)).answer(question);
    expect(ans.mode).toBe('extractive');
  });

  it('an invented URL: the extractive answer is served', async () => {
    fake.onChat(
      (body) =>
        `Nộp trực tuyến 7.000 đồng/lần tại https://dangky-tamtru.example.com [${passageWith(body, '7.000 đồng')}].`,
    );
    const ans = await f.answerer(llmEnv(fake.baseURL)).answer(question);
    expect(ans.mode).toBe('extractive');
    expect(ans.text).not.toContain('example.com');
  });

  it('an answer whose figures are all in the cited passages is served, whatever their formatting', async () => {
    const reply = (n: number) => `Nộp trực tiếp 15000 đồng/lần, nộp trực tuyến 7.000 đồng/lần [${n}].`;
    fake.onChat((body) => reply(passageWith(body, '15.000 đồng')));
    const ans = await f.answerer(llmEnv(fake.baseURL)).answer(question);
    expect(ans.mode).toBe('llm');
    expect(ans.text).toContain('Nộp trực tiếp 15000 đồng/lần, nộp trực tuyến 7.000 đồng/lần');
    expect(ans.citations[0].docId).toBe('dang-ky-tam-tru');
  });

  it('a figure the user gave in the question may be repeated; the same figure unasked is rejected', async () => {
    fake.onChat(
      (body) =>
        `Mỗi người trong danh sách 3 người nộp 10.000 đồng nếu nộp trực tiếp [${passageWith(body, '10.000 đồng')}].`,
    );
    const asked = await f
      .answerer(llmEnv(fake.baseURL))
      .answer('đăng ký tạm trú cho 3 người thuê trọ thì lệ phí bao nhiêu');
    expect(asked.mode).toBe('llm');
    const unasked = await f
      .answerer(llmEnv(fake.baseURL))
      .answer('đăng ký tạm trú cho nhóm người thuê trọ thì lệ phí bao nhiêu');
    expect(unasked.mode).toBe('extractive');
  });
});
