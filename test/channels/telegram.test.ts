// End to end: the real grammY client, long polling against the fake Bot API, the real chat core and answerer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramBot, type TelegramBot } from '../../src/channels/telegram';
import { FakeTelegram, callbackUpdate, textUpdate, type FakeCall } from '../fakes/telegram-server';
import { makeFixture, type Fixture } from '../helpers/fixture';

let fake: FakeTelegram;
let fx: Fixture;
let tg: TelegramBot;

beforeAll(async () => {
  fake = await FakeTelegram.start();
  fx = await makeFixture(
    {
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      MAX_ANSWER_CHARS: '20000',
      RATE_LIMIT_PER_MINUTE: '4',
    },
    { longDoc: true },
  );
  tg = createTelegramBot(fx.config, fx.core());
  await tg.start();
});

afterAll(async () => {
  await tg?.stop();
  await fake?.close();
  fx?.cleanup();
});

const toChat = (chatId: number) => (c: FakeCall) => Number(c.params.chat_id) === chatId;

/** Sends a private text and waits for `n` messages to that chat. */
async function say(chatId: number, text: string, n = 1): Promise<FakeCall[]> {
  const before = fake.callsTo('sendMessage').filter(toChat(chatId)).length;
  fake.enqueue(textUpdate({ chatId, userId: chatId, text }));
  const all = await fake.waitFor('sendMessage', toChat(chatId), before + n);
  return all.slice(before);
}

