// Security findings 2, 5, 7, 8 and 16 of issue 15: the webhooks of all three channels, mounted on the real app
// served by @hono/node-server on 127.0.0.1, with the fake Telegram, Zalo Bot and Zalo OA servers behind them.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { serve } from '@hono/node-server';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannels, type ChannelRunner } from '../../src/channels/index';
import { createTelegramBot } from '../../src/channels/telegram';
import { createZaloBot } from '../../src/channels/zalo';
import { createZaloOA } from '../../src/channels/zalo-oa';
import { ConfigError, loadConfig } from '../../src/config';
import { logger } from '../../src/log';
import { createApp } from '../../src/server/app';
import { instrumentCore, Metrics } from '../../src/server/metrics';
import { FakeTelegram } from '../fakes/telegram-server';
import { FakeZaloBot, zaloUpdate } from '../fakes/zalo-bot-server';
import { FakeZaloOA, oaText } from '../fakes/zalo-oa-server';
import { makeFixture, type Fixture } from '../helpers/fixture';
import { textUpdate } from '../helpers/telegram-updates';

const TG_SECRET = 'telegram-secret-0123456789';
const ZB_SECRET = 'zalo-bot-secret-0123456789';
let tg: FakeTelegram;
let zb: FakeZaloBot;
let oa: FakeZaloOA;
let fx: Fixture;
let channels: ChannelRunner[];
let server: http.Server;
let port: number;

beforeAll(async () => {
  [tg, zb, oa] = await Promise.all([FakeTelegram.start(), FakeZaloBot.start(), FakeZaloOA.start()]);
  fx = await makeFixture({
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/hooks/telegram',
    TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
    ZALO_BOT_TOKEN: zb.token,
    ZALO_BOT_API_ROOT: zb.apiRoot,
    ZALO_BOT_WEBHOOK_URL: 'https://bot.example.org/hooks/zalo',
    ZALO_BOT_WEBHOOK_SECRET: ZB_SECRET,
    ...oa.env(),
  });
  const metrics = new Metrics();
  const core = instrumentCore(fx.core(), metrics);
  channels = createChannels(fx.config, core, { logger, dataDir: fx.config.dataDir });
  for (const ch of channels) await ch.start();
  const app = createApp({
    config: fx.config,
    core,
    metrics,
    retriever: fx.retriever,
    attendance: fx.attendance,
    feedback: fx.feedback,
    channels,
  });
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve()) as http.Server;
  });
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const ch of channels ?? []) await ch.stop();
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await Promise.all([tg?.close(), zb?.close(), oa?.close()]);
  fx?.cleanup();
});

/**
 * POSTs `path` and keeps writing 64 KB chunks (chunked encoding, or under a large declared Content-Length)
 * until the server answers or `maxBytes` are written. Returns the status and how much was sent by then.
 */
