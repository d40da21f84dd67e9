// What the corpus cannot answer: personal data masked before storage, similar wordings grouped, declined questions
// and 👎 votes recorded by the chat core, and the report page, CSV and JSON in /admin.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatCore } from '../../src/chat/core';
import { groupKey } from '../../src/gaps/group';
import { maskPersonalData } from '../../src/gaps/mask';
import { openGapStore, type GapStore } from '../../src/gaps/store';
import { createApp } from '../../src/server/app';
import { instrumentCore, Metrics } from '../../src/server/metrics';
import { makeFixture, textMsg, type Fixture } from '../helpers/fixture';
import { LOCAL, REMOTE } from '../server/helpers';

describe('masking personal data', () => {
  it('hides phone numbers, CCCD / CMND numbers, e-mails and other long numbers', () => {
    expect(maskPersonalData('Tôi tên An, sđt 0912345678, hỏi cấp lại CCCD')).toBe(
      'Tôi tên An, sđt [số điện thoại], hỏi cấp lại CCCD',
    );
    expect(maskPersonalData('gọi 0912 345 678 hoặc +84 905.111.222 hay 84-977-000-111')).toBe(
      'gọi [số điện thoại] hoặc [số điện thoại] hay [số điện thoại]',
    );
    expect(maskPersonalData('CCCD số 001203004567 bị mất; số cũ 001 203 004 568')).toBe(
      'CCCD số [số CCCD] bị mất; số cũ [số CCCD]',
    );
    expect(maskPersonalData('CMND 123456789 còn dùng được không')).toBe('CMND [số CMND] còn dùng được không');
    expect(maskPersonalData('gửi về nguyen.van-an+xa@ubnd.daklak.gov.vn nhé')).toBe('gửi về [email] nhé');
    expect(maskPersonalData('sổ BHXH 7912345678901 tra ở đâu')).toBe('sổ BHXH [số] tra ở đâu');
  });

  it('keeps what is not personal: document numbers, dates, amounts, article numbers', () => {
    const q =
      'Nghị định 151/2025/NĐ-CP từ 01/07/2025, lệ phí 100.000 đồng hay 1.000.000.000 đồng, Điều 12 khoản 3, năm 2025';
    expect(maskPersonalData(q)).toBe(q);
  });
});

describe('grouping similar wordings', () => {
  it('ignores diacritics, case, punctuation, word order, function and question words', () => {
    const k = groupKey('Lệ phí cấp sổ đỏ là bao nhiêu?');
    expect(groupKey('le phi cap so do bao nhieu')).toBe(k);
    expect(groupKey('Cấp sổ đỏ thì lệ phí thế nào ạ')).toBe(k);
    expect(groupKey('LỆ PHÍ CẤP SỔ ĐỎ!!!')).toBe(k);
    expect(groupKey('lệ phí cấp sổ hồng')).not.toBe(k);
    // Masked numbers do not split a group.
    expect(groupKey('Cấp lại CCCD [số CCCD] ở đâu')).toBe(groupKey('cấp lại cccd ở đâu'));
  });
});

