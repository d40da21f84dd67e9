// Security findings 9 (admin without a token), 14 (login lockout) and 15 (/healthz on a locked database) of
// issue 15, against the real app over the fixture corpus.
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config';
import { ConfigError, loadConfig } from '../../src/config';
import { makeFixture, type Fixture } from '../helpers/fixture';
import { appFor, LOCAL, peer } from '../server/helpers';

const TOKEN = 'a-long-admin-token-for-tests-2025';
let fx: Fixture;
beforeAll(async () => {
  fx = await makeFixture({ RATE_LIMIT_PER_MINUTE: '1000' });
});
afterAll(() => fx?.cleanup());

const cfg = (over: Partial<Config>): Config => ({ ...fx.config, ...over });
const form = (token: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ token }).toString(),
});

describe('finding 9: /admin without ADMIN_TOKEN', () => {
  it('opens only when the Host names this machine, even from a loopback peer', async () => {
    const { app } = appFor(fx);
    for (const origin of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000', 'http://LOCALHOST']) {
      expect((await app.request(`${origin}/admin`, {}, LOCAL)).status, origin).toBe(200);
    }
    // DNS rebinding: a page on attacker.example resolves its name to 127.0.0.1; the browser sends Host: attacker.example.
    for (const origin of [
      'http://attacker.example',
      'http://bot.example.org',
      'http://127.0.0.1.nip.io:3000',
      'http://0.0.0.0:3000',
    ]) {
      const res = await app.request(`${origin}/admin/export.csv`, {}, LOCAL);
      expect(res.status, origin).toBe(403);
    }
  });

  it('is refused when any proxy header says the loopback peer is a proxy', async () => {
    const { app } = appFor(fx);
    for (const h of ['via', 'x-forwarded-host', 'x-forwarded-proto', 'forwarded', 'x-real-ip']) {
      expect((await app.request('http://localhost/admin', { headers: { [h]: '1.1 proxy' } }, LOCAL)).status, h).toBe(
        403,
      );
    }
  });

  it('with TRUST_PROXY, the forwarded client must be local too', async () => {
    const { app } = appFor(fx, { config: cfg({ TRUST_PROXY: 1 }) });
    expect(
      (await app.request('http://localhost/admin', { headers: { 'x-forwarded-for': '203.0.113.9' } }, LOCAL)).status,
    ).toBe(403);
    expect(
      (await app.request('http://localhost/admin', { headers: { 'x-forwarded-for': '127.0.0.1' } }, LOCAL)).status,
    ).toBe(200);
  });

  it('ADMIN_TOKEN, when set, must be at least 16 characters', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'short-token' }, { dotenv: false })).toThrow(ConfigError);
    expect(() => loadConfig({ ADMIN_TOKEN: 'short-token' }, { dotenv: false })).toThrow(
      /ADMIN_TOKEN: must be at least 16 characters/,
    );
    expect(loadConfig({ ADMIN_TOKEN: TOKEN }, { dotenv: false }).ADMIN_TOKEN).toBe(TOKEN);
  });
});

describe('finding 14: admin login lockout', () => {
  it('behind a proxy (TRUST_PROXY=1) an attacker locks out only itself, not the admin behind the same proxy', async () => {
    const { app } = appFor(fx, { config: cfg({ ADMIN_TOKEN: TOKEN, TRUST_PROXY: 1 }) });
    const via = (client: string) => ({ headers: { 'x-forwarded-for': client } });
    const login = (token: string, client: string) =>
      app.request(
        '/admin/login',
        { ...form(token), headers: { ...form(token).headers, ...via(client).headers } },
        LOCAL,
      );
    for (let i = 0; i < 12; i++) expect([401, 429]).toContain((await login(`guess ${i}`, '198.51.100.66')).status);
    expect((await login(TOKEN, '198.51.100.66')).status).toBe(429);
    expect((await login(TOKEN, '203.0.113.20')).status).toBe(303);
  });

  it('locks grow with every further failure and then let the right token in', async () => {
    let ms = Date.parse('2026-01-05T08:00:00Z');
    const { app } = appFor(fx, { config: cfg({ ADMIN_TOKEN: TOKEN }), now: () => new Date(ms) });
    const attacker = peer('198.51.100.67');
    for (let i = 0; i < 5; i++)
      expect((await app.request('/admin/login', form(`guess ${i}`), attacker)).status).toBe(401);
    const first = await app.request('/admin/login', form(TOKEN), attacker);
    expect([first.status, first.headers.get('retry-after')]).toEqual([429, '30']);
    ms += 31_000;
    expect((await app.request('/admin/login', form('guess 5'), attacker)).status).toBe(401);
    const second = await app.request('/admin/login', form(TOKEN), attacker);
    expect([second.status, second.headers.get('retry-after')]).toEqual([429, '60']);
    ms += 61_000;
    expect((await app.request('/admin/login', form(TOKEN), attacker)).status).toBe(303);
  });

  it("10,001 other addresses failing once do not clear the table (and with it the attacker's lock)", async () => {
    const { app } = appFor(fx, { config: cfg({ ADMIN_TOKEN: TOKEN }) });
    const attacker = peer('198.51.100.68');
    for (let i = 0; i < 10; i++) await app.request('/admin/login', form(`guess ${i}`), attacker);
    expect((await app.request('/admin/login', form(TOKEN), attacker)).status).toBe(429);
    for (let i = 0; i <= 10_000; i++)
      await app.request('/admin/login', form('x'), peer(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`));
    expect((await app.request('/admin/login', form(TOKEN), attacker)).status).toBe(429);
  }, 120_000);
});

describe('finding 15: /healthz on a locked attendance database', () => {
  it('answers at once, "degraded" (200), while another connection holds the write lock', async () => {
    const other = new Database(path.join(fx.config.dataDir, 'attendance.db'));
    other.exec('BEGIN IMMEDIATE');
    try {
      const res = await appFor(fx).app.request('/healthz');
      const body = (await res.json()) as { status: string; reason: string };
      expect(res.status).toBe(200);
      expect(body.status).toBe('degraded');
      expect(body.reason).toContain('locked');
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const after = (await (await appFor(fx).app.request('/healthz')).json()) as { status: string };
    expect(after.status).toBe('ok');
  });
});
