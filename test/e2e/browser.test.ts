// End to end in Debian's Chromium, on a phone (390×844) and a desktop: the web console (question, one sources
// block, 👍, retry after a network error, check-in that asks for a name once), a trainer signing in with the bot's
// code and running a class (roster upload, /vang, absent list, matrix), and the admin dashboard.
// Screenshots go to a temporary folder; `npm run screenshots` points SCREENSHOT_DIR at docs/screenshots.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixture, textMsg, type Fixture } from '../helpers/fixture';
import { appFor, chat, openSession } from '../server/helpers';

const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'e2e-admin-token-2025';
const TRAINER = 'e2e-trainer-0001';
const HOA = '7001'; // telegram:7001, a trainer by configuration, who signs in with a code
const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'vi-VN',
};
const ROSTER = [
  'Họ và tên,Số điện thoại,Ngày sinh,Thôn',
  'Nguyễn Văn An,0912345678,03/05/1970,Thôn 3',
  'Trần Thị Bình,0905111222,1965,Thôn 3',
  "H'Hen Niê,0987654321,,Buôn Ko Sier",
  'Lê Văn Cường,,12/11/1982,Thôn 4',
  'Phạm Thị Dung,0977000111,,Thôn 4',
].join('\r\n');

const ownDir = !process.env.SCREENSHOT_DIR;
const SHOTS = process.env.SCREENSHOT_DIR
  ? path.resolve(process.env.SCREENSHOT_DIR)
  : mkdtempSync(path.join(tmpdir(), 'tlhc-shots-'));

let fx: Fixture;
let server: Server;
let base: string;
let browser: Browser;
let t: ReturnType<typeof appFor>;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install it with "apt-get install -y chromium" (CI installs it).`,
    );
  }
  fx = await makeFixture({
    ADMIN_TOKEN: TOKEN,
    TRAINER_IDS: `web:${TRAINER},telegram:${HOA}`,
    RATE_LIMIT_PER_MINUTE: '1000',
  });
  t = appFor(fx);
  server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server)) as Server;
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  fx?.cleanup();
  if (ownDir) rmSync(SHOTS, { recursive: true, force: true });
});

async function phonePage(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // 401/404 are the pages under test; ERR_INTERNET_DISCONNECTED is the network drop the test makes itself.
  const expected = /status of 40[14]|ERR_INTERNET_DISCONNECTED/;
  page.on('console', (m) => (m.type() === 'error' && !expected.test(m.text()) ? errors.push(m.text()) : undefined));
  return { context, page, errors };
}

const shot = (page: Page, name: string, fullPage = false) =>
  page.screenshot({ path: path.join(SHOTS, name), fullPage });

/** Visible controls smaller than 44 px in either direction (the tap-target minimum). */
const smallTargets = (page: Page) =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll('button, a, summary, input, select, textarea'))
      .filter((el) => {
        const r = el.getBoundingClientRect();
        const inline = el.tagName === 'A' && getComputedStyle(el).display === 'inline' && el.closest('p, li, td');
        return (
          r.width > 0 &&
          r.height > 0 &&
          !inline &&
          (r.height < 44 || r.width < 44) &&
          (el as HTMLInputElement).type !== 'hidden'
        );
      })
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}.${el.className || ''} "${(el.textContent ?? '').trim().slice(0, 20)}" ${Math.round(el.getBoundingClientRect().height)}px`,
      ),
  );

const noSideScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

