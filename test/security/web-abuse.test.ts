// Security findings 3, 4, 10 and 17 of issue 15: what one client of the web console can do by rotating its
// browser-chosen session id. The real app over the fixture corpus, driven with the peer address Node would pass.
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config';
import type { AppEnv } from '../../src/server/types';
import { makeFixture, type Fixture } from '../helpers/fixture';
import { appFor, peer, TRAINER_SESSION, type ChatJson } from '../server/helpers';

let fx: Fixture;
afterAll(() => fx?.cleanup());
beforeAll(async () => {
  fx = await makeFixture({ TRAINER_IDS: `web:${TRAINER_SESSION}`, RATE_LIMIT_PER_MINUTE: '1000' });
});

/** The fixture's configuration with some settings changed. */
const cfg = (over: Partial<Config>): Config => ({ ...fx.config, ...over });

let nextSession = 0;
const rotated = () => `rotated-session-${String(++nextSession).padStart(6, '0')}`;

async function chatFrom(
  app: Hono<AppEnv>,
  addr: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: ChatJson }> {
  const res = await app.request(
    '/api/chat',
    { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) },
    peer(addr),
  );
  return { status: res.status, json: (await res.json()) as ChatJson };
}

/** An app whose per-address message limit is out of the way (the code throttle is what is tested). */
function codeApp(): Hono<AppEnv> {
  return appFor(fx, { config: cfg({ RATE_LIMIT_PER_ADDRESS_PER_MINUTE: 100_000 }) }).app;
}

async function open(app: Hono<AppEnv>, name: string): Promise<string> {
  const { json } = await chatFrom(app, '10.0.0.1', { sessionId: TRAINER_SESSION, text: `/mo ${name} 60` });
  return /Mã điểm danh: (\S+)/.exec(json.text)![1];
}

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
/** The i-th 8-character code starting with a digit (so it reads as a code) that is not `code`. */
function otherCode(code: string, i: number): string {
  let s = '9';
  for (let n = i, k = 0; k < 7; k++, n = Math.floor(n / 31)) s += ALPHABET[n % 31];
  return s === code ? otherCode(code, i + 1_000_000) : s;
}

