// End to end in Debian's Chromium: the web console (question, sources, 👍, check-in) and the dashboard (login,
// check-in and feedback visible, CSV download). Saves docs/screenshots/console.png and dashboard.png.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixture, type Fixture } from '../helpers/fixture';
import { appFor, chat, openSession } from '../server/helpers';

const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'e2e-admin-token-2025';
const TRAINER = 'e2e-trainer-0001';
const SHOTS = path.resolve(import.meta.dirname, '../../docs/screenshots');

let fx: Fixture;
let server: Server;
let base: string;
let browser: Browser;
let t: ReturnType<typeof appFor>;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: install it with "apt-get install -y chromium" (CI installs it).`);
  }
  fx = await makeFixture({ ADMIN_TOKEN: TOKEN, TRAINER_IDS: `web:${TRAINER}`, RATE_LIMIT_PER_MINUTE: '1000' });
  t = appFor(fx);
  server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server)) as Server;
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  fx?.cleanup();
});

describe('in Chromium', () => {
  it('asks a question, sees the answer with its sources, votes 👍 and checks in', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'vi-VN' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined));
    await page.goto(base);
    expect(await page.locator('footer.disclaimer').textContent()).toContain('đối chiếu văn bản chính thức');

    await page.fill('#question', 'lệ phí đăng ký tạm trú bao nhiêu?');
    await page.press('#question', 'Enter');
    const answer = page.locator('article.msg.bot:not(.welcome):not(.typing)').last();
    await answer.locator('details.sources').waitFor();
    expect(await answer.locator('p.text').first().textContent()).toContain('tạm trú');
    const summary = answer.locator('details.sources summary');
    expect(await summary.textContent()).toMatch(/^Nguồn \(\d+\)$/);
    await summary.click();
    const firstSource = answer.locator('details.sources li').first();
    await firstSource.waitFor({ state: 'visible' });
    expect(await firstSource.locator('.src-title').textContent()).toMatch(/tạm trú/i);

    await answer.locator('.chip.vote').first().click();
    await answer.locator('.chip.done').waitFor();
    expect(await answer.locator('.chip.done').textContent()).toBe('Đã ghi nhận: 👍');
    await page.locator('#toast').waitFor({ state: 'visible' });
    expect(await page.locator('#toast').textContent()).toBe('Cảm ơn bạn đã góp ý!');
    await page.locator('#toast').waitFor({ state: 'hidden' });
    await page.locator('article.msg.user').last().evaluate((el) => el.scrollIntoView({ block: 'start', behavior: 'instant' }));
    await page.screenshot({ path: path.join(SHOTS, 'console.png') });

    const code = await openSession(t.app, 'Lớp kỹ năng số thôn 3', TRAINER);
    await page.fill('#question', `dd ${code} Nguyễn Văn An`);
    await page.click('#send');
    await page.locator('article.msg.bot p.text', { hasText: '✅ Đã điểm danh: Nguyễn Văn An' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('logs into the dashboard, sees the check-in and the feedback, and downloads the CSV', async () => {
    // A second check-in through the chat API, so that the chart has something to compare.
    const code2 = await openSession(t.app, 'Lớp an toàn thông tin', TRAINER);
    for (const [i, name] of ['Trần Thị Bình', 'Lê Văn Cường', 'Phạm Thị Dung'].entries()) {
      await chat(t.app, { sessionId: `e2e-trainee-${i}-0001`, text: `dd ${code2} ${name}` });
    }
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${base}/admin`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await page.fill('#token', 'not the token');
    await page.click('button[type=submit]');
    expect(await page.locator('.error').textContent()).toContain('Mã quản trị không đúng');
    await page.fill('#token', TOKEN);
    await Promise.all([page.waitForURL(`${base}/admin`), page.click('button[type=submit]')]);

    expect(await page.locator('h1').textContent()).toBe('Bảng điều khiển điểm danh');
    expect(await page.locator('#checkins').textContent()).toContain('Nguyễn Văn An');
    expect(await page.locator('#feedback').textContent()).toContain('👍 Hữu ích');
    expect(await page.locator('#feedback').textContent()).toContain('lệ phí đăng ký tạm trú bao nhiêu?');
    expect(await page.locator('svg.chart rect.bar').count()).toBe(2);
    await page.screenshot({ path: path.join(SHOTS, 'dashboard.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[href^="/admin/export.csv"]')]);
    expect(download.suggestedFilename()).toMatch(/^diem-danh-.*\.csv$/);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.subarray(3).toString('utf8');
    expect(csv.split('\r\n')[0]).toBe('Lớp,Mã buổi,Mở lúc,Họ tên,Kênh,Thời gian điểm danh');
    expect(csv).toMatch(/Lớp kỹ năng số thôn 3,[A-Z0-9]+,[^,]+,Nguyễn Văn An,web,/);
    expect(csv).toContain(`,${code2},`);
    expect(csv.trim().split('\r\n')).toHaveLength(5);

    await page.click('text=Đăng xuất');
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await context.close();
  }, 120_000);

  it('lists the documents with their validity, and marks a source from a repealed law', async () => {
    const law = 'luat-to-chuc-chinh-quyen-dia-phuong-2015.txt';
    const repo = path.resolve(import.meta.dirname, '../..');
    const files = Object.fromEntries([law, `${law}.meta.yaml`].map((f) => [`van-ban/${f}`, path.join(repo, 'corpus/van-ban', f)]));
    const legal = await makeFixture({ RATE_LIMIT_PER_MINUTE: '1000' }, { files });
    const app = appFor(legal).app;
    const s2 = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server)) as Server;
    });
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
    try {
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${(s2.address() as AddressInfo).port}`);
      await page.click('.chip:has-text("Văn bản và hiệu lực")');
      const list = page.locator('article.msg.bot p.text', { hasText: 'Văn bản pháp luật trong dữ liệu' });
      await list.waitFor();
      expect(await list.textContent()).toContain('Hết hiệu lực:\n• Luật Tổ chức chính quyền địa phương số 77/2015/QH13');

      await page.fill('#question', 'thường trực hội đồng nhân dân huyện gồm những ai');
      await page.press('#question', 'Enter');
      const answer = page.locator('article.msg.bot', { hasText: 'hiện áp dụng' }).last();
      await answer.locator('details.sources').waitFor();
      expect(await answer.locator('p.text').first().textContent()).toMatch(/^⚠️ Luật 77\/2015\/QH13 đã hết hiệu lực từ 01\/3\/2025/);
      await answer.locator('details.sources summary').click();
      expect(await answer.locator('.src-status').first().textContent()).toBe('Tình trạng: hết hiệu lực từ 01/3/2025');
    } finally {
      await context.close();
      await new Promise<void>((resolve) => s2.close(() => resolve()));
      legal.cleanup();
    }
  }, 120_000);
});
