// Zalo Bot Platform in webhook mode: the handler the HTTP server mounts, replies through the fake Bot API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannels } from '../../src/channels/index';
import { createZaloBot, type ZaloBot } from '../../src/channels/zalo';
import { logger } from '../../src/log';
import { FakeZaloBot, zaloUpdate } from '../fakes/zalo-bot-server';
import { makeFixture, type Fixture } from '../helpers/fixture';

const SECRET = 'zalo-webhook-secret-123';
const URL = 'https://bot.example.org/webhooks/zalo-bot';
let fake: FakeZaloBot;
let fx: Fixture;
let bot: ZaloBot;

beforeAll(async () => {
  fake = await FakeZaloBot.start();
  fx = await makeFixture({
    ZALO_BOT_TOKEN: fake.token,
    ZALO_BOT_API_ROOT: fake.apiRoot,
    ZALO_BOT_WEBHOOK_URL: URL,
    ZALO_BOT_WEBHOOK_SECRET: SECRET,
  });
  bot = createZaloBot(fx.config, fx.core());
  await bot.start();
});

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  fx?.cleanup();
});

function post(body: string | object, secret: string | null = SECRET): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret !== null) headers['x-bot-api-secret-token'] = secret;
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return bot.webhookHandler(new Request('http://127.0.0.1/webhooks/zalo-bot', { method: 'POST', headers, body: raw }));
}

describe('Zalo Bot Platform (webhook)', () => {
  it('registers the webhook with its secret instead of polling', async () => {
    expect(fake.callsTo('getMe')).toHaveLength(1);
    const [hook] = fake.callsTo('setWebhook');
    expect(hook.params).toEqual({ url: URL, secret_token: SECRET });
    expect(bot.mode).toBe('webhook');
    expect(bot.webhookPath).toBe('/webhooks/zalo-bot');
    await fake.settle(100);
    expect(fake.callsTo('getUpdates')).toHaveLength(0);
    expect(fake.pollsStarted).toBe(0);
  });

  it('answers a bare update, acknowledging before the reply is sent', async () => {
    const res = await post(zaloUpdate({ chatId: 'w-601', text: 'đăng ký tạm trú cần giấy tờ gì' }));
    const ackAt = Date.now();
    expect(res.status).toBe(200);
    const [m] = await fake.waitFor('sendMessage', (c) => c.params.chat_id === 'w-601');
    expect(m.at).toBeGreaterThanOrEqual(ackAt - 5);
    expect(m.params.text).toContain('tạm trú');
    expect(m.params.text).toContain('Nguồn:');
  });

  it('answers an update wrapped as {ok, result}', async () => {
    const res = await post({ ok: true, result: zaloUpdate({ chatId: 'w-602', text: '/start' }) });
    expect(res.status).toBe(200);
    const [m] = await fake.waitFor('sendMessage', (c) => c.params.chat_id === 'w-602');
    expect(m.params.text).toContain('Xin chào');
  });

  it('answers a redelivered update only once', async () => {
    const u = zaloUpdate({ chatId: 'w-603', text: 'start' });
    expect((await post(u)).status).toBe(200);
    expect((await post(u)).status).toBe(200);
    expect((await post({ ok: true, result: u })).status).toBe(200);
    await fake.waitFor('sendMessage', (c) => c.params.chat_id === 'w-603');
    await fake.settle();
    expect(fake.textsTo('w-603')).toHaveLength(1);
  });

  it('rejects a wrong or missing secret with 401 and does nothing', async () => {
    const u = zaloUpdate({ chatId: 'w-604', text: '/start' });
    expect((await post(u, 'wrong-secret-000')).status).toBe(401);
    expect((await post(u, `${SECRET}x`)).status).toBe(401);
    expect((await post(u, null)).status).toBe(401);
    await fake.settle(100);
    expect(fake.callsTo('sendMessage', (c) => c.params.chat_id === 'w-604')).toHaveLength(0);
  });

  it('answers 200 to malformed bodies and ignores other events', async () => {
    expect((await post('this is not json')).status).toBe(200);
    expect((await post('null')).status).toBe(200);
    expect((await post({ message: { text: 'no event name' } })).status).toBe(200);
    expect((await post({ event_name: 'message.text.received', message: { text: 'no ids' } })).status).toBe(200);
    expect((await post({ event_name: 'bot.added.to.group' })).status).toBe(200);
    await fake.settle(100);
  });

  it('maps a typed 👍 on a webhook chat to the feedback of the last answer', async () => {
    await post(zaloUpdate({ chatId: 'w-605', text: 'làm giấy khai sinh cần gì' }));
    await fake.waitFor('sendMessage', (c) => c.params.chat_id === 'w-605');
    await post(zaloUpdate({ chatId: 'w-605', text: '👎' }));
    const [, thanks] = await fake.waitFor('sendMessage', (c) => c.params.chat_id === 'w-605', 2);
    expect(thanks.params.text).toBe('Cảm ơn bạn đã góp ý!');
    expect(fx.feedback.list({ limit: 1 })[0]).toMatchObject({ vote: 'down', channel: 'zalo', chatId: 'w-605' });
  });
});

describe('createChannels', () => {
  it('registers the Zalo bot (webhook at the URL path) and the OA when configured', async () => {
    const config = {
      ...fx.config,
      ZALO_OA_APP_ID: 'app-1',
      ZALO_OA_SECRET_KEY: 'key-1',
      ZALO_OA_REFRESH_TOKEN: 'rt-1',
    };
    const channels = createChannels(config, fx.core(), { logger, dataDir: fx.config.dataDir });
    const byName = Object.fromEntries(channels.map((c) => [c.name, c]));
    expect(Object.keys(byName).sort()).toEqual(['zalo', 'zalo-oa']);
    expect(byName.zalo.webhookPath).toBe('/webhooks/zalo-bot');
    expect(byName.zalo.webhookHandler).toBeTypeOf('function');
    expect(byName['zalo-oa'].webhookPath).toBe('/webhooks/zalo-oa');
    await byName['zalo-oa'].stop();
    // Without tokens in the environment the OA still runs on the pair stored by the first run.
    const stored = createChannels(
      { ...config, ZALO_OA_REFRESH_TOKEN: undefined, ZALO_BOT_TOKEN: undefined },
      fx.core(),
      {
        logger,
        dataDir: fx.config.dataDir,
      },
    );
    expect(stored.map((c) => c.name)).toEqual(['zalo-oa']);
    await stored[0].stop();
    const none = createChannels(
      { ...config, ZALO_OA_REFRESH_TOKEN: undefined, ZALO_OA_APP_ID: 'other-app', ZALO_BOT_TOKEN: undefined },
      fx.core(),
      {
        logger,
        dataDir: fx.config.dataDir,
      },
    );
    expect(none).toHaveLength(0);
    // Polling mode has no webhook route.
    const polling = createChannels({ ...fx.config, ZALO_BOT_WEBHOOK_URL: undefined }, fx.core(), {
      logger,
      dataDir: fx.config.dataDir,
    });
    expect(polling[0]).toMatchObject({ name: 'zalo', webhookPath: undefined, webhookHandler: undefined });
  });
});
