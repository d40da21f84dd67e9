// /admin: localhost-only without ADMIN_TOKEN, login with it, dashboard content, CSV/XLSX exports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixture, type Fixture } from '../helpers/fixture';
import { appFor, chat, LOCAL, openSession, peer, REMOTE, TRAINER_SESSION, type TestApp } from './helpers';

const TOKEN = 'correct horse battery staple 42';
let fx: Fixture;
let open: TestApp;
let guarded: TestApp;
let code: string;

beforeAll(async () => {
  fx = await makeFixture({ TRAINER_IDS: `web:${TRAINER_SESSION}`, RATE_LIMIT_PER_MINUTE: '1000' });
  open = appFor(fx);
  guarded = appFor(fx, { config: { ...fx.config, ADMIN_TOKEN: TOKEN } });
  code = await openSession(open.app, 'Lớp kỹ năng số thôn 3');
  const r1 = await chat(open.app, { sessionId: 'trainee-an-0001', text: `dd ${code} Nguyễn Văn An` });
  expect(r1.json.text).toMatch(/^✅ Đã điểm danh: Nguyễn Văn An/);
  await chat(open.app, { sessionId: 'trainee-xss-0001', text: `dd ${code} Bình <img src=x onerror=alert(1)>` });
  const q = await chat(open.app, { sessionId: 'voter-session-01', text: 'đăng ký khai sinh cần gì' });
  await chat(open.app, {
    sessionId: 'voter-session-01',
    action: { type: 'vote', answerId: q.json.answerId, vote: 'down' },
  });
});
afterAll(() => fx?.cleanup());

const form = (token: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ token }).toString(),
});

describe('/admin without ADMIN_TOKEN', () => {
  it('is 403 with an explanation from another machine', async () => {
    for (const path of ['/admin', '/admin/export.csv', '/admin/export.xlsx']) {
      const res = await open.app.request(path, {}, REMOTE);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('ADMIN_TOKEN');
    }
  });

  it('is 403 when the peer is unknown or a local reverse proxy forwards the request', async () => {
    expect((await open.app.request('/admin')).status).toBe(403);
    expect((await open.app.request('/admin', { headers: { 'x-forwarded-for': '198.51.100.4' } }, LOCAL)).status).toBe(
      403,
    );
  });

  it('opens from localhost (IPv4, IPv6 and mapped IPv4)', async () => {
    for (const addr of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      expect((await open.app.request('/admin', {}, peer(addr))).status).toBe(200);
    }
  });

  it('shows classes, sessions, check-ins, the chart and the feedback log, with user text escaped', async () => {
    const html = await (await open.app.request('/admin', {}, LOCAL)).text();
    expect(html).toContain('Bảng điều khiển điểm danh');
    expect(html).toContain('Lớp kỹ năng số thôn 3');
    expect(html).toContain(code);
    expect(html).toContain(`web:${TRAINER_SESSION}`);
    expect(html).toContain('Nguyễn Văn An');
    expect(html).toContain('<svg class="chart wide"');
    expect(html).toContain('Đang mở');
    expect(html).toContain('👎 Chưa tốt');
    expect(html).toContain('đăng ký khai sinh cần gì');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('Đăng xuất');
  });

  it('filters by code and refuses a bad filter with 400', async () => {
    expect(await (await open.app.request(`/admin?code=${code.toLowerCase()}`, {}, LOCAL)).text()).toContain(
      'Nguyễn Văn An',
    );
    expect(await (await open.app.request('/admin?code=ZZZZ', {}, LOCAL)).text()).not.toContain('Nguyễn Văn An');
    const bad = await open.app.request('/admin?from=2025-13-40', {}, LOCAL);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Ngày không hợp lệ');
  });

  it('exports CSV with a BOM, a header and the rows', async () => {
    const res = await open.app.request(`/admin/export.csv?code=${code}`, {}, LOCAL);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="diem-danh-[a-z0-9-]+\.csv"/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toBe('Lớp,Mã buổi,Mở lúc,Họ tên,Kênh,Thời gian điểm danh');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(
      new RegExp(`^Lớp kỹ năng số thôn 3,${code},\\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d,Nguyễn Văn An,web,`),
    );
  });

  it('exports XLSX and honours the date range', async () => {
    const res = await open.app.request('/admin/export.xlsx', {}, LOCAL);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    const empty = await open.app.request('/admin/export.csv?from=2020-01-01&to=2020-01-31', {}, LOCAL);
    expect(
      Buffer.from(await empty.arrayBuffer())
        .subarray(3)
        .toString('utf8')
        .trim()
        .split('\r\n'),
    ).toHaveLength(1);
    expect((await open.app.request('/admin/export.csv?from=2025-02-01&to=2025-01-01', {}, LOCAL)).status).toBe(400);
  });
});

describe('/admin with ADMIN_TOKEN', () => {
  it('sends visitors without a session to the login form, and exports answer 401', async () => {
    const res = await guarded.app.request('/admin', {}, LOCAL);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/admin/login');
    const login = await guarded.app.request('/admin/login', {}, REMOTE);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('Mã quản trị');
    expect((await guarded.app.request('/admin/export.csv', {}, REMOTE)).status).toBe(401);
  });

  it('refuses a wrong token with 401 and sets no cookie', async () => {
    const res = await guarded.app.request('/admin/login', form('wrong token'), REMOTE);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Mã quản trị không đúng');
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('logs in with the right token (signed HttpOnly SameSite=Strict cookie), then logs out', async () => {
    const res = await guarded.app.request('/admin/login', form(TOKEN), REMOTE);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin');
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\/admin/);
    expect(setCookie).not.toContain(encodeURIComponent(TOKEN));
    expect(setCookie).not.toContain(TOKEN);
    const cookie = setCookie.split(';')[0];

    const page = await guarded.app.request('/admin', { headers: { cookie } }, REMOTE);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Nguyễn Văn An');
    expect(html).toContain('Đăng xuất');
    expect((await guarded.app.request('/admin/export.csv', { headers: { cookie } }, REMOTE)).status).toBe(200);

    const forged = cookie.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A'));
    expect((await guarded.app.request('/admin', { headers: { cookie: forged } }, REMOTE)).status).toBe(302);

    const out = await guarded.app.request('/admin/logout', { method: 'POST', headers: { cookie } }, REMOTE);
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await guarded.app.request('/admin', { headers: { cookie } }, REMOTE)).status).toBe(302);
  });

  it('slows down repeated wrong tokens with 429 (five free tries, then a lock with Retry-After)', async () => {
    const attacker = peer('198.51.100.99');
    for (let i = 0; i < 5; i++)
      expect((await guarded.app.request('/admin/login', form(`guess ${i}`), attacker)).status).toBe(401);
    const locked = await guarded.app.request('/admin/login', form(TOKEN), attacker);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('30');
    expect(await locked.text()).toContain('thử lại sau 30 giây');
  });
});