describe('recorded by the chat core, reported in /admin', () => {
  let fx: Fixture;
  let gaps: GapStore;
  beforeAll(async () => {
    fx = await makeFixture({ RATE_LIMIT_PER_MINUTE: '1000' });
    gaps = openGapStore(path.join(fx.config.dataDir, 'unanswered.db'));
  });
  afterAll(async () => {
    await gaps?.close();
    fx?.cleanup();
  });

  it('a declined question (masked, with why) and a 👎 are recorded; answers, 👍 and clarifying questions are not', async () => {
    const core = createChatCoreWithGaps();
    const declined = await core.handle(
      textMsg('giá vàng SJC hôm nay bao nhiêu, báo giúp về an.nguyen@gmail.com', { chatId: '501', userId: '501' }),
    );
    expect(declined[0].mode).toBe('declined');
    const answered = await core.handle(
      textMsg('làm giấy khai sinh cho con cần những gì, gọi 0912345678', { chatId: '502', userId: '502' }),
    );
    expect(answered[0].mode).not.toBe('declined');
    await core.handle(
      textMsg('', {
        chatId: '502',
        userId: '502',
        action: { type: 'vote', answerId: answered[0].answerId!, vote: 'down' },
      }),
    );
    const liked = await core.handle(textMsg('lệ phí chứng thực bản sao', { chatId: '503', userId: '503' }));
    await core.handle(
      textMsg('', { chatId: '503', userId: '503', action: { type: 'vote', answerId: liked[0].answerId!, vote: 'up' } }),
    );
    // A question without a subject gets a clarifying question, not a decline: the corpus may well answer it.
    const clarify = await core.handle(textMsg('lệ phí bao nhiêu?', { chatId: '504', userId: '504' }));
    expect(clarify[0].mode).toBe('clarify');
    const groups = await gaps.groups();
    expect(groups.map((g) => [g.question, g.declined, g.downvoted, g.channels, g.reasons])).toEqual([
      ['làm giấy khai sinh cho con cần những gì, gọi [số điện thoại]', 0, 1, ['telegram'], []],
      ['giá vàng SJC hôm nay bao nhiêu, báo giúp về [email]', 1, 0, ['telegram'], ['unknown-topic']],
    ]);
    // The feedback log keeps the question masked as well.
    expect((await fx.feedback.list()).find((f) => f.vote === 'down')?.question).toBe(
      'làm giấy khai sinh cho con cần những gì, gọi [số điện thoại]',
    );
  });

  it('the report page, its CSV and JSON group and count them, for admins only', async () => {
    const core = createChatCoreWithGaps();
    for (const [i, q] of [
      'Giá xăng RON 95 hôm nay?',
      'gia xang ron 95 hom nay',
      'hôm nay giá xăng RON 95 thế nào',
    ].entries()) {
      const [out] = await core.handle(
        textMsg(q, { chatId: `60${i}`, userId: `60${i}`, channel: i === 2 ? 'zalo' : 'web' }),
      );
      expect(out.mode).toBe('declined');
    }
    const metrics = new Metrics();
    const app = createApp({
      config: fx.config,
      core: instrumentCore(core, metrics),
      metrics,
      retriever: fx.retriever,
      attendance: fx.attendance,
      feedback: fx.feedback,
      gaps,
    });
    const page = await (await app.request('/admin/questions', {}, LOCAL)).text();
    expect(page).toContain('Câu hỏi chưa trả lời được');
    expect(page).toMatch(/hôm nay giá xăng RON 95 thế nào<br><span class="muted">3 cách hỏi tương tự<\/span>/);
    expect(page).toContain('<strong>3</strong>');
    expect(page).toContain('Web, Zalo');
    const csv = await app.request('/admin/questions.csv?period=all&kind=declined', {}, LOCAL);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toMatch(/cau-hoi-chua-tra-loi-duoc-\d{8}\.csv/);
    const text = Buffer.from(await csv.arrayBuffer());
    expect([...text.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = text.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'Câu hỏi (cách hỏi gần nhất),Số lần,Bot từ chối,Bị 👎,Số cách hỏi,Lần đầu,Lần cuối,Kênh,Lý do',
    );
    expect(lines[1]).toMatch(/^hôm nay giá xăng RON 95 thế nào,3,3,0,3,/);
    // kind=declined: the answer that was only voted 👎 (previous test) is not in it.
    expect(lines.join('\n')).not.toContain('khai sinh');
    const json = (await (await app.request('/admin/api/questions?period=7', {}, LOCAL)).json()) as {
      groups: { count: number }[];
    };
    expect(json.groups[0].count).toBe(3);
    expect((await app.request('/admin/questions', {}, REMOTE)).status).toBe(403);
  });

  const createChatCoreWithGaps = () =>
    createChatCore({
      config: fx.config,
      answerer: fx.answerer,
      attendance: fx.attendance,
      retriever: fx.retriever,
      feedback: fx.feedback,
      gaps,
    });
});
