// Channels' webhooks are mounted on the app: the real Telegram adapter (createChannels) against the fake Bot API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannels, type ChannelRunner } from '../../src/channels/index';
import { logger } from '../../src/log';
import { createApp } from '../../src/server/app';
import { instrumentCore, Metrics } from '../../src/server/metrics';
import { FakeTelegram, textUpdate } from '../fakes/telegram-server';
import { makeFixture, type Fixture } from '../helpers/fixture';

const SECRET = 'server-webhook-secret';
let fake: FakeTelegram;
let fx: Fixture;
let channels: ChannelRunner[];
let metrics: Metrics;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  fake = await FakeTelegram.start();
  fx = await makeFixture({
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/hooks/telegram',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
  });
  metrics = new Metrics();
  const core = instrumentCore(fx.core(), metrics);
  channels = await createChannels(fx.config, core, { logger, dataDir: fx.config.dataDir });
  app = createApp({
    config: fx.config,
    core,
    metrics,
    retriever: fx.retriever,
    attendance: fx.attendance,
    feedback: fx.feedback,
    channels,
  });
  for (const ch of channels) await ch.start();
});

afterAll(async () => {
  for (const ch of channels ?? []) await ch.stop();
  await fake?.close();
  fx?.cleanup();
});

const post = (body: object, secret = SECRET) =>
  app.request('/hooks/telegram', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    body: JSON.stringify(body),
  });

describe('webhook routes', () => {
  it('mounts the Telegram webhook path from TELEGRAM_WEBHOOK_URL and answers through the same core', async () => {
    expect(channels.map((c) => c.webhookPath)).toEqual(['/hooks/telegram']);
    const res = await post({
      update_id: 9001,
      ...textUpdate({ chatId: 701, userId: 701, text: 'đăng ký tạm trú cần giấy tờ gì' }),
    });
    expect(res.status).toBe(200);
    const [m] = await fake.waitFor('sendMessage', (c) => Number(c.params.chat_id) === 701);
    expect(m.params.text).toContain('tạm trú');
    expect(await metrics.value('questions_total', { channel: 'telegram', mode: 'extractive' })).toBe(1);
    expect(await metrics.value('answer_duration_seconds_count')).toBe(1);
  });

  it('passes the adapter verdict through (wrong secret → 401) and shows the route in /healthz', async () => {
    expect((await post({ update_id: 9002 }, 'wrong')).status).toBe(401);
    expect((await app.request('/hooks/telegram')).status).toBe(404);
    const health = (await (await app.request('/healthz')).json()) as { channels: string[] };
    expect(health.channels).toEqual(['telegram']);
  });
});
