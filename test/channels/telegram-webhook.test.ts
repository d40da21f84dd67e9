// Webhook mode: the handler the HTTP server mounts, with the real grammY client replying through the fake Bot API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramBot, type TelegramBot } from '../../src/channels/telegram';
import { FakeTelegram, textUpdate } from '../fakes/telegram-server';
import { makeFixture, type Fixture } from '../helpers/fixture';

const SECRET = 'webhook-secret-123';
const URL = 'https://bot.example.org/telegram/webhook';
let fake: FakeTelegram;
let fx: Fixture;
let tg: TelegramBot;

beforeAll(async () => {
  fake = await FakeTelegram.start();
  fx = await makeFixture({
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_WEBHOOK_URL: URL,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
  });
  tg = createTelegramBot(fx.config, fx.core());
  await tg.start();
});

afterAll(async () => {
  await tg?.stop();
  await fake?.close();
  fx?.cleanup();
});

function post(body: string | object, secret: string | null = SECRET): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret !== null) headers['x-telegram-bot-api-secret-token'] = secret;
  return tg.webhookHandler(
    new Request('http://127.0.0.1/telegram/webhook', {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

let nextUpdate = 5000;
const update = (u: object) => ({ update_id: nextUpdate++, ...u });

describe('Telegram bot (webhook)', () => {
  it('registers the webhook with its secret instead of polling', () => {
    const [hook] = fake.callsTo('setWebhook');
    expect(hook.params).toMatchObject({ url: URL, secret_token: SECRET });
    expect(hook.params.allowed_updates).toEqual(['message', 'callback_query']);
    expect(fake.callsTo('setMyCommands')).toHaveLength(1);
    expect(tg.isPolling()).toBe(false);
    expect(tg.webhookPath).toBe('/telegram/webhook');
  });

  it('answers an update posted with the right secret', async () => {
    const res = await post(update(textUpdate({ chatId: 601, userId: 601, text: 'đăng ký tạm trú cần giấy tờ gì' })));
    expect(res.status).toBe(200);
    const [m] = await fake.waitFor('sendMessage', (c) => Number(c.params.chat_id) === 601);
    expect(m.params.text).toContain('tạm trú');
    expect(m.params.text).toContain('Nguồn:');
  });

  it('answers a redelivered update only once', async () => {
    const u = update(textUpdate({ chatId: 602, userId: 602, text: '/start' }));
    expect((await post(u)).status).toBe(200);
    expect((await post(u)).status).toBe(200);
    await fake.settle();
    expect(fake.callsTo('sendMessage').filter((c) => Number(c.params.chat_id) === 602)).toHaveLength(1);
  });

  it('rejects a wrong or missing secret with 401 and does nothing', async () => {
    const u = update(textUpdate({ chatId: 603, userId: 603, text: '/start' }));
    expect((await post(u, 'wrong-secret')).status).toBe(401);
    expect((await post(u, null)).status).toBe(401);
    await fake.settle(100);
    expect(fake.callsTo('sendMessage').filter((c) => Number(c.params.chat_id) === 603)).toHaveLength(0);
  });

  it('answers 200 to malformed bodies', async () => {
    expect((await post('this is not json')).status).toBe(200);
    expect((await post({ message: { text: 'no update id' } })).status).toBe(200);
    expect((await post('null')).status).toBe(200);
  });
});
