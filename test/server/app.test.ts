// The HTTP app driven with app.request(): chat API, health, metrics and static console over a real fixture corpus.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { SqliteAttendanceStore } from '../../src/attendance/store-sqlite';
import { DISCLAIMER } from '../../src/chat/messages';
import { openFeedbackStore } from '../../src/chat/feedback';
import { makeFixture, type Fixture } from '../helpers/fixture';
import { appFor, chat, openSession, TRAINER_SESSION, type TestApp } from './helpers';

let fx: Fixture;
let t: TestApp;
const SESSION = 'citizen-session-01';

beforeAll(async () => {
  fx = await makeFixture({ TRAINER_IDS: `web:${TRAINER_SESSION}`, RATE_LIMIT_PER_MINUTE: '1000' });
  t = appFor(fx);
});
afterAll(() => fx?.cleanup());

describe('POST /api/chat', () => {
  it('answers a question with citations, mode, answer id and feedback buttons', async () => {
    const { status, json } = await chat(t.app, { sessionId: SESSION, text: 'đăng ký tạm trú cần giấy tờ gì' });
    expect(status).toBe(200);
    expect(json.text).toContain('tạm trú');
    expect(json.mode).toBe('extractive');
    expect(json.citations.length).toBeGreaterThan(0);
    expect(json.citations[0].title).toMatch(/tạm trú/i);
    expect(json.citations[0].label).toContain('Thủ tục');
    expect(json.answerId).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(json.buttons.flat().map((b) => b.action)).toEqual([
      { type: 'vote', answerId: json.answerId, vote: 'up' },
      { type: 'vote', answerId: json.answerId, vote: 'down' },
    ]);
  });

  it('records a 👍 sent back as its button action and returns the replacement buttons', async () => {
    const q = await chat(t.app, { sessionId: SESSION, text: 'chứng thực bản sao ở đâu' });
    const { status, json } = await chat(t.app, {
      sessionId: SESSION,
      action: { type: 'vote', answerId: q.json.answerId, vote: 'up' },
    });
    expect(status).toBe(200);
    expect(json.text).toBe('');
    expect(json.notice).toBe('Cảm ơn bạn đã góp ý!');
    expect(json.editButtons?.flat()[0].text).toContain('👍');
    const [vote] = await fx.feedback.list({ limit: 1 });
    expect(vote).toMatchObject({ answerId: q.json.answerId, vote: 'up', channel: 'web', userId: SESSION });
    expect(vote.question).toBe('chứng thực bản sao ở đâu');
  });

  it('browses the procedure catalog through buttons', async () => {
    const home = await chat(t.app, { sessionId: SESSION, text: '/thutuc' });
    const field = home.json.buttons.flat()[0];
    expect(field.action).toEqual({ type: 'field', field: 0 });
    const next = await chat(t.app, { sessionId: SESSION, action: field.action });
    expect(next.status).toBe(200);
    expect(next.json.text).toContain('Lĩnh vực');
    expect(next.json.buttons.flat().length).toBeGreaterThan(0);
  });

  it.each([
    ['no JSON', 'not json', 'JSON'],
    ['no sessionId', { text: 'xin chào' }, 'mã phiên'],
    ['a malformed sessionId', { sessionId: 'a b', text: 'xin chào' }, 'mã phiên'],
    ['no text', { sessionId: SESSION }, 'Hãy nhập câu hỏi'],
    ['blank text', { sessionId: SESSION, text: '   ' }, 'Hãy nhập câu hỏi'],
    ['an oversized text', { sessionId: SESSION, text: 'a'.repeat(2001) }, 'quá dài'],
    ['text and an action', { sessionId: SESSION, text: 'x', action: { type: 'catalog' } }, 'không gửi cả hai'],
    [
      'an action that is no button of ours',
      { sessionId: SESSION, action: { type: 'vote', answerId: 'x y', vote: 'up' } },
      'nút bấm',
    ],
    ['callback data as a string', { sessionId: SESSION, action: 'fb:abc:up' }, 'nút bấm'],
  ])('rejects %s with 400 and a Vietnamese error', async (_, body, msg) => {
    const { status, json } = await chat(t.app, body);
    expect(status).toBe(400);
    expect(json.error).toContain(msg);
  });

  it('returns files of a reply (a trainer export) as short-lived download links', async () => {
    const code = await openSession(t.app, 'Lớp xuất tệp');
    await chat(t.app, { sessionId: 'trainee-session-9', text: `dd ${code} Trần Thị Bình` });
    const { json } = await chat(t.app, { sessionId: TRAINER_SESSION, text: `/xuat ${code}` });
    expect(json.files?.map((f) => f.filename.split('.').pop())).toEqual(['csv', 'xlsx']);
    const res = await t.app.request(json.files![0].url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(Buffer.from(await res.arrayBuffer()).toString('utf8')).toContain('Trần Thị Bình');
    expect((await t.app.request('/api/files/unknown-id/x.csv')).status).toBe(404);
  });
});

describe('GET /metrics', () => {
  it('counts questions by channel and mode, declines, check-ins and answer latency', async () => {
    const before = await t.metrics.value('questions_total', { channel: 'web', mode: 'extractive' });
    await chat(t.app, { sessionId: 'metrics-session', text: 'cấp giấy phép xây dựng nhà ở riêng lẻ ở đâu' });
    await chat(t.app, { sessionId: 'metrics-session', text: 'giá vàng hôm nay bao nhiêu' });
    const code = await openSession(t.app, 'Lớp đếm số liệu');
    await chat(t.app, { sessionId: 'metrics-trainee', text: `dd ${code} Lê Văn Cường` });

    const res = await t.app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain(`questions_total{channel="web",mode="extractive"} ${before + 1}`);
    expect(text).toMatch(/questions_total\{channel="web",mode="declined"\} \d+/);
    expect(text).toMatch(/^declines_total [1-9]\d*$/m);
    expect(text).toMatch(/^checkins_total [1-9]\d*$/m);
    expect(text).toContain('# TYPE channel_errors_total counter');
    expect(text).toContain('# TYPE answer_duration_seconds histogram');
    expect(text).toMatch(/^answer_duration_seconds_bucket\{le="\+Inf"\} [1-9]\d*$/m);
    expect(text).toMatch(/^answer_duration_seconds_count [1-9]\d*$/m);
    expect(text).toMatch(/^index_chunks [1-9]\d*$/m);
  });
});

describe('GET /healthz', () => {
  it('is 200 with the chunk count when the index is loaded and the databases are writable', async () => {
    const res = await t.app.request('/healthz');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; chunks: number };
    expect(body.status).toBe('ok');
    expect(body.chunks).toBe(fx.retriever.index.chunks.length);
  });

  it('is 503 with a reason when the attendance database is closed', async () => {
    const store = new SqliteAttendanceStore(path.join(fx.dir, 'closed', 'attendance.db'));
    await store.close();
    const res = await appFor(fx, { attendance: { store } }).app.request('/healthz');
    expect(res.status).toBe(503);
    const body = (await res.json()) as { status: string; reason: string };
    expect(body.status).toBe('error');
    expect(body.reason).toContain('attendance database not writable');
  });

  it('is 503 when the feedback database is closed or the index is empty', async () => {
    const feedback = openFeedbackStore(path.join(fx.dir, 'closed', 'feedback.db'));
    feedback.close();
    const res = await appFor(fx, { feedback, retriever: { index: { chunks: [] } } }).app.request('/healthz');
    expect(res.status).toBe(503);
    const { reason } = (await res.json()) as { reason: string };
    expect(reason).toContain('search index is empty');
    expect(reason).toContain('feedback database unavailable');
  });
});

describe('web console', () => {
  it('serves a Vietnamese, phone-ready page with the disclaimer and a strict CSP', async () => {
    const res = await t.app.request('/');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain('name="viewport"');
    expect(html).toContain(DISCLAIMER);
    expect(html).toContain('maxlength="2000"');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    for (const asset of ['console.js', 'console.css', 'admin.css', 'favicon.svg']) {
      expect((await t.app.request(`/static/${asset}`)).status).toBe(200);
    }
    expect((await t.app.request('/static/../main.ts')).status).toBe(404);
    const js = await (await t.app.request('/static/console.js')).text();
    expect(js).not.toMatch(/innerHTML/);
  });

  it('answers unknown paths with a Vietnamese 404', async () => {
    const res = await t.app.request('/khong-co');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toContain('Không tìm thấy');
  });
});
