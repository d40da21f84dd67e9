// Zalo Bot Platform end to end: long polling against the fake Bot API, the real chat core over the fixture corpus.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZaloBot, type ZaloBot } from '../../src/channels/zalo';
import { FakeZaloBot, zaloUpdate } from '../fakes/zalo-bot-server';
import { makeFixture, type Fixture } from '../helpers/fixture';

const TRAINER = 'trainer-900';
let fake: FakeZaloBot;
let fx: Fixture;
let bot: ZaloBot;

beforeAll(async () => {
  fake = await FakeZaloBot.start();
  fx = await makeFixture(
    {
      ZALO_BOT_TOKEN: fake.token,
      ZALO_BOT_API_ROOT: fake.apiRoot,
      ZALO_BOT_POLL_TIMEOUT_S: '1',
      MAX_ANSWER_CHARS: '20000',
      TRAINER_IDS: `zalo:${TRAINER}`,
    },
    { longDoc: true },
  );
  bot = createZaloBot(fx.config, fx.core(), { backoffMs: 200 });
  await bot.start();
});

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  fx?.cleanup();
});

/** Sends a private text and returns the next `n` texts the bot sends to that chat. */
async function say(
  chatId: string,
  text: string,
  n = 1,
  extra: Parameters<typeof zaloUpdate>[0] = { chatId },
): Promise<string[]> {
  const before = fake.textsTo(chatId).length;
  fake.enqueue(zaloUpdate({ ...extra, chatId, text }));
  await fake.waitFor('sendMessage', (c) => c.params.chat_id === chatId && c.result !== undefined, before + n);
  return fake.textsTo(chatId).slice(before);
}

const HTML_TAG = /<\/?[a-z][a-z0-9]*(\s[^>]*)?>/i;

