// Small pure pieces of the server: reply merging, the file store, Content-Disposition, metrics exposition, HTML tag.
import { html } from 'hono/html';
import { describe, expect, it } from 'vitest';
import type { Incoming, Outgoing } from '../../src/domain/chat';
import { mergeReplies } from '../../src/server/chat-api';
import { contentDisposition, FileStore } from '../../src/server/file-store';
import { Metrics } from '../../src/server/metrics';
import type { Citation } from '../../src/domain/corpus';
import { QueryStats } from '../../src/db';

const cite = (title: string, article?: string): Citation => ({
  docId: title,
  title,
  article,
  source: 'x.md',
  kind: 'regulation',
  docNumber: '120/2025/NĐ-CP',
  url: 'javascript:alert(1)',
});

describe('mergeReplies', () => {
  it('joins texts with blank lines and keeps distinct citations, buttons, mode and answer id', async () => {
    const out: Outgoing[] = [
      {
        text: 'Phần một',
        citations: [cite('Nghị định 120', 'Điều 4')],
        mode: 'extractive',
        answerId: 'abc',
        buttons: [[{ text: '👍', action: { type: 'vote', answerId: 'abc', vote: 'up' } }]],
      },
      { text: '', notice: 'Cảm ơn' },
      { text: 'Phần hai', citations: [cite('Nghị định 120', 'Điều 4'), cite('Nghị định 120', 'Điều 5')] },
    ];
    const r = await mergeReplies(out, new FileStore());
    expect(r.text).toBe('Phần một\n\nPhần hai');
    expect(r.citations.map((c) => c.where)).toEqual(['Điều 4', 'Điều 5']);
    expect(r.citations[0]).toMatchObject({ docNumber: '120/2025/NĐ-CP', url: undefined });
    expect(r).toMatchObject({
      mode: 'extractive',
      answerId: 'abc',
      notice: 'Cảm ơn',
      buttons: [[{ text: '👍', action: { type: 'vote', answerId: 'abc', vote: 'up' } }]],
    });
  });

  it('turns attached files into download links served from the file store', async () => {
    const files = new FileStore();
    const r = await mergeReplies(
      [{ text: 'Đã xuất', files: [{ filename: 'diem-danh.csv', mimeType: 'text/csv', data: Buffer.from('a,b') }] }],
      files,
    );
    expect(r.files).toHaveLength(1);
    const id = /^\/api\/files\/([A-Za-z0-9_-]{22})\/diem-danh\.csv$/.exec(r.files![0].url)?.[1];
    expect((await files.get(id!))?.data.toString()).toBe('a,b');
  });
});

describe('contentDisposition', () => {
  it('names downloads with an ASCII fallback and the UTF-8 name', async () => {
    expect(contentDisposition('điểm danh "lớp".csv')).toBe(
      `attachment; filename="diem danh _lop_.csv"; filename*=UTF-8''${encodeURIComponent('điểm danh "lớp".csv')}`,
    );
  });
});

describe('Metrics', () => {
  const m = (channel: Incoming['channel']): Incoming => ({
    channel,
    chatId: '1',
    userId: '1',
    userName: 'x',
    text: '',
    isGroup: false,
    messageId: '1',
  });

  it('counts answers by channel and mode, declines, check-ins and errors in Prometheus text format', async () => {
    const metrics = new Metrics();
    metrics.record(m('telegram'), [{ text: 'a', mode: 'extractive' }], 0.2);
    metrics.record(m('zalo'), [{ text: 'b', mode: 'declined' }], 0.02);
    metrics.record(m('web'), [{ text: '✅ Đã điểm danh: An — Lớp, 09:02.', outcome: 'checked-in' }], 0.001);
    metrics.record(
      m('web'),
      [{ text: 'Xin lỗi, đã có lỗi khi xử lý yêu cầu. Vui lòng thử lại sau.', outcome: 'failed' }],
      0.001,
    );
    // A reply that merely looks like one is not counted: metrics read the typed outcome, not the text.
    metrics.record(m('web'), [{ text: '✅ trông giống điểm danh' }], 0.001);
    metrics.channelError('zalo"x');
    const text = await metrics.expose();
    expect(text).toContain('questions_total{channel="telegram",mode="extractive"} 1');
    expect(text).toContain('questions_total{channel="zalo",mode="declined"} 1');
    expect(text).toMatch(/^declines_total 1$/m);
    expect(text).toMatch(/^checkins_total 1$/m);
    expect(text).toContain('channel_errors_total{channel="web"} 1');
    expect(text).toContain('channel_errors_total{channel="zalo\\"x"} 1');
    expect(text).toContain('answer_duration_seconds_bucket{le="0.025"} 1');
    expect(text).toContain('answer_duration_seconds_bucket{le="0.25"} 2');
    expect(text).toMatch(/^answer_duration_seconds_count 2$/m);
    expect(text).toMatch(/^answer_duration_seconds_sum 0\.22$/m);
    expect(text.endsWith('\n')).toBe(true);
  });
});

describe('Metrics read at scrape time', () => {
  it('exposes gauges (a re-registered name reads the latest) and the PostgreSQL pool and statements', async () => {
    const metrics = new Metrics();
    metrics.gauge('index_version', 'Index version.', () => 1);
    metrics.gauge('index_version', 'Index version.', () => 2);
    metrics.gauge('broken', 'A read that throws is not exposed.', () => {
      throw new Error('no');
    });
    const stats = new QueryStats();
    stats.observe(0.002, false);
    stats.observe(0.3, true);
    metrics.database({ pool: { totalCount: 3, idleCount: 2, waitingCount: 0 } as never, stats });
    const text = await metrics.expose();
    expect(text).toMatch(/^index_version 2$/m);
    expect(text.match(/^# TYPE index_version /gm)).toHaveLength(1);
    expect(text).not.toMatch(/^broken /m);
    expect(text).toMatch(/^db_pool_connections 3$/m);
    expect(text).toMatch(/^db_pool_idle 2$/m);
    expect(text).toMatch(/^db_query_errors_total 1$/m);
    expect(text).toContain('db_query_duration_seconds_bucket{le="0.0025"} 1');
    expect(text).toContain('db_query_duration_seconds_bucket{le="+Inf"} 2');
    expect(text).toMatch(/^db_query_duration_seconds_count 2$/m);
    expect(await metrics.value('db_query_duration_seconds_count')).toBe(2);
    expect(await metrics.value('db_pool_waiting')).toBe(0);
  });
});

describe('html tag (hono/html, as the dashboard uses it)', () => {
  it('escapes interpolated text but not nested templates', async () => {
    const name = '<script>alert("x")</script>';
    expect(String(html`<p>${name}</p>${[html`<b>${'&'}</b>`]}`)).toBe(
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p><b>&amp;</b>',
    );
  });
});