describe('Telegram bot (long polling)', () => {
  it('registers Vietnamese commands at start and polls for updates', async () => {
    const [cmds] = fake.callsTo('setMyCommands');
    const list = cmds.params.commands as { command: string; description: string }[];
    expect(list.map((c) => c.command)).toEqual(
      expect.arrayContaining(['start', 'help', 'hoi', 'thutuc', 'nguon', 'mo', 'diemdanh']),
    );
    expect(list.find((c) => c.command === 'thutuc')?.description).toBe('Tra cứu thủ tục theo lĩnh vực');
    expect(tg.isPolling()).toBe(true);
  });

  it('answers a question with sources, HTML parse mode, typing and feedback buttons', async () => {
    const [m] = await say(201, 'làm giấy khai sinh cho con cần những gì');
    expect(m.params.parse_mode).toBe('HTML');
    expect(m.params.text).toContain('Đăng ký khai sinh');
    expect(m.params.text).toMatch(/Nguồn:[\s\S]*Thủ tục "Đăng ký khai sinh"/);
    const buttons = m.params.reply_markup.inline_keyboard[0];
    expect(buttons.map((b: { text: string }) => b.text)).toEqual(['👍', '👎']);
    expect(buttons[0].callback_data).toMatch(/^fb:[\w-]+:up$/);
    expect(
      fake.callsTo('sendChatAction').some((c) => Number(c.params.chat_id) === 201 && c.params.action === 'typing'),
    ).toBe(true);
  });

  it('escapes <, > and & in questions and answers', async () => {
    const [m] = await say(202, 'biển quảng cáo lệ phí bao nhiêu <b>&');
    expect(m.error).toBeUndefined();
    expect(m.params.text).toContain('biển &lt; 20 m²');
    expect(m.params.text).toContain('tỉnh &amp; thành phố');
    expect(m.params.text).not.toMatch(/<(?!\/?(b|i|a)\b)|&(?!amp;|lt;|gt;|quot;)/);
  });

  it('splits a long answer into messages below 4096 characters, buttons on the last', async () => {
    const before = fake.callsTo('sendMessage').filter(toChat(203)).length;
    fake.enqueue(textUpdate({ chatId: 203, userId: 203, text: 'hồ sơ cấp phép treo biển quảng cáo gồm những gì' }));
    await fake.waitFor('sendMessage', (c) => toChat(203)(c) && c.params.reply_markup !== undefined);
    const parts = fake.callsTo('sendMessage').filter(toChat(203)).slice(before);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    for (const p of parts) expect(p.params.text.length).toBeLessThan(4096);
    expect(parts.at(-1)!.params.text).toContain('Nguồn:');
    expect(parts.slice(0, -1).every((p) => p.params.reply_markup === undefined)).toBe(true);
    expect(parts[0].params.text).toContain('Giấy tờ số 1');
  });

  it('in groups answers commands, mentions and replies to the bot, and ignores other text', async () => {
    const g = -1001;
    const user = { chatId: g, userId: 301 };
    fake.enqueue(textUpdate({ ...user, text: 'đăng ký tạm trú cần gì' }));
    fake.enqueue(textUpdate({ ...user, text: '/start@some_other_bot' }));
    const [mention] = await (async () => {
      fake.enqueue(textUpdate({ ...user, text: '@trolyhanhchinh_bot đăng ký tạm trú cần gì' }));
      return fake.waitFor('sendMessage', toChat(g));
    })();
    expect(mention.params.text).toContain('tạm trú');
    const answerMsg = mention.result as { message_id: number };
    fake.enqueue(
      textUpdate({
        ...user,
        text: 'thời hạn bao lâu',
        replyTo: { message_id: answerMsg.message_id, fromBot: fake.botInfo },
      }),
    );
    const [, reply] = await fake.waitFor('sendMessage', toChat(g), 2);
    expect(reply.params.text).toContain('thời hạn giải quyết');
    fake.enqueue(textUpdate({ ...user, text: '/hoi@trolyhanhchinh_bot lệ phí đăng ký tạm trú' }));
    const [, , cmd] = await fake.waitFor('sendMessage', toChat(g), 3);
    expect(cmd.params.text).toMatch(/lệ phí/i);
    await fake.settle();
    expect(fake.callsTo('sendMessage').filter(toChat(g))).toHaveLength(3);
  });

  it('gives a hint for stickers in private chats', async () => {
    const before = fake.callsTo('sendMessage').filter(toChat(204)).length;
    fake.enqueue({
      message: {
        message_id: 9001,
        date: 1,
        chat: { id: 204, type: 'private', first_name: 'An' },
        from: { id: 204, is_bot: false, first_name: 'An' },
        sticker: {
          file_id: 's',
          file_unique_id: 's',
          type: 'regular',
          width: 1,
          height: 1,
          is_animated: false,
          is_video: false,
        },
      },
    });
    const [m] = (await fake.waitFor('sendMessage', toChat(204), before + 1)).slice(before);
    expect(m.params.text).toContain('tin nhắn chữ');
  });

  it('rate-limits a user politely', async () => {
    for (let i = 0; i < 4; i++) await say(205, '/start');
    const [m] = await say(205, '/start');
    expect(m.params.text).toContain('Bạn đang gửi hơi nhanh');
  });

  it('records 👍/👎 votes and replaces the buttons', async () => {
    const [answer] = await say(206, 'đăng ký tạm trú cần gì');
    const up = answer.params.reply_markup.inline_keyboard[0][0].callback_data as string;
    fake.enqueue(callbackUpdate({ userId: 206, message: answer.result, data: up }));
    const [edit] = await fake.waitFor('editMessageReplyMarkup', toChat(206));
    expect(edit.params.message_id).toBe(answer.result.message_id);
    expect(edit.params.reply_markup.inline_keyboard[0][0].text).toBe('Đã ghi nhận: 👍');
    const ack = fake.callsTo('answerCallbackQuery').at(-1)!;
    expect(ack.params.text).toContain('Cảm ơn');
    const [vote] = await fx.feedback.list({ limit: 1 });
    expect(vote).toMatchObject({
      vote: 'up',
      question: 'đăng ký tạm trú cần gì',
      chatId: '206',
      channel: 'telegram',
      mode: 'extractive',
    });
  });

  it('browses /thutuc with inline buttons', async () => {
    const [home] = await say(207, '/thutuc');
    const field = home.params.reply_markup.inline_keyboard
      .flat()
      .find((b: { text: string }) => b.text.startsWith('Cư trú'));
    fake.enqueue(callbackUpdate({ userId: 207, message: home.result, data: field.callback_data }));
    const [, list] = await fake.waitFor('sendMessage', toChat(207), 2);
    const proc = list.params.reply_markup.inline_keyboard.flat()[0];
    fake.enqueue(callbackUpdate({ userId: 207, message: list.result, data: proc.callback_data }));
    const [, , card] = await fake.waitFor('sendMessage', toChat(207), 3);
    expect(card.params.text).toContain('Thời hạn giải quyết');
    expect(card.params.text).toContain('Nguồn: Thủ tục "Đăng ký tạm trú');
  });

  it('retries after a 429 from Telegram', async () => {
    fake.failNext('sendMessage');
    const t0 = Date.now();
    const before = fake.callsTo('sendMessage').filter(toChat(208)).length;
    fake.enqueue(textUpdate({ chatId: 208, userId: 208, text: '/start' }));
    const calls = (await fake.waitFor('sendMessage', (c) => toChat(208)(c) && c.result !== undefined)).slice(0);
    const all = fake.callsTo('sendMessage').filter(toChat(208)).slice(before);
    expect(all[0].error?.error_code).toBe(429);
    expect(calls.at(-1)!.params.text).toContain('Xin chào');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
  });

  it('apologizes when sending the answer fails', async () => {
    fake.failNext('sendMessage', { ok: false, error_code: 400, description: 'Bad Request: chat not found' });
    const before = fake.callsTo('sendMessage').filter(toChat(209)).length;
    fake.enqueue(textUpdate({ chatId: 209, userId: 209, text: '/help' }));
    const calls = (await fake.waitFor('sendMessage', toChat(209), before + 2)).slice(before);
    expect(calls[0].error?.error_code).toBe(400);
    expect(calls[1].params.text).toBe('Xin lỗi, đã có lỗi khi xử lý yêu cầu. Vui lòng thử lại sau.');
    // The bot keeps serving.
    const [next] = await say(209, '/start');
    expect(next.params.text).toContain('Xin chào');
  });
});

