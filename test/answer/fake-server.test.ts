/** The fake OpenAI-compatible server itself, through the real `openai` client, and the whole pipeline on it. */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAnswerer } from '../../src/answer/index';
import { loadConfig } from '../../src/config';
import { openRetriever } from '../../src/search/engine';
import { hashVector, startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { cleanupTmp, makeFixtureCorpus, tmpDir } from './helpers';

let fake: FakeOpenAI;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI({ dimension: 32 });
  client = new OpenAI({ apiKey: 'k', baseURL: fake.baseURL, maxRetries: 0, timeout: 5000 });
});
afterAll(async () => {
  await fake?.close();
  cleanupTmp();
});
beforeEach(() => fake.reset());

describe('fake OpenAI server', () => {
  it('answers chat completions, plain and streamed, and logs the request bodies', async () => {
    fake.onChat((body, n) => `trả lời ${n} cho ${body.messages.at(-1)!.content}`);
    const res = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'xin chào' }] });
    expect(res.choices[0].message.content).toBe('trả lời 1 cho xin chào');
    const stream = await client.chat.completions.create({
      model: 'm',
      stream: true,
      messages: [{ role: 'user', content: 'lần hai' }],
    });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
    expect(text).toBe('trả lời 2 cho lần hai');
    expect(fake.chatRequests().map((r) => r.body.stream ?? false)).toEqual([false, true]);
    expect(fake.requests[0].headers.authorization).toBe('Bearer k');
  });

  it('answers embeddings as float arrays or base64 (the openai default), deterministic and unit-length', async () => {
    const asFloat = await client.embeddings.create({
      model: 'e',
      input: ['khai sinh', 'kết hôn'],
      encoding_format: 'float',
    });
    expect(asFloat.data.map((d) => d.embedding)).toEqual([hashVector('khai sinh', 32), hashVector('kết hôn', 32)]);
    const asDefault = await client.embeddings.create({ model: 'e', input: 'khai sinh' });
    expect(asDefault.data[0].embedding).toHaveLength(32);
    asDefault.data[0].embedding.forEach((x, i) => expect(x).toBeCloseTo(hashVector('khai sinh', 32)[i], 5));
    expect(Math.hypot(...asFloat.data[0].embedding)).toBeCloseTo(1, 6);
    expect(fake.embeddingRequests().map((r) => r.body.encoding_format)).toEqual(['float', 'base64']);
  });

  it('takes per-test behaviours: custom vectors and error statuses', async () => {
    fake.onEmbeddings((input) => input.map(() => [1, 0, 0]));
    expect(
      (await client.embeddings.create({ model: 'e', input: 'a', encoding_format: 'float' })).data[0].embedding,
    ).toEqual([1, 0, 0]);
    fake.onEmbeddings(() => ({ status: 503 }));
    await expect(client.embeddings.create({ model: 'e', input: 'a', encoding_format: 'float' })).rejects.toMatchObject({
      status: 503,
    });
    fake.onChat(() => ({ status: 400, error: { error: { message: 'bad' } } }));
    await expect(client.chat.completions.create({ model: 'm', messages: [] })).rejects.toMatchObject({ status: 400 });
  });

  it('serves the whole pipeline: openai embeddings for the index and the chat model for the answer', async () => {
    const config = loadConfig(
      {
        CORPUS_DIR: makeFixtureCorpus(),
        DATA_DIR: tmpDir('answer-fake-e2e-'),
        EMBEDDINGS: 'openai',
        EMBEDDING_MODEL: 'fake-embed',
        OPENAI_BASE_URL: fake.baseURL,
        CHAT_MODEL: 'fake-chat',
        LLM_MAX_RETRIES: '0',
        LOG_LEVEL: 'silent',
      } as NodeJS.ProcessEnv,
      { dotenv: false },
    );
    fake.onChat(() => 'Hồ sơ gồm tờ khai và bản chính giấy chứng sinh [1].');
    const retriever = await openRetriever(config, { log: () => {} });
    const a = await createAnswerer(config, retriever).answer('đăng ký khai sinh cần giấy tờ gì');
    expect(a.mode).toBe('llm');
    expect(a.citations[0].docId).toBe('dang-ky-khai-sinh');
    expect(fake.embeddingRequests().length).toBeGreaterThanOrEqual(2); // the corpus, then the question
    expect(fake.embeddingRequests().every((r) => r.body.model === 'fake-embed')).toBe(true);
    expect(fake.chatRequests()).toHaveLength(1);
  });
});