describe('finding 3: guessing attendance codes from the web console', () => {
  it('codes are 8 characters of the 31-symbol alphabet', async () => {
    const code = await open(codeApp(), 'Lớp độ dài mã');
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
  });

  it('one address rotating session ids is stopped after 10 wrong codes, even when the 11th is right', async () => {
    const app = codeApp();
    const code = await open(app, 'Lớp bị dò mã');
    const attacker = '198.51.100.23';
    for (let i = 0; i < 10; i++) {
      const { json } = await chatFrom(app, attacker, { sessionId: rotated(), text: `dd ${otherCode(code, i)} Kẻ Giả` });
      expect(json.text).toContain('không đúng hoặc đã hết hạn');
    }
    const hit = await chatFrom(app, attacker, { sessionId: rotated(), text: `dd ${code} Kẻ Giả` });
    expect(hit.json.text).toContain('nhập sai mã điểm danh nhiều lần');
    expect(hit.json.text).not.toContain('Đã điểm danh');
    // A learner elsewhere is not affected.
    const learner = await chatFrom(app, '203.0.113.50', { sessionId: rotated(), text: `dd ${code} Nguyễn Văn An` });
    expect(learner.json.text).toMatch(/^✅ Đã điểm danh: Nguyễn Văn An/);
    const rows = await fx.attendance.store.exportRows({ code });
    expect(rows.map((r) => r.name)).toEqual(['Nguyễn Văn An']);
  });

  it('an IPv6 client cannot escape by changing addresses inside its /56', async () => {
    const app = codeApp();
    const code = await open(app, 'Lớp IPv6');
    for (let i = 0; i < 10; i++)
      await chatFrom(app, `2001:db8:aa:bb${(i % 16).toString(16)}0::${i + 1}`, {
        sessionId: rotated(),
        text: `dd ${otherCode(code, i)}`,
      });
    const hit = await chatFrom(app, '2001:db8:aa:bbff::77', { sessionId: rotated(), text: `dd ${code}` });
    expect(hit.json.text).toContain('nhập sai mã điểm danh nhiều lần');
  });

  it('many addresses together: past the global budget only clients that have not failed may still try', async () => {
    const app = codeApp();
    const code = await open(app, 'Lớp bị dò từ nhiều máy');
    // Budget: 20 failed attempts per minute per open session (at least 20). Spend it from many addresses.
    const open_ = await fx.attendance.store.countOpenSessions(Date.now());
    const budget = Math.min(600, Math.max(20, 20 * open_));
    for (let i = 0; i < budget; i++)
      await chatFrom(app, `198.18.${Math.floor(i / 200)}.${i % 200}`, {
        sessionId: rotated(),
        text: `dd ${otherCode(code, i)}`,
      });
    // A botnet member that already failed is refused, even with the right code...
    const again = await chatFrom(app, '198.18.0.1', { sessionId: rotated(), text: `dd ${code} Giả` });
    expect(again.json.text).toContain('quá nhiều mã điểm danh sai');
    // ...while a learner typing the right code first time still checks in.
    const learner = await chatFrom(app, '203.0.113.51', { sessionId: rotated(), text: `dd ${code} Trần Thị Bình` });
    expect(learner.json.text).toMatch(/^✅ Đã điểm danh: Trần Thị Bình/);
  });

  it('a wrong, closed or expired code is answered without any class name', async () => {
    const app = codeApp();
    const code = await open(app, 'Lớp Bí Mật Thôn 9');
    await chatFrom(app, '10.0.0.1', { sessionId: TRAINER_SESSION, text: `/dong ${code}` });
    const closed = await chatFrom(app, '203.0.113.60', { sessionId: rotated(), text: `dd ${code}` });
    const wrong = await chatFrom(app, '203.0.113.61', { sessionId: rotated(), text: `dd ${otherCode(code, 7)}` });
    for (const r of [closed, wrong]) {
      expect(r.json.text).toContain('không đúng hoặc đã hết hạn');
      expect(r.json.text).not.toContain('Bí Mật');
    }
  });
});

describe('finding 4: questions are limited per address as well as per user', () => {
  it('rotating session ids from one address stops being answered at RATE_LIMIT_PER_ADDRESS_PER_MINUTE', async () => {
    const { app } = appFor(fx, { config: cfg({ RATE_LIMIT_PER_ADDRESS_PER_MINUTE: 20 }) });
    let answered = 0;
    for (let i = 0; i < 30; i++) {
      const { json } = await chatFrom(app, '198.51.100.77', {
        sessionId: rotated(),
        text: 'đăng ký tạm trú cần giấy tờ gì',
      });
      if (json.answerId) answered++;
      else expect(json.text).toContain('Bạn đang gửi hơi nhanh');
    }
    expect(answered).toBe(20);
    // Someone else is still answered.
    expect(
      (await chatFrom(app, '203.0.113.70', { sessionId: rotated(), text: 'đăng ký tạm trú cần giấy tờ gì' })).json
        .answerId,
    ).toBeTruthy();
  });

  it('X-Forwarded-For is ignored unless TRUST_PROXY says how many proxies to trust', async () => {
    const direct = appFor(fx, { config: cfg({ RATE_LIMIT_PER_ADDRESS_PER_MINUTE: 3 }) }).app;
    let answered = 0;
    for (let i = 0; i < 6; i++) {
      const { json } = await chatFrom(
        direct,
        '198.51.100.78',
        { sessionId: rotated(), text: 'chứng thực bản sao ở đâu' },
        { 'x-forwarded-for': `192.0.2.${i}` },
      );
      if (json.answerId) answered++;
    }
    expect(answered).toBe(3); // spoofed headers did not make six clients out of one

    const proxied = appFor(fx, { config: cfg({ RATE_LIMIT_PER_ADDRESS_PER_MINUTE: 3, TRUST_PROXY: 1 }) }).app;
    answered = 0;
    for (let i = 0; i < 6; i++) {
      // Behind one proxy: the client wrote the left entry, our proxy appended the real address on the right.
      const { json } = await chatFrom(
        proxied,
        '127.0.0.1',
        { sessionId: rotated(), text: 'chứng thực bản sao ở đâu' },
        { 'x-forwarded-for': `6.6.6.${i}, 192.0.2.${i}` },
      );
      if (json.answerId) answered++;
    }
    expect(answered).toBe(6);
    for (let i = 0; i < 3; i++) {
      await chatFrom(
        proxied,
        '127.0.0.1',
        { sessionId: rotated(), text: 'chứng thực bản sao ở đâu' },
        { 'x-forwarded-for': `6.6.6.${i}, 192.0.2.200` },
      );
    }
    const fourth = await chatFrom(
      proxied,
      '127.0.0.1',
      { sessionId: rotated(), text: 'chứng thực bản sao ở đâu' },
      { 'x-forwarded-for': 'any, 192.0.2.200' },
    );
    expect(fourth.json.answerId).toBeUndefined();
  });
});

