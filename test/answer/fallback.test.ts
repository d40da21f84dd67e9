/**
 * Every way the model can fail ends in the offline extractive answer: unreachable server, timeout, 429 after
 * bounded retries, 5xx, a dropped connection, and content that is empty, uncited or leaks the rules.
 */
import { describe, expect, it } from 'vitest';
import type { Answer } from '../../src/answer/index';
import { SYSTEM_PROMPT } from '../../src/answer/prompt';
import { closedPort, type ChatReply, type FakeOpenAI } from '../fakes/openai-server';
import { llmEnv, type Fixture, useFixtureWithFakeOpenAI } from './helpers';

let f: Fixture;
let fake: FakeOpenAI;

useFixtureWithFakeOpenAI((fixture, server) => ([f, fake] = [fixture, server]));

const Q = 'lam giay khai sinh can gi';

/** The extractive answer for the khai sinh dossier question, with its sources. */
function expectExtractive(a: Answer): void {
  expect(a.mode).toBe('extractive');
  expect(a.text.trim().length).toBeGreaterThan(50);
  expect(a.text).toContain('Nguồn');
  expect(a.text).toMatch(/khai sinh/i);
  expect(a.citations.length).toBeGreaterThan(0);
  expect(a.citations[0].docId).toBe('dang-ky-khai-sinh');
  expect(a.confidence).toBeGreaterThan(0);
}

describe('fallback to extractive', () => {
  it('when the server is unreachable (closed port), streaming or not', async () => {
    const env = llmEnv(`http://127.0.0.1:${await closedPort()}/v1`, { LLM_MAX_RETRIES: '1' });
    expectExtractive(await f.answerer(env).answer(Q));
    const deltas: string[] = [];
    expectExtractive(await f.answerer(env).answer(Q, { onToken: (d) => deltas.push(d) }));
    expect(deltas).toEqual([]);
  });

  it('when the server never answers (LLM_TIMEOUT_MS), without waiting much longer than the timeout', async () => {
    fake.onChat(() => ({ hang: true }));
    const t0 = Date.now();
    const a = await f.answerer(llmEnv(fake.baseURL, { LLM_TIMEOUT_MS: '500', LLM_MAX_RETRIES: '0' })).answer(Q);
    const ms = Date.now() - t0;
    expectExtractive(a);
    expect(fake.chatRequests()).toHaveLength(1);
    expect(ms).toBeGreaterThanOrEqual(400);
    expect(ms).toBeLessThan(5000);
  });

  it('when the server keeps answering 429: exactly LLM_MAX_RETRIES + 1 attempts', async () => {
    fake.onChat(() => ({ status: 429 }));
    expectExtractive(await f.answerer(llmEnv(fake.baseURL, { LLM_MAX_RETRIES: '2' })).answer(Q));
    expect(fake.chatRequests()).toHaveLength(3);
    fake.reset();
    fake.onChat(() => ({ status: 429 }));
    expectExtractive(await f.answerer(llmEnv(fake.baseURL, { LLM_MAX_RETRIES: '0' })).answer(Q));
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('a 429 that clears within the retries still gives the model answer', async () => {
    fake.onChat((_b, n) => (n < 3 ? { status: 429 } : 'Hồ sơ gồm tờ khai và giấy chứng sinh [1].'));
    const a = await f.answerer(llmEnv(fake.baseURL, { LLM_MAX_RETRIES: '2' })).answer(Q);
    expect(a.mode).toBe('llm');
    expect(fake.chatRequests()).toHaveLength(3);
  });

  it.each([500, 502, 503])('when the server answers %i (retried, bounded)', async (status) => {
    fake.onChat(() => ({ status }));
    expectExtractive(await f.answerer(llmEnv(fake.baseURL, { LLM_MAX_RETRIES: '1' })).answer(Q));
    expect(fake.chatRequests()).toHaveLength(2);
  });

  it('when the connection is dropped without a response', async () => {
    fake.onChat(() => ({ destroy: true }));
    expectExtractive(await f.answerer(llmEnv(fake.baseURL, { LLM_MAX_RETRIES: '0' })).answer(Q));
  });

  const unusable: [string, ChatReply][] = [
    ['empty content', ''],
    ['whitespace-only content', '  \n '],
    ['content without any [n]', 'Bạn cần mang tờ khai và giấy chứng sinh đến Trung tâm Phục vụ hành chính công.'],
    ['content citing only passages that do not exist', 'Bạn cần mang tờ khai [9] và giấy chứng sinh [0].'],
    ['content that repeats the system prompt', `${SYSTEM_PROMPT}\n[1]`],
    ['content that recites the rules', 'Quy tắc bắt buộc: chỉ trả lời dựa trên tài liệu [1].'],
  ];

  it.each(unusable)('when the model returns %s (no retry: the reply was a 200)', async (_name, reply) => {
    fake.onChat(() => reply);
    const a = await f.answerer(llmEnv(fake.baseURL, { LLM_MAX_RETRIES: '2' })).answer(Q);
    expectExtractive(a);
    expect(fake.chatRequests()).toHaveLength(1);
    expect(a.text).not.toContain(SYSTEM_PROMPT.slice(0, 60));
    expect(a.text).not.toContain('Quy tắc bắt buộc');
  });

  it.each(unusable)('when the model streams %s', async (_name, reply) => {
    fake.onChat(() => reply);
    const a = await f.answerer(llmEnv(fake.baseURL)).answer(Q, { onToken: () => {} });
    expect(fake.chatRequests()[0].body.stream).toBe(true);
    expectExtractive(a);
    expect(a.text).not.toContain(SYSTEM_PROMPT.slice(0, 60));
  });

  it('when a streamed request fails with 500', async () => {
    fake.onChat(() => ({ status: 500 }));
    const deltas: string[] = [];
    expectExtractive(await f.answerer(llmEnv(fake.baseURL)).answer(Q, { onToken: (d) => deltas.push(d) }));
    expect(deltas).toEqual([]);
  });
});
