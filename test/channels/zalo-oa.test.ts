// Zalo Official Account end to end: signed webhook events in, message/cs out through the fake OA, token refresh
// with rotation persisted in DATA_DIR/zalo-oa.db. The real chat core answers over the fixture corpus.
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZaloOA, type ZaloOA } from '../../src/channels/zalo-oa';
import { FakeZaloOA, oaText } from '../fakes/zalo-oa-server';
import { makeFixture, type Fixture } from '../helpers/fixture';

let fake: FakeZaloOA;
let fx: Fixture;
let oa: ZaloOA;

beforeAll(async () => {
  fake = await FakeZaloOA.start();
  fx = await makeFixture(fake.env());
  oa = createZaloOA(fx.config, fx.core(), { retryBaseMs: 50 });
  await oa.start();
});

afterAll(async () => {
  await oa?.stop();
  await fake?.close();
  fx?.cleanup();
});

function deliver(
  target: ZaloOA,
  body: Record<string, unknown>,
  opts: Parameters<FakeZaloOA['event']>[1] = {},
): Promise<Response> {
  const { raw, headers } = fake.event(body, opts);
  return target.webhookHandler(
    new Request(`http://127.0.0.1${target.webhookPath}`, { method: 'POST', headers, body: raw }),
  );
}

async function ask(userId: string, text: string, n = 1): Promise<string[]> {
  const before = fake.textsTo(userId).length;
  expect((await deliver(oa, oaText(fake, userId, text))).status).toBe(200);
  return (await fake.waitForTexts(userId, before + n)).slice(before);
}

const storedPair = () => {
  const db = new Database(path.join(fx.config.dataDir, 'zalo-oa.db'), { readonly: true });
  try {
    return db.prepare('SELECT access_token, refresh_token, expires_at FROM oa_tokens').all() as {
      access_token: string;
      refresh_token: string;
      expires_at: number | null;
    }[];
  } finally {
    db.close();
  }
};

describe('Zalo OA', () => {
  it('answers a signed user_send_text through message/cs with the access_token header', async () => {
    const [m] = await ask('oa-u1', 'làm giấy khai sinh cho con cần những gì');
    expect(m).toContain('Đăng ký khai sinh');
    expect(m).toContain('Nguồn:');
    expect(m).toContain('Gõ 👍 hoặc 👎');
    const [call] = fake.sends((c) => c.body.recipient?.user_id === 'oa-u1');
    expect(call.headers['access_token']).toBe('at-0');
    expect(call.body).toEqual({ recipient: { user_id: 'oa-u1' }, message: { text: m } });
    expect(oa.webhookPath).toBe('/webhooks/zalo-oa');
  });

  it('accepts the signature with or without "mac=" and rejects bad or missing signatures with 401', async () => {
    expect((await deliver(oa, oaText(fake, 'oa-u2', 'start'), { prefix: false })).status).toBe(200);
    await fake.waitForTexts('oa-u2');
    const forged = oaText(fake, 'oa-u3', 'start');
    expect((await deliver(oa, forged, { signature: 'a'.repeat(64) })).status).toBe(401);
    expect((await deliver(oa, forged, { signature: null })).status).toBe(401);
    // Signed for another body: the text was changed in transit.
    const { headers } = fake.event(forged);
    const tampered = JSON.stringify({ ...forged, message: { text: '/help', msg_id: 'x' } });
    const res = await oa.webhookHandler(
      new Request('http://127.0.0.1/webhooks/zalo-oa', { method: 'POST', headers, body: tampered }),
    );
    expect(res.status).toBe(401);
    await fake.settle(100);
    expect(fake.sends((c) => c.body.recipient?.user_id === 'oa-u3')).toHaveLength(0);
  });

  it('verifies signatures with ZALO_OA_WEBHOOK_SECRET_KEY when the OA webhook key differs from the app secret', async () => {
    const config = { ...fx.config, ZALO_OA_WEBHOOK_SECRET_KEY: 'webhook-only-key' };
    const other = createZaloOA(config, fx.core(), { retryBaseMs: 50, dataDir: fx.config.dataDir });
    const ev = oaText(fake, 'oa-u9', 'start');
    expect((await deliver(other, ev, { key: 'webhook-only-key' })).status).toBe(200);
    expect((await deliver(other, oaText(fake, 'oa-u9', 'help'))).status).toBe(401);
    await fake.waitForTexts('oa-u9');
    await other.stop();
  });

  it('acknowledges before answering, answers a redelivered msg_id once, and ignores other events', async () => {
    const ev = oaText(fake, 'oa-u4', 'đăng ký tạm trú cần gì');
    const t0 = Date.now();
    const res = await deliver(oa, ev);
    const ackAt = Date.now();
    expect(res.status).toBe(200);
    expect(ackAt - t0).toBeLessThan(2000);
    expect(fake.sends((c) => c.body.recipient?.user_id === 'oa-u4')).toHaveLength(0); // nothing sent yet
    expect((await deliver(oa, ev)).status).toBe(200);
    const [sent] = await fake.waitFor((c) => c.body.recipient?.user_id === 'oa-u4');
    expect(sent.at).toBeGreaterThanOrEqual(ackAt);
    expect((await deliver(oa, { ...ev, event_name: 'follow', message: undefined })).status).toBe(200);
    expect((await deliver(oa, { ...oaText(fake, 'oa-u4', 'x'), event_name: 'user_send_sticker' })).status).toBe(200);
    await fake.settle();
    expect(fake.textsTo('oa-u4')).toHaveLength(1);
  });

  it('maps a typed 👍 to the feedback of the last answer', async () => {
    await ask('oa-u5', 'đăng ký tạm trú cần gì');
    expect(await ask('oa-u5', '👍')).toEqual(['Cảm ơn bạn đã góp ý!']);
    expect(fx.feedback.list({ limit: 1 })[0]).toMatchObject({ vote: 'up', channel: 'zalo-oa', userId: 'oa-u5' });
  });

  it('refreshes an expired token exactly once and retries the send', async () => {
    fake.expireAccessToken();
    const before = fake.refreshes().length;
    const [m] = await ask('oa-u6', '/start');
    expect(m).toContain('Xin chào');
    const refreshes = fake.refreshes().slice(before);
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0].headers['secret_key']).toBe(fake.secretKey);
    expect(refreshes[0].headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(refreshes[0].body).toEqual({ refresh_token: 'rt-0', app_id: fake.appId, grant_type: 'refresh_token' });
    const attempts = fake
      .sends((c) => c.body.recipient?.user_id === 'oa-u6')
      .map((c) => [c.headers['access_token'], c.answer.error]);
    expect(attempts).toEqual([
      ['at-0', -220],
      ['at-1', 0],
    ]);
    const [row] = storedPair();
    expect(row).toMatchObject({ access_token: 'at-1', refresh_token: 'rt-1' });
    expect(row.expires_at).toBeGreaterThan(Date.now() + 24 * 3600_000);
  });

  it('shares one refresh among concurrent expiries', async () => {
    fake.expireAccessToken();
    const before = fake.refreshes().length;
    const users = ['oa-c1', 'oa-c2', 'oa-c3', 'oa-c4'];
    await Promise.all(users.map((u) => deliver(oa, oaText(fake, u, '/help'))));
    for (const u of users) expect((await fake.waitForTexts(u))[0]).toContain('Hướng dẫn sử dụng');
    expect(fake.refreshes().slice(before)).toHaveLength(1);
    expect(fake.refreshes().every((c) => c.answer.access_token)).toBe(true);
    // The expiries really overlapped: several sends were refused before the one refresh finished.
    const refused = fake.sends((c) => users.includes(c.body.recipient?.user_id) && c.answer.error === -220);
    expect(refused.length).toBeGreaterThanOrEqual(2);
  });

  it('does not retry a user outside the messaging window (-230)', async () => {
    fake.blocked.set('oa-u7', -230);
    const before = fake.refreshes().length;
    expect((await deliver(oa, oaText(fake, 'oa-u7', '/start'))).status).toBe(200);
    await fake.waitFor((c) => c.body.recipient?.user_id === 'oa-u7');
    await fake.settle();
    expect(fake.sends((c) => c.body.recipient?.user_id === 'oa-u7')).toHaveLength(1);
    expect(fake.refreshes().length).toBe(before);
  });

  it('backs off and retries when rate limited (-32)', async () => {
    fake.rateLimitNext = 2;
    const [m] = await ask('oa-u8', '/start');
    expect(m).toContain('Xin chào');
    const tries = fake.sends((c) => c.body.recipient?.user_id === 'oa-u8');
    expect(tries.map((c) => c.answer.error)).toEqual([-32, -32, 0]);
    expect(tries[2].at - tries[0].at).toBeGreaterThanOrEqual(50 + 100 - 10);
  });

  it('splits long answers at 2,000 characters', async () => {
    const parts = await ask('oa-u9', 'hồ sơ đăng ký khai sinh gồm những gì');
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(2000);
  });
});