describe('finding 10: feedback votes', () => {
  it('a vote on an answer id that was never given is refused and not stored', async () => {
    const { app } = appFor(fx);
    const before = (await fx.feedback.stats()).total;
    for (let i = 0; i < 50; i++) {
      const { json } = await chatFrom(app, '198.51.100.90', {
        sessionId: rotated(),
        action: { type: 'vote', answerId: `made${i}up`, vote: 'down' },
      });
      expect(json.notice).toContain('không ghi nhận');
    }
    expect((await fx.feedback.stats()).total).toBe(before);
  });

  it('only the chat that received an answer may vote on it, once (a second vote replaces the first)', async () => {
    const { app } = appFor(fx);
    const owner = rotated();
    const q = await chatFrom(app, '203.0.113.91', { sessionId: owner, text: 'đăng ký khai sinh cần gì' });
    const id = q.json.answerId!;
    const before = await fx.feedback.stats();
    for (let i = 0; i < 20; i++)
      await chatFrom(app, '198.51.100.91', {
        sessionId: rotated(),
        action: { type: 'vote', answerId: id, vote: 'down' },
      });
    expect((await fx.feedback.stats()).total).toBe(before.total);
    await chatFrom(app, '203.0.113.91', { sessionId: owner, action: { type: 'vote', answerId: id, vote: 'down' } });
    await chatFrom(app, '203.0.113.91', { sessionId: owner, action: { type: 'vote', answerId: id, vote: 'up' } });
    const after = await fx.feedback.stats();
    expect(after.total).toBe(before.total + 1);
    expect(after.up).toBe(before.up + 1);
  });

  it('button taps are rate-limited per address', async () => {
    const { app } = appFor(fx, { config: cfg({ RATE_LIMIT_PER_ADDRESS_PER_MINUTE: 10 }) });
    const notices: string[] = [];
    for (let i = 0; i < 40; i++)
      notices.push(
        (await chatFrom(app, '198.51.100.92', { sessionId: rotated(), action: { type: 'catalog' } })).json.notice ?? '',
      );
    expect(notices.filter((n) => n.includes('bấm hơi nhanh'))).toHaveLength(20);
  });
});

describe('finding 17: /api/chat takes JSON only', () => {
  it.each([
    ['text/plain', 'text/plain;charset=UTF-8'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['multipart', 'multipart/form-data; boundary=x'],
    ['no type', ''],
  ])('refuses %s with 415', async (_, type) => {
    const { app } = appFor(fx);
    const headers: Record<string, string> = type ? { 'content-type': type } : {};
    const res = await app.request(
      '/api/chat',
      { method: 'POST', headers, body: JSON.stringify({ sessionId: rotated(), text: 'xin chào' }) },
      peer('203.0.113.5'),
    );
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: string }).error).toContain('application/json');
  });

  it('accepts application/json with a charset', async () => {
    const { app } = appFor(fx);
    const res = await app.request(
      '/api/chat',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ sessionId: rotated(), text: 'xin chào' }),
      },
      peer('203.0.113.5'),
    );
    expect(res.status).toBe(200);
  });
});
