/**
 * Offline (extractive) answers over the real retriever: which section each kind of question gets, the general
 * card, regulation quotes, English, follow-ups from history, and the answer length cap.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer, Turn } from '../../src/answer/index';
import { ENGLISH_LEAD, TRUNCATED_NOTE } from '../../src/answer/messages';
import { cleanupTmp, openFixture, sourcesOf, type Fixture } from './helpers';

let f: Fixture;

beforeAll(async () => {
  f = await openFixture();
});
afterAll(cleanupTmp);

/** First line of a procedure section's body, as written in the corpus. */
function firstBodyLine(docId: string, section: string): string {
  const c = f.retriever.index.chunks.find((x) => x.citation.docId === docId && x.citation.section === section);
  expect(c, `${docId} has a "${section}" section`).toBeDefined();
  const lines = c!.text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const body = lines[0] === section ? lines[1] : lines[0];
  return body.replace(/^([-*+•]|\d+\.)\s*/, '');
}

function expectSection(a: Answer, docId: string, section: string): void {
  expect(a.mode).toBe('extractive');
  expect(a.citations[0]).toMatchObject({ docId, section });
  // The section's own words are quoted (first 40 characters of its first line), and the sources name it.
  expect(a.text).toContain(firstBodyLine(docId, section).slice(0, 40));
  expect(sourcesOf(a.text)).toContain(section.toLowerCase());
}

describe('section choice by question type', () => {
  const cases: [string, string, string, string][] = [
    ['giấy tờ', 'đăng ký kết hôn cần những giấy tờ gì', 'dang-ky-ket-hon', 'Thành phần hồ sơ'],
    ['hồ sơ (no diacritics)', 'lam giay khai sinh can gi', 'dang-ky-khai-sinh', 'Thành phần hồ sơ'],
    ['bao lâu', 'đăng ký kết hôn mất bao lâu', 'dang-ky-ket-hon', 'Thời hạn giải quyết'],
    ['mấy ngày', 'đăng ký khai sinh mấy ngày thì có', 'dang-ky-khai-sinh', 'Thời hạn giải quyết'],
    ['phí', 'lệ phí đăng ký tạm trú', 'dang-ky-tam-tru', 'Lệ phí'],
    ['bao nhiêu tiền', 'đăng ký tạm trú hết bao nhiêu tiền', 'dang-ky-tam-tru', 'Lệ phí'],
    ['ở đâu', 'xin giấy phép xây dựng nhà ở nộp ở đâu', 'cap-giay-phep-xay-dung-nha-o-rieng-le', 'Cơ quan thực hiện'],
    [
      'cơ quan nào',
      'cơ quan nào cấp giấy phép xây dựng nhà ở riêng lẻ',
      'cap-giay-phep-xay-dung-nha-o-rieng-le',
      'Cơ quan thực hiện',
    ],
    ['căn cứ', 'căn cứ pháp lý của thủ tục chứng thực bản sao', 'chung-thuc-ban-sao', 'Căn cứ pháp lý'],
    ['trực tuyến', 'đăng ký khai sinh trực tuyến được không', 'dang-ky-khai-sinh', 'Cách thức thực hiện'],
    ['online', 'đăng ký tạm trú online như thế nào', 'dang-ky-tam-tru', 'Cách thức thực hiện'],
  ];

  it.each(cases)('%s → %s', async (_kind, question, docId, section) => {
    expectSection(await f.answerer().answer(question), docId, section);
  });

  it('a general question gets the passage found plus a card of several fields', async () => {
    const a = await f.answerer().answer('thủ tục đăng ký kết hôn');
    expect(a.mode).toBe('extractive');
    expect(a.topic?.docId).toBe('dang-ky-ket-hon');
    const sections = new Set(a.citations.filter((c) => c.docId === 'dang-ky-ket-hon').map((c) => c.section));
    expect(sections.size).toBeGreaterThanOrEqual(3);
    const labels = ['Nộp ở:', 'Thời hạn:', 'Lệ phí:', 'Cách nộp:'].filter((l) => a.text.includes(l));
    expect(labels.length).toBeGreaterThanOrEqual(2);
    expect(sourcesOf(a.text)).toContain('Đăng ký kết hôn');
  });

  it('a regulation question quotes the article: "Theo ... Điều N"', async () => {
    const a = await f.answerer().answer('thẩm quyền đăng ký hộ tịch của UBND cấp xã theo nghị định 120');
    expect(a.mode).toBe('extractive');
    expect(a.citations[0].docId).toBe('nd-120-2025');
    expect(a.citations[0].kind).toBe('regulation');
    expect(a.citations[0].article).toMatch(/^Điều \d+/);
    expect(a.text).toMatch(/^Theo [^\n]*120\/2025\/NĐ-CP[^\n]*Điều \d+/);
    expect(sourcesOf(a.text)).toMatch(/Nghị định 120\/2025\/NĐ-CP.*Điều \d+/);
  });
});

