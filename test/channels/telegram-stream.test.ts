// LLM mode on Telegram: the answer streams into a draft message that the final answer (with sources) replaces.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramBot, type TelegramBot } from '../../src/channels/telegram';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { FakeTelegram, textUpdate } from '../fakes/telegram-server';
import { makeFixture, type Fixture } from '../helpers/fixture';

let fake: FakeTelegram;
let model: FakeOpenAI;
let fx: Fixture;
let tg: TelegramBot;

beforeAll(async () => {
  fake = await FakeTelegram.start();
  model = await startFakeOpenAI();
  fx = await makeFixture({
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    CHAT_MODEL: 'fake-model',
    OPENAI_BASE_URL: model.baseURL,
    OPENAI_API_KEY: 'test',
  });
  tg = createTelegramBot(fx.config, fx.core());
  await tg.start();
});

afterAll(async () => {
  await tg?.stop();
  await fake?.close();
  await model?.close();
  fx?.cleanup();
});

describe('Telegram streaming (LLM mode)', () => {
  it('shows a draft while the model streams, then edits it into the final answer with sources', async () => {
    const chunks = ['Mang tờ khai ', 'và giấy chứng sinh [1]. ', 'Nộp tại ', 'UBND cấp xã ', 'nơi cư trú [1].'];
    model.onChat(() => ({ content: chunks.join(''), chunks, chunkDelayMs: 400 }));
    const chatId = 301;
    fake.enqueue(textUpdate({ chatId, userId: chatId, text: 'làm giấy khai sinh cần gì' }));
    const [draft] = await fake.waitFor('sendMessage', (c) => Number(c.params.chat_id) === chatId, 1);
    expect(draft.params.text).toMatch(/…$/);
    expect(draft.params.text).toContain('[1]');
    const edits = await fake.waitFor(
      'editMessageText',
      (c) => Number(c.params.chat_id) === chatId && String(c.params.text).includes('Nguồn:'),
      1,
    );
    const final = edits.at(-1)!;
    expect(final.params.text).toContain('nơi cư trú [1]');
    expect(final.params.text).toMatch(/Nguồn:[\s\S]*\[1\] Thủ tục "Đăng ký khai sinh"/);
    expect(final.params.reply_markup.inline_keyboard[0].map((b: { text: string }) => b.text)).toEqual(['👍', '👎']);
    // The draft became the answer: no second message was sent for it.
    expect(fake.callsTo('sendMessage').filter((c) => Number(c.params.chat_id) === chatId)).toHaveLength(1);
  });

  it('an ungrounded stream is never shown; the extractive fallback is sent normally', async () => {
    model.onChat(() => ({
      content: 'Tôi nghĩ là mất khoảng một tuần.',
      chunks: ['Tôi nghĩ là ', 'mất khoảng ', 'một tuần.'],
      chunkDelayMs: 300,
    }));
    const chatId = 302;
    fake.enqueue(textUpdate({ chatId, userId: chatId, text: 'đăng ký tạm trú mất bao lâu' }));
    const [m] = await fake.waitFor('sendMessage', (c) => Number(c.params.chat_id) === chatId, 1);
    expect(m.params.text).not.toContain('một tuần');
    expect(m.params.text).toContain('Nguồn:');
    expect(fake.callsTo('editMessageText').some((c) => Number(c.params.chat_id) === chatId)).toBe(false);
  });
});