describe('Zalo OA token rotation across restarts', () => {
  it('a new adapter on the same DATA_DIR uses the rotated refresh token, not the one in the environment', async () => {
    await oa.stop();
    const rotated = fake.refreshToken;
    expect(rotated).not.toBe('rt-0');
    expect(storedPair()[0].refresh_token).toBe(rotated);
    // Same environment (still rt-0), fresh instance: the stored pair wins.
    oa = createZaloOA(fx.config, fx.core(), { retryBaseMs: 50 });
    await oa.start();
    fake.expireAccessToken();
    const before = fake.refreshes().length;
    const [m] = await ask('oa-r1', '/start');
    expect(m).toContain('Xin chào');
    const [refresh] = fake.refreshes().slice(before);
    expect(refresh.body.refresh_token).toBe(rotated);
    expect(refresh.answer.access_token).toBeTruthy();
    expect(storedPair()[0].refresh_token).toBe(fake.refreshToken);
  });

  it('refreshes proactively once the stored expiry has passed', async () => {
    fake.expiresIn = '61'; // the client refreshes 60 s before expiry, so this pair is due after 1 s
    fake.expireAccessToken();
    await ask('oa-r2', '/start');
    const before = fake.refreshes().length;
    await new Promise((r) => setTimeout(r, 1100));
    const [m] = await ask('oa-r3', '/start');
    expect(m).toContain('Xin chào');
    expect(fake.refreshes().length).toBe(before + 1);
    // No send was refused: the token was replaced before it was used.
    expect(fake.sends((c) => c.body.recipient?.user_id === 'oa-r3').map((c) => c.answer.error)).toEqual([0]);
  });

  it('re-seeds from the environment when the operator supplies a new pair', async () => {
    await oa.stop();
    fake.accessToken = 'at-new';
    fake.refreshToken = 'rt-new';
    const config = { ...fx.config, ZALO_OA_ACCESS_TOKEN: 'at-new', ZALO_OA_REFRESH_TOKEN: 'rt-new' };
    oa = createZaloOA(config, fx.core({ config }));
    await oa.start();
    await ask('oa-r4', '/start');
    expect(fake.sends((c) => c.body.recipient?.user_id === 'oa-r4')[0].headers['access_token']).toBe('at-new');
  });
});