describe('in Chromium on a phone', () => {
  it('asks a question, sees one sources block, votes 👍, retries after a network error, checks in with a name asked once', async () => {
    const { context, page, errors } = await phonePage();
    await page.goto(base);
    expect(await page.locator('footer.disclaimer').textContent()).toContain('đối chiếu văn bản chính thức');
    expect(await smallTargets(page)).toEqual([]);

    // Slow the answer down to see the "searching" line: once, with no extra animated dots.
    await page.route('**/api/chat', async (route) => {
      await new Promise((r) => setTimeout(r, 400));
      await route.continue();
    });
    await page.fill('#question', 'lệ phí đăng ký tạm trú bao nhiêu?');
    await page.press('#question', 'Enter');
    const typing = page.locator('article.msg.typing p.text');
    await typing.waitFor();
    expect(await typing.textContent()).toBe('Đang tìm câu trả lời…');
    expect(await typing.evaluate((el) => getComputedStyle(el, '::after').content)).toMatch(/^(none|normal)$/);
    const answer = page.locator('article.msg.bot:not(.welcome):not(.typing)').last();
    await answer.locator('details.sources').waitFor();
    await page.unroute('**/api/chat');
    expect(await answer.locator('p.text').first().textContent()).toContain('tạm trú');
    expect(await answer.locator('p.text').first().textContent()).not.toContain('Nguồn:');
    expect(await answer.locator('details.sources').count()).toBe(1);
    const summary = answer.locator('details.sources summary');
    expect(await summary.textContent()).toMatch(/^Nguồn \(\d+\)$/);
    await summary.click();
    await answer.locator('details.sources li').first().waitFor({ state: 'visible' });
    expect(await answer.locator('details.sources li .src-title').first().textContent()).toMatch(/tạm trú/i);

    await answer.locator('.chip.vote').first().click();
    await answer.locator('.chip.done').waitFor();
    expect(await answer.locator('.chip.done').textContent()).toBe('Đã ghi nhận: 👍');
    await page.locator('#toast').waitFor({ state: 'hidden' });
    await page
      .locator('article.msg.user')
      .last()
      .evaluate((el) => el.scrollIntoView({ block: 'start', behavior: 'instant' }));
    expect(await smallTargets(page)).toEqual([]);
    expect(await noSideScroll(page)).toBe(true);
    await shot(page, 'console.png');

    // The network drops: the question stays in the box and a retry button sends it once it is back.
    await page.route('**/api/chat', (route) => route.abort('internetdisconnected'));
    await page.fill('#question', 'đăng ký khai sinh cần gì');
    await page.press('#question', 'Enter');
    const failed = page.locator('article.msg.bot.error').last();
    await failed.waitFor();
    expect(await failed.textContent()).toContain('Câu hỏi vẫn còn trong ô nhập');
    expect(await page.inputValue('#question')).toBe('đăng ký khai sinh cần gì');
    await page.unroute('**/api/chat');
    await failed.locator('button.retry').click();
    await page.locator('article.msg.bot:not(.error) p.text', { hasText: 'khai sinh' }).last().waitFor();
    expect(await page.locator('article.msg.bot.error').count()).toBe(0);
    expect(await page.inputValue('#question')).toBe('');

    // A check-in without a name: asked once, then remembered by this browser.
    const code = await openSession(t.app, 'Lớp kỹ năng số thôn 3', TRAINER);
    await page.fill('#question', `dd${code}`);
    await page.click('#send');
    const nameForm = page.locator('form.name-form');
    await nameForm.waitFor();
    await nameForm.locator('input').fill('Nguyễn Văn An');
    await nameForm.evaluate((el) => el.closest('article')!.scrollIntoView({ block: 'end', behavior: 'instant' }));
    await shot(page, 'checkin-name.png');
    await nameForm.locator('button').click();
    await page.locator('article.msg.bot p.text', { hasText: '✅ Đã điểm danh: Nguyễn Văn An' }).waitFor();
    const code2 = await openSession(t.app, 'Lớp an toàn thông tin', TRAINER);
    await page.fill('#question', `dd ${code2}`);
    await page.click('#send');
    await page
      .locator('article.msg.bot p.text', { hasText: '✅ Đã điểm danh: Nguyễn Văn An — Lớp an toàn thông tin' })
      .waitFor();
    expect(await page.locator('form.name-form').count()).toBe(0);
    await shot(page, 'checkin.png');

    await page.goto(`${base}/khong-co-trang-nay`);
    expect(await page.locator('h1').textContent()).toBe('Không tìm thấy trang này');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it("lets a trainer sign in with the bot's code and run a class: roster, /vang, absent list, fixes, matrix", async () => {
    const { context, page, errors } = await phonePage();
    const [reply] = await fx.core().handle(textMsg('/dangnhap', { userId: HOA, chatId: HOA }));
    const signIn = /(\d{4}) (\d{4})/.exec(reply.text)!.slice(1).join(' ');
    await page.goto(`${base}/admin/login`);
    expect(await smallTargets(page)).toEqual([]);
    await page.fill('#code', signIn);
    await shot(page, 'login.png');
    await Promise.all([page.waitForURL(`${base}/admin`), page.click('form[action="/admin/login/code"] button')]);
    expect(await page.locator('.topbar .muted').textContent()).toContain(`Giảng viên telegram:${HOA}`);

    // In the console, as that trainer: open a session; three trainees check in, one late and one off the roster.
    await page.goto(base);
    await page.locator('#trainer-link', { hasText: '👤 Giảng viên' }).waitFor();
    await page.fill('#question', '/mo Lớp kỹ năng số thôn 5 60');
    await page.press('#question', 'Enter');
    const opened = page.locator('article.msg.bot p.text', { hasText: 'Mã điểm danh:' });
    await opened.waitFor();
    const code = /Mã điểm danh: (\S+)/.exec((await opened.textContent())!)![1];
    const classId = fx.attendance.store.getSessionByCode(code)!.classId;

    await page.goto(`${base}/admin/classes/${classId}`);
    const file = path.join(tmpdir(), `tlhc-roster-${process.pid}.csv`);
    writeFileSync(file, ROSTER);
    await page.setInputFiles('#roster-file', file);
    await Promise.all([page.waitForURL(/imported=5\.0\.0\.0/), page.click('form.upload button')]);
    rmSync(file);
    expect(await page.locator('.ok').textContent()).toContain('thêm 5');

    for (const [i, name] of ['nguyen van an', "H'Hen Niê", 'Bình 0905111222', 'Hoàng Văn Em'].entries()) {
      await chat(t.app, { sessionId: `e2e-learner-${i}-0001`, text: `dd ${code} ${name}` });
    }
    await page.goto(base);
    await page.fill('#question', '/vang');
    await page.press('#question', 'Enter');
    const absent = page.locator('article.msg.bot p.text', { hasText: 'Vắng mặt' });
    await absent.waitFor();
    expect(await absent.textContent()).toContain('2/5 người');
    await absent.evaluate((el) => el.closest('article')!.scrollIntoView({ block: 'end', behavior: 'instant' }));
    await shot(page, 'trainer-chat.png');

    await page.goto(`${base}/admin/classes/${classId}`);
    expect(await noSideScroll(page)).toBe(true);
    expect(await smallTargets(page)).toEqual([]);
    await shot(page, 'class.png', true);

    await page.goto(`${base}/admin/sessions/${code}`);
    expect(await page.locator('#absent').textContent()).toContain('Lê Văn Cường');
    expect(await page.locator('#unmatched').textContent()).toContain('Hoàng Văn Em');
    expect(await noSideScroll(page)).toBe(true);
    expect(await smallTargets(page)).toEqual([]);
    await shot(page, 'session.png', true);

    await page.goto(`${base}/admin`);
    expect(await noSideScroll(page)).toBe(true);
    expect(await smallTargets(page)).toEqual([]);
    // Dates are typed and shown as dd/mm/yyyy.
    expect(await page.getAttribute('#f-from', 'placeholder')).toBe('dd/mm/yyyy');
    await page.fill('#f-from', '1/11/2025');
    await Promise.all([page.waitForURL(/from=/), page.click('.filters button[type=submit]')]);
    expect(await page.inputValue('#f-from')).toBe('01/11/2025');
    // The phone chart: the narrow drawing, with labels at least 11 px tall on screen.
    expect(await page.locator('svg.chart.wide').isVisible()).toBe(false);
    const label = page.locator('svg.chart.narrow text.label').first();
    expect((await label.boundingBox())!.height).toBeGreaterThanOrEqual(11);
    // Class names in the tables are never squeezed to one word per line: each sits on one or two lines.
    const nameCell = page.locator('#classes td.name').first();
    const lineHeight = await nameCell.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
    expect((await nameCell.locator('a').boundingBox())!.height).toBeLessThanOrEqual(lineHeight * 2 + 1);
    await shot(page, 'dashboard.png', true);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});

describe('in Chromium on a desktop', () => {
  it('logs into the dashboard as admin, sees check-ins and feedback, manages trainers, downloads the CSV', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'vi-VN',
      acceptDownloads: true,
    });
    const page = await context.newPage();
    await page.goto(`${base}/admin`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await page.fill('#token', 'not the token');
    await page.click('form[action="/admin/login"] button');
    expect(await page.locator('.error').textContent()).toContain('Mã quản trị không đúng');
    await page.fill('#token', TOKEN);
    await Promise.all([page.waitForURL(`${base}/admin`), page.click('form[action="/admin/login"] button')]);

    expect(await page.locator('h1').textContent()).toBe('Bảng điều khiển điểm danh');
    expect(await page.locator('#checkins').textContent()).toContain('Nguyễn Văn An');
    expect(await page.locator('#feedback').textContent()).toContain('👍 Hữu ích');
    expect(await page.locator('#feedback').textContent()).toContain('lệ phí đăng ký tạm trú bao nhiêu?');
    expect(await page.locator('svg.chart.wide').isVisible()).toBe(true);
    await shot(page, 'dashboard-desktop.png', true);

    await page.click('text=Giảng viên');
    await page.fill('#t-id', 'zalo:abc123');
    await page.fill('#t-name', 'Nguyễn Thị Hoa');
    await Promise.all([page.waitForURL(/saved=added/), page.click('form[action="/admin/trainers"] button')]);
    expect(await page.locator('#trainers').textContent()).toContain('Nguyễn Thị Hoa');
    await shot(page, 'trainers.png');
    await page.goto(`${base}/admin`);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[href^="/admin/export.csv"]')]);
    expect(download.suggestedFilename()).toMatch(/^diem-danh-.*\.csv$/);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.subarray(3).toString('utf8');
    expect(csv.split('\r\n')[0]).toBe('Lớp,Mã buổi,Mở lúc,Họ tên,Kênh,Thời gian điểm danh');
    expect(csv).toMatch(/Lớp kỹ năng số thôn 3,[A-Z0-9]+,[^,]+,Nguyễn Văn An,web,/);

    await page.click('text=Đăng xuất');
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await context.close();
  }, 120_000);

  it('lists the documents with their validity, and marks a source from a repealed law', async () => {
    const law = 'luat-to-chuc-chinh-quyen-dia-phuong-2015.txt';
    const repo = path.resolve(import.meta.dirname, '../..');
    const files = Object.fromEntries(
      [law, `${law}.meta.yaml`].map((f) => [`van-ban/${f}`, path.join(repo, 'corpus/van-ban', f)]),
    );
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
      expect(await list.textContent()).toContain(
        'Hết hiệu lực:\n• Luật Tổ chức chính quyền địa phương số 77/2015/QH13',
      );

      await page.fill('#question', 'thường trực hội đồng nhân dân huyện gồm những ai');
      await page.press('#question', 'Enter');
      const answer = page.locator('article.msg.bot', { hasText: 'hiện áp dụng' }).last();
      await answer.locator('details.sources').waitFor();
      expect(await answer.locator('p.text').first().textContent()).toMatch(
        /^⚠️ Luật 77\/2015\/QH13 đã hết hiệu lực từ 01\/3\/2025/,
      );
      await answer.locator('details.sources summary').click();
      expect(await answer.locator('.src-status').first().textContent()).toBe('Tình trạng: hết hiệu lực từ 01/3/2025');
    } finally {
      await context.close();
      await new Promise<void>((resolve) => s2.close(() => resolve()));
      legal.cleanup();
    }
  }, 120_000);
});