describe('English', () => {
  it('an English question starts with the English lead-in and quotes the Vietnamese section', async () => {
    const a = await f.answerer().answer('is there a fee for marriage registration');
    expect(a.mode).toBe('extractive');
    expect(a.text.startsWith(ENGLISH_LEAD)).toBe(true);
    expect(a.citations[0]).toMatchObject({ docId: 'dang-ky-ket-hon', section: 'Lệ phí' });
    expect(a.text).toContain('Nguồn');
  });

  it('a Vietnamese question has no English lead-in', async () => {
    const a = await f.answerer().answer('lệ phí đăng ký kết hôn');
    expect(a.text).not.toContain(ENGLISH_LEAD);
  });

  it('an English question the documents do not cover is declined in English', async () => {
    const a = await f.answerer().answer('how do I cook pho with beef at home');
    expect(a.mode).toBe('declined');
    expect(a.text).toMatch(/^I understood you are asking about "[^"]*cook[^"]*"/);
    expect(a.text).toContain('dichvucong.gov.vn');
  });
});

describe('follow-ups offline', () => {
  let history: Turn[];

  beforeAll(async () => {
    const first = await f.answerer().answer('lam giay khai sinh can gi');
    expect(first.mode).toBe('extractive');
    expect(first.topic?.docId).toBe('dang-ky-khai-sinh');
    history = [{ question: 'lam giay khai sinh can gi', answer: first.text, topic: first.topic }];
  });

  it('"còn lệ phí thì sao?" answers the khai sinh fee', async () => {
    const a = await f.answerer().answer('còn lệ phí thì sao?', { history });
    expect(a.mode).toBe('extractive');
    expect(a.text).toContain('khai sinh');
    expectSection(a, 'dang-ky-khai-sinh', 'Lệ phí');
    expect(a.text).toContain('Miễn lệ phí khi khai sinh đúng hạn');
    expect(a.resolvedQuestion).toMatch(/khai sinh/i);
  });

  it('"nộp ở đâu?" answers where khai sinh is filed (Cơ quan thực hiện)', async () => {
    const a = await f.answerer().answer('nộp ở đâu?', { history });
    expectSection(a, 'dang-ky-khai-sinh', 'Cơ quan thực hiện');
    expect(a.text).toContain('khai sinh');
  });

  it('"mất bao lâu?" answers the khai sinh processing time', async () => {
    expectSection(await f.answerer().answer('mất bao lâu?', { history }), 'dang-ky-khai-sinh', 'Thời hạn giải quyết');
  });

  it('a new self-contained question leaves the old topic', async () => {
    const a = await f.answerer().answer('đăng ký tạm trú cần giấy tờ gì', { history });
    expectSection(a, 'dang-ky-tam-tru', 'Thành phần hồ sơ');
  });
});

describe('answer length', () => {
  it.each(['300', '200'])('is capped at MAX_ANSWER_CHARS=%s for procedures, cards and regulations', async (max) => {
    const a = f.answerer({ MAX_ANSWER_CHARS: max });
    for (const q of [
      'thủ tục đăng ký kết hôn',
      'lam giay khai sinh can gi',
      'thẩm quyền đăng ký hộ tịch của UBND cấp xã theo nghị định 120',
    ]) {
      const ans = await a.answer(q);
      expect(ans.mode).toBe('extractive');
      expect(ans.text.length, q).toBeLessThanOrEqual(Number(max));
      expect(ans.text.trim().length).toBeGreaterThan(0);
    }
  });

  it('a long answer is cut with the truncation note; a short one is untouched', async () => {
    const long = await f.answerer({ MAX_ANSWER_CHARS: '400' }).answer('thủ tục đăng ký kết hôn');
    expect(long.text.length).toBeLessThanOrEqual(400);
    expect(long.text).toContain(TRUNCATED_NOTE);
    expect(long.text).toContain('Nguồn');
    const full = await f.answerer().answer('đăng ký kết hôn mất bao lâu');
    expect(full.text).not.toContain(TRUNCATED_NOTE);
  });
});