describe('Telegram bot with a failing answerer', () => {
  it('sends the Vietnamese apology and keeps polling', async () => {
    const fake2 = await FakeTelegram.start('999:other');
    const config = { ...fx.config, TELEGRAM_BOT_TOKEN: fake2.token, TELEGRAM_API_ROOT: fake2.apiRoot };
    const core = fx.core({ answerer: { answer: () => Promise.reject(new Error('model down')) }, config });
    const bot = createTelegramBot(config, core);
    try {
      await bot.start();
      fake2.enqueue(textUpdate({ chatId: 401, userId: 401, text: 'đăng ký tạm trú cần gì' }));
      const [m] = await fake2.waitFor('sendMessage');
      expect(m.params.text).toBe('Xin lỗi, đã có lỗi khi xử lý yêu cầu. Vui lòng thử lại sau.');
      fake2.enqueue(textUpdate({ chatId: 401, userId: 401, text: '/start' }));
      const [, m2] = await fake2.waitFor('sendMessage', undefined, 2);
      expect(m2.params.text).toContain('Xin chào');
    } finally {
      await bot.stop();
      await fake2.close();
    }
  });
});

describe('Telegram bot concurrency (long polling)', () => {
  it('answers other chats while one waits for a slow answer, keeps each chat in order, and stops gracefully', async () => {
    const fake3 = await FakeTelegram.start('777:concurrent');
    const config = { ...fx.config, TELEGRAM_BOT_TOKEN: fake3.token, TELEGRAM_API_ROOT: fake3.apiRoot };
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const order: string[] = [];
    // The first question of chat 501 waits until released; everything else is answered at once.
    const answerer = {
      async answer(q: string) {
        order.push(`start ${q}`);
        if (q === 'chậm') await slow;
        order.push(`end ${q}`);
        return { text: `Trả lời: ${q}`, citations: [], confidence: 1, mode: 'smalltalk' as const };
      },
    };
    const bot = createTelegramBot(config, fx.core({ answerer, config }));
    try {
      await bot.start();
      fake3.enqueue(textUpdate({ chatId: 501, userId: 501, text: 'chậm' }));
      fake3.enqueue(textUpdate({ chatId: 501, userId: 501, text: 'sau' }));
      fake3.enqueue(textUpdate({ chatId: 502, userId: 502, text: 'nhanh' }));
      // Chat 502 is answered while chat 501's first answer is still pending.
      const [other] = await fake3.waitFor('sendMessage', (c) => Number(c.params.chat_id) === 502);
      expect(other.params.text).toContain('Trả lời: nhanh');
      expect(fake3.callsTo('sendMessage').filter((c) => Number(c.params.chat_id) === 501)).toHaveLength(0);
      // Within chat 501 the second message waits for the first.
      expect(order).not.toContain('start sau');
      release();
      const mine = await fake3.waitFor('sendMessage', (c) => Number(c.params.chat_id) === 501, 2);
      expect(mine.map((m) => m.params.text)).toEqual(['Trả lời: chậm', 'Trả lời: sau']);
      expect(order.indexOf('end chậm')).toBeLessThan(order.indexOf('start sau'));
      // Graceful stop: a message being handled when stop() is called is still answered.
      let releaseLast!: () => void;
      const last = new Promise<void>((r) => (releaseLast = r));
      answerer.answer = async (q: string) => {
        await last;
        return { text: `Trả lời: ${q}`, citations: [], confidence: 1, mode: 'smalltalk' as const };
      };
      fake3.enqueue(textUpdate({ chatId: 503, userId: 503, text: 'cuối' }));
      await fake3.waitFor('sendChatAction', (c) => Number(c.params.chat_id) === 503);
      const stopped = bot.stop();
      releaseLast();
      await stopped;
      expect(bot.isPolling()).toBe(false);
      expect(
        fake3.callsTo('sendMessage').some((c) => Number(c.params.chat_id) === 503 && c.params.text === 'Trả lời: cuối'),
      ).toBe(true);
    } finally {
      await bot.stop();
      await fake3.close();
    }
  });
});