describe('Zalo Bot Platform (long polling)', () => {
  it('checks the token, removes any webhook, then long-polls with a string timeout and idles through 408s', async () => {
    await fake.waitFor('getUpdates', (c) => c.error?.error_code === 408);
    const names = fake.calls.map((c) => c.method);
    expect(names[0]).toBe('getMe');
    expect(names.indexOf('deleteWebhook')).toBeGreaterThan(0);
    expect(names.indexOf('deleteWebhook')).toBeLessThan(names.indexOf('getUpdates'));
    expect(bot.mode).toBe('polling');
    expect(bot.webhookPath).toBeUndefined();
    expect(fake.callsTo('getUpdates')[0].params).toEqual({ timeout: '1' });
    expect(fake.idlePolls).toBeGreaterThanOrEqual(1);
    // Still polling after idling: a message is answered.
    const [hello] = await say('u-start', '/start');
    expect(hello).toContain('Xin chào');
  });

  it('answers a question in plain text with its sources, typing first, and the 👍/👎 hint', async () => {
    const [m] = await say('u-201', 'làm giấy khai sinh cho con cần những gì');
    expect(m).toContain('Đăng ký khai sinh');
    expect(m).toMatch(/Nguồn:[\s\S]*Thủ tục "Đăng ký khai sinh"/);
    expect(m).not.toMatch(HTML_TAG);
    expect(m).not.toContain('&amp;');
    expect(m.trimEnd().endsWith('Gõ 👍 hoặc 👎 để đánh giá câu trả lời.')).toBe(true);
    const typing = fake.callsTo('sendChatAction', (c) => c.params.chat_id === 'u-201');
    expect(typing[0]?.params.action).toBe('typing');
  });

  it('splits a long answer at 2,000 characters, sources and hint in the last piece', async () => {
    const chat = 'u-202';
    fake.enqueue(zaloUpdate({ chatId: chat, text: 'hồ sơ cấp phép treo biển quảng cáo gồm những gì' }));
    await fake.waitFor('sendMessage', (c) => c.params.chat_id === chat && String(c.params.text).includes('Gõ 👍'));
    const parts = fake.textsTo(chat);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(2000);
    expect(parts[0]).toContain('Giấy tờ số 1');
    expect(parts.at(-1)).toContain('Nguồn:');
    expect(parts.join('\n')).toContain('kích thước < 20 m² & ghi rõ');
    expect(parts.join('\n')).not.toMatch(HTML_TAG);
  });

  it('records a typed 👍 in the feedback store', async () => {
    await say('u-203', 'đăng ký tạm trú cần gì');
    const [thanks] = await say('u-203', '👍');
    expect(thanks).toBe('Cảm ơn bạn đã góp ý!');
    const [vote] = fx.feedback.list({ limit: 1 });
    expect(vote).toMatchObject({
      vote: 'up',
      channel: 'zalo',
      chatId: 'u-203',
      userId: 'u-203',
      question: 'đăng ký tạm trú cần gì',
    });
    // A second 👍 on the same answer is only thanked.
    expect(await say('u-203', '👍')).toEqual(['Cảm ơn bạn đã góp ý!']);
  });

  it('browses the catalog with numbered replies; commands work without the slash', async () => {
    const [home] = await say('u-204', 'thutuc');
    expect(home).toContain('Chọn lĩnh vực');
    const line = home.split('\n').find((l) => /^\d+\. Cư trú/.test(l))!;
    expect(line).toBeDefined();
    expect(home).toMatch(/Gõ số thứ tự \(1–\d+\) để chọn\./);
    const [field] = await say('u-204', line.split('.')[0]);
    expect(field).toContain('Lĩnh vực Cư trú');
    expect(field).toMatch(/^1\. Đăng ký tạm trú/m);
    const [card] = await say('u-204', '1');
    expect(card).toContain('Thời hạn giải quyết');
    expect(card).toContain('Nguồn: Thủ tục "Đăng ký tạm trú');
    const [help] = await say('u-204', 'help');
    expect(help).toContain('Hướng dẫn sử dụng');
    // After a message without choices, "1" is an ordinary message again (not a stale choice).
    const [one] = await say('u-204', '1');
    expect(one).not.toContain('Lĩnh vực');
  });

  it('takes attendance typed without slashes and sends the export as text', async () => {
    const [opened] = await say(TRAINER, 'mo Lớp kỹ năng số thôn 3 30', 1, { chatId: TRAINER, name: 'Giảng viên' });
    expect(opened).toContain('Đã mở điểm danh "Lớp kỹ năng số thôn 3"');
    const code = /Mã điểm danh: (\S+)/.exec(opened)![1];
    expect((await say('u-301', `diemdanh ${code} Nguyễn Văn An`))[0]).toContain('✅ Đã điểm danh: Nguyễn Văn An');
    expect((await say('u-302', `dd ${code.toLowerCase()} Trần Thị Bình`))[0]).toContain(
      '✅ Đã điểm danh: Trần Thị Bình',
    );
    const [done, note] = await say(TRAINER, `xuat ${code}`, 2, { chatId: TRAINER });
    expect(done).toContain('Đã xuất 2 lượt điểm danh');
    expect(note).toContain('Zalo không gửi được tệp');
    expect(note).toContain('Nội dung CSV:');
    expect(note).toContain('Trần Thị Bình');
  });

  it('in groups answers "hoi …" and commands but ignores other chatter', async () => {
    const g = 'group-1';
    fake.enqueue(zaloUpdate({ chatId: g, userId: 'u-401', group: true, text: 'đăng ký tạm trú cần gì' }));
    const [answer] = await say(g, 'hoi lệ phí đăng ký tạm trú', 1, { chatId: g, userId: 'u-402', group: true });
    expect(answer).toMatch(/lệ phí/i);
    await fake.settle();
    expect(fake.textsTo(g)).toHaveLength(1);
  });

  it('answers each message once even when it is delivered twice', async () => {
    const u = zaloUpdate({ chatId: 'u-501', text: '/start' });
    fake.enqueue(u);
    fake.enqueue(u);
    await fake.waitFor('sendMessage', (c) => c.params.chat_id === 'u-501');
    await fake.settle();
    expect(fake.textsTo('u-501')).toHaveLength(1);
  });

  it('hints at text for stickers and images', async () => {
    fake.enqueue(zaloUpdate({ chatId: 'u-502', event: 'message.sticker.received' }));
    const [m] = await fake.waitFor('sendMessage', (c) => c.params.chat_id === 'u-502');
    expect(m.params.text).toContain('tin nhắn chữ');
  });

  it('keeps polling after network and server errors, with backoff', async () => {
    const before = fake.calls.length;
    fake.failNext('getUpdates', 'http500');
    fake.failNext('getUpdates', 'drop');
    fake.failNext('getUpdates', { error_code: 500, description: 'Internal error' });
    const failed = (c: { error?: { error_code: number } }) => c.error !== undefined && c.error.error_code !== 408;
    await fake.until(() => fake.calls.slice(before).filter((c) => c.method === 'getUpdates' && failed(c)).length === 3);
    const [f1, , f3] = fake.calls.slice(before).filter((c) => c.method === 'getUpdates' && failed(c));
    expect(f3.at - f1.at).toBeGreaterThanOrEqual(200 + 400 - 20); // backoff doubles: 200 ms, 400 ms, …
    const [m] = await say('u-503', '/start');
    expect(m).toContain('Xin chào');
  });

  it('apologizes when sending fails and keeps serving', async () => {
    fake.failNext('sendMessage', { error_code: 400, description: 'Bad Request' });
    const [apology] = await say('u-504', '/help');
    expect(apology).toBe('Xin lỗi, đã có lỗi khi xử lý yêu cầu. Vui lòng thử lại sau.');
    expect((await say('u-504', 'start'))[0]).toContain('Xin chào');
  });
});

describe('Zalo Bot Platform lifecycle', () => {
  it('answers politely when the answerer fails, and stops promptly during a 30 s long poll', async () => {
    const fake2 = await FakeZaloBot.start('555:other');
    const config = {
      ...fx.config,
      ZALO_BOT_TOKEN: fake2.token,
      ZALO_BOT_API_ROOT: fake2.apiRoot,
      ZALO_BOT_POLL_TIMEOUT_S: 30,
    };
    const core = fx.core({ answerer: { answer: () => Promise.reject(new Error('model down')) }, config });
    const bot2 = createZaloBot(config, core);
    try {
      await bot2.start();
      fake2.enqueue(zaloUpdate({ chatId: 'x-1', text: 'đăng ký tạm trú cần gì' }));
      const [m] = await fake2.waitFor('sendMessage');
      expect(m.params.text).toBe('Xin lỗi, đã có lỗi khi xử lý yêu cầu. Vui lòng thử lại sau.');
      await fake2.until(() => fake2.pollsStarted >= 2); // polling again: a 30 s poll is now pending
      const t0 = Date.now();
      await bot2.stop();
      expect(Date.now() - t0).toBeLessThan(1000);
    } finally {
      await bot2.stop();
      await fake2.close();
    }
  });
});