function flood(
  path: string,
  headers: Record<string, string>,
  maxBytes: number,
): Promise<{ status: number; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers });
    req.on('response', (res) => {
      answered = true;
      res.resume();
      resolve({ status: res.statusCode ?? 0, sent });
      req.destroy();
    });
    req.on('error', (err) => (answered ? undefined : reject(err)));
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const pump = () => {
      while (!answered && sent < maxBytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describe('finding 2: every route has a body limit, answered with 413 at once', () => {
  it('the OA webhook refuses a declared 700 MB body before reading any of it', async () => {
    const r = await flood(
      '/webhooks/zalo-oa',
      { 'content-type': 'application/json', 'content-length': String(700 * 1024 * 1024) },
      1024 * 1024,
    );
    expect(r.status).toBe(413);
    expect(r.sent).toBeLessThanOrEqual(1024 * 1024);
  });

  it.each([
    ['Zalo OA', '/webhooks/zalo-oa', {}],
    ['Telegram (right secret)', '/hooks/telegram', { 'x-telegram-bot-api-secret-token': TG_SECRET }],
    ['Zalo Bot (right secret)', '/hooks/zalo', { 'x-bot-api-secret-token': ZB_SECRET }],
    ['the chat API', '/api/chat', {}],
    ['the admin login', '/admin/login', {}],
  ])('%s: a chunked stream is cut off soon after the limit, not read to its end', async (_, path, extra) => {
    const r = await flood(
      path,
      { 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...extra },
      32 * 1024 * 1024,
    );
    expect(r.status).toBe(413);
    expect(r.sent).toBeLessThan(8 * 1024 * 1024);
  });
});

describe('finding 5: Telegram webhooks need a secret', () => {
  it('the configuration refuses webhook mode without TELEGRAM_WEBHOOK_SECRET, or with a short one', () => {
    const env = { TELEGRAM_BOT_TOKEN: '1:x', TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/tg' };
    expect(() => loadConfig(env, { dotenv: false })).toThrow(ConfigError);
    expect(() => loadConfig(env, { dotenv: false })).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
    expect(() => loadConfig({ ...env, TELEGRAM_WEBHOOK_SECRET: 'short' }, { dotenv: false })).toThrow(
      /TELEGRAM_WEBHOOK_SECRET/,
    );
    expect(loadConfig({ ...env, TELEGRAM_WEBHOOK_SECRET: TG_SECRET }, { dotenv: false }).TELEGRAM_WEBHOOK_SECRET).toBe(
      TG_SECRET,
    );
  });

  it('a handler built without a secret anyway refuses a forged update instead of acting on it', async () => {
    const bot = createTelegramBot({ ...fx.config, TELEGRAM_WEBHOOK_SECRET: undefined }, fx.core());
    const forged = { update_id: 77001, ...textUpdate({ chatId: 7701, userId: 7701, text: '/dong' }) };
    const res = await bot.webhookHandler(
      new Request('http://127.0.0.1/hooks/telegram', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(forged),
      }),
    );
    expect(res.status).toBe(401);
    await tg.settle?.(100);
    expect(tg.callsTo('sendMessage').filter((c) => Number(c.params.chat_id) === 7701)).toHaveLength(0);
  });
});

/** A logger writing JSON lines into `lines`. */
function captureLogger(lines: string[]): pino.Logger {
  return pino(
    { level: 'debug' },
    new Writable({ write: (chunk, _enc, cb) => (lines.push(...String(chunk).split('\n').filter(Boolean)), cb()) }),
  );
}

function deliverOA(
  target: ReturnType<typeof createZaloOA>,
  body: Record<string, unknown>,
  opts: Parameters<FakeZaloOA['event']>[1] = {},
): Promise<Response> {
  const { raw, headers } = oa.event(body, opts);
  return target.webhookHandler(
    new Request(`http://127.0.0.1${target.webhookPath}`, { method: 'POST', headers, body: raw }),
  );
}

describe('finding 7: Zalo OA replays', () => {
  it('signed events from long ago or from the future are acknowledged and ignored', async () => {
    const oaBot = createZaloOA(fx.config, fx.core(), { retryBaseMs: 50 });
    try {
      const old = {
        ...oaText(oa, 'oa-replay-1', 'đăng ký khai sinh cần gì'),
        timestamp: String(Date.parse('2017-03-01T00:00:00Z')),
      };
      const ahead = {
        ...oaText(oa, 'oa-replay-2', 'đăng ký khai sinh cần gì'),
        timestamp: String(Date.now() + 365 * 86_400_000),
      };
      expect((await deliverOA(oaBot, old)).status).toBe(200);
      expect((await deliverOA(oaBot, ahead)).status).toBe(200);
      await oa.settle(200);
      expect(oa.textsTo('oa-replay-1')).toHaveLength(0);
      expect(oa.textsTo('oa-replay-2')).toHaveLength(0);
    } finally {
      await oaBot.stop();
    }
  });

  it('an event replayed after a restart is not answered again', async () => {
    const event = oaText(oa, 'oa-replay-3', 'đăng ký tạm trú cần giấy tờ gì');
    const first = createZaloOA(fx.config, fx.core(), { retryBaseMs: 50 });
    expect((await deliverOA(first, event)).status).toBe(200);
    await oa.waitForTexts('oa-replay-3');
    await first.stop();

    const restarted = createZaloOA(fx.config, fx.core(), { retryBaseMs: 50 });
    try {
      expect((await deliverOA(restarted, event)).status).toBe(200);
      await oa.settle(300);
      expect(oa.textsTo('oa-replay-3')).toHaveLength(1);
    } finally {
      await restarted.stop();
    }
  });
});

describe('finding 8: no unauthenticated content in the logs, and every logged string is capped', () => {
  it('an unsigned event with a 100 KB event name leaves a short log line without it', async () => {
    const lines: string[] = [];
    const oaBot = createZaloOA(fx.config, fx.core(), { logger: captureLogger(lines) });
    try {
      const body = { ...oaText(oa, 'oa-log-1', 'x'), event_name: 'E'.repeat(100_000) };
      expect((await deliverOA(oaBot, body, { signature: 'a'.repeat(64) })).status).toBe(401);
      const signed = { ...oaText(oa, 'oa-log-2', 'x'), event_name: 'F'.repeat(100_000) };
      expect((await deliverOA(oaBot, signed)).status).toBe(200);
    } finally {
      await oaBot.stop();
    }
    const all = lines.join('\n');
    expect(all).toContain('signature mismatch');
    expect(all).not.toMatch(/E{20}/);
    expect(all).not.toMatch(/F{65}/);
    for (const l of lines) expect(l.length).toBeLessThan(2000);
  });

  it('the project logger caps any string, however large', async () => {
    const { createLogger } = await import('../../src/log');
    const lines: string[] = [];
    const log = createLogger('info', new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
    log.warn(
      { header: 'h'.repeat(5_000_000), nested: { list: ['n'.repeat(100_000)] }, err: new Error('m'.repeat(100_000)) },
      'x'.repeat(100_000),
    );
    await new Promise((r) => setImmediate(r));
    expect(lines).toHaveLength(1);
    expect(lines[0].length).toBeLessThan(8_000);
    const rec = JSON.parse(lines[0]) as { header: string; err: { type: string; message: string } };
    expect(rec.header).toMatch(/^h{500}… \[5000000 chars\]$/);
    expect(rec.err.type).toBe('Error');
  });
});

describe('finding 16: deeply nested JSON in a Zalo Bot update', () => {
  const nested = (depth: number) => `${'{"result":'.repeat(depth)}{}${'}'.repeat(depth)}`;

  it('is answered 200 and logged, not a RangeError and a 500 that Zalo would redeliver', async () => {
    const bot = createZaloBot(fx.config, fx.core());
    const body = nested(20_000);
    expect(body.length).toBeLessThan(256 * 1024);
    const res = await bot.webhookHandler(
      new Request('http://127.0.0.1/hooks/zalo', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-bot-api-secret-token': ZB_SECRET },
        body,
      }),
    );
    expect(res.status).toBe(200);
    await bot.stop();
  });

  it('through the server as well, and a sane update right after is answered', async () => {
    const post = (body: string) =>
      fetch(`http://127.0.0.1:${port}/hooks/zalo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-bot-api-secret-token': ZB_SECRET },
        body,
      });
    expect((await post(nested(20_000))).status).toBe(200);
    // A display name that is 5,000 nested arrays instead of a string.
    const update = JSON.stringify(
      zaloUpdate({ chatId: 'deep-1', name: 'NAME', text: 'đăng ký tạm trú cần giấy tờ gì' }),
    );
    expect((await post(update.replace('"NAME"', `${'['.repeat(5_000)}${']'.repeat(5_000)}`))).status).toBe(200);
    const [m] = await zb.waitFor('sendMessage', (c) => c.params.chat_id === 'deep-1');
    expect(m.params.text).toContain('tạm trú');
  });
});
