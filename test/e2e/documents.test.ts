// End to end in Debian's Chromium: an official logs in, uploads a scanned PDF and a DOCX on the documents page
// (and drops a third file on it), waits for the job, then asks the web console a question only the scanned
// document answers and gets that document as the source. Screenshots as in browser.test.ts.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnswerer } from '../../src/answer/index';
import { createChatCore } from '../../src/chat/core';
import { CorpusManager } from '../../src/corpus/manager';
import { openGapStore, type GapStore } from '../../src/gaps/store';
import { LiveIndex } from '../../src/search/live-index';
import { createApp } from '../../src/server/app';
import { instrumentCore, Metrics } from '../../src/server/metrics';
import { docxFromLines } from '../fixtures/make-fixtures';
import { SCAN_TEXTS, scannedPdf } from '../fixtures/scanned';
import { makeFixture, type Fixture } from '../helpers/fixture';

const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'e2e-documents-token-2026';
const ownDir = !process.env.SCREENSHOT_DIR;
const SHOTS = process.env.SCREENSHOT_DIR
  ? path.resolve(process.env.SCREENSHOT_DIR)
  : mkdtempSync(path.join(tmpdir(), 'tlhc-shots-'));

let fx: Fixture;
let gaps: GapStore;
let server: Server;
let base: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install it with "apt-get install -y chromium" (CI installs it).`,
    );
  fx = await makeFixture({ ADMIN_TOKEN: TOKEN, RATE_LIMIT_PER_MINUTE: '1000' });
  const live = new LiveIndex(fx.retriever);
  const corpus = new CorpusManager({ config: fx.config, live });
  gaps = openGapStore(path.join(fx.config.dataDir, 'unanswered.db'));
  const metrics = new Metrics();
  const core = instrumentCore(
    createChatCore({
      config: fx.config,
      answerer: createAnswerer(fx.config, live),
      attendance: fx.attendance,
      retriever: live,
      feedback: fx.feedback,
      documents: corpus,
      gaps,
    }),
    metrics,
  );
  const app = createApp({
    config: fx.config,
    core,
    metrics,
    retriever: live,
    attendance: fx.attendance,
    feedback: fx.feedback,
    corpus,
    gaps,
  });
  server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server)) as Server;
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
  await gaps?.close();
  fx?.cleanup();
  if (ownDir) rmSync(SHOTS, { recursive: true, force: true });
});

const QUESTION = 'Chủ tịch ủy ban nhân dân xã Ea Kao tiếp công dân vào ngày nào?';

describe('officials keep the corpus current, in Chromium', () => {
  it('uploads a scanned PDF and a DOCX, waits for the job, and the console answers from the scanned document', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined));

    // Before: nothing in the corpus says when the commune's chairman receives citizens.
    await page.goto(base);
    await page.fill('#question', QUESTION);
    await page.press('#question', 'Enter');
    const before = page.locator('article.msg.bot:not(.welcome):not(.typing)').last();
    await before.locator('p.text').first().waitFor();
    expect(await before.textContent()).not.toContain('thứ Năm');

    await page.goto(`${base}/admin`);
    await page.fill('#token', TOKEN);
    await Promise.all([page.waitForURL(`${base}/admin`), page.click('form[action="/admin/login"] button')]);
    await Promise.all([page.waitForURL(`${base}/admin/documents`), page.click('nav a:has-text("Văn bản")')]);
    expect(await page.locator('h1').textContent()).toBe('Văn bản trong kho tra cứu');

    const scan = await scannedPdf([SCAN_TEXTS[2]]);
    const docx = await docxFromLines('Hướng dẫn cấp phép đào đường', [
      '## Lệ phí',
      'Lệ phí cấp phép đào đường giao thông nông thôn là 150.000 đồng một lần cấp.',
    ]);
    await page.setInputFiles('#files', [
      { name: 'Thông báo tiếp công dân (scan).pdf', mimeType: 'application/pdf', buffer: scan },
      {
        name: 'dao-duong.docx',
        mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        buffer: docx,
      },
    ]);
    await page.click('#upload button[type=submit]');
    // A third file dropped on the page queues behind the first job.
    await page.locator('#upload .drop').evaluate((el) => {
      const dt = new DataTransfer();
      dt.items.add(
        new File(['# Lịch trực Tết\n\nBộ phận một cửa trực sáng mùng 4 Tết.\n'], 'lich-truc-tet.md', {
          type: 'text/markdown',
        }),
      );
      el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    const jobs = page.locator('#jobs li.job');
    await expect.poll(() => jobs.count(), { timeout: 30_000 }).toBe(2);
    await page
      .locator('#jobs li.job[data-state="running"] progress, #jobs li.job[data-state="done"]')
      .first()
      .waitFor({ timeout: 30_000 });
    await shot(page, 'documents-progress.png');
    await expect
      .poll(() => page.locator('#jobs').getAttribute('data-active'), { timeout: 120_000, interval: 1000 })
      .toBe('0');
    expect(await page.locator('#jobs li.job[data-state="done"]').count()).toBe(2);

    const upload = page.locator('#jobs li.job', { hasText: 'Thông báo tiếp công dân (scan).pdf' });
    expect(await upload.textContent()).toMatch(/đã tra cứu được \(1 trang, 1 trang OCR, \d+ đoạn\)/);
    const row = page.locator('#documents tr', { hasText: 'tai-len/thong-bao-tiep-cong-dan-scan.pdf' });
    await row.waitFor();
    expect(await row.locator('.badge.ocr').textContent()).toBe('OCR');
    expect(await page.locator('#documents').textContent()).toContain('tai-len/lich-truc-tet.md');
    await shot(page, 'documents.png', true);
    // On a phone the table becomes one card per document, without side scrolling.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await row.scrollIntoViewIfNeeded();
    await shot(page, 'documents-phone.png');
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.goto(base);
    await page.fill('#question', QUESTION);
    await page.press('#question', 'Enter');
    const answer = page.locator('article.msg.bot:not(.welcome):not(.typing)').last();
    await answer.locator('details.sources').waitFor();
    expect(await answer.locator('p.text').first().textContent()).toContain('thứ Năm');
    await answer.locator('details.sources summary').click();
    expect(await answer.locator('details.sources li .src-title').first().textContent()).toBe('THÔNG BÁO');
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);
});

const shot = (page: import('playwright-core').Page, name: string, fullPage = false) =>
  page.screenshot({ path: path.join(SHOTS, name), fullPage });
