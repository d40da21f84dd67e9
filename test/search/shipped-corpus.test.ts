// Regression checks on the shipped corpus: the questions the issues and README quote must keep working.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnswerer } from '../../src/answer/index';
import type { Answerer } from '../../src/answer/types';
import { loadConfig } from '../../src/config';
import { openRetriever } from '../../src/search/engine';
import type { Retriever } from '../../src/search/retriever';
import { shippedDataDir } from '../helpers/shipped';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = shippedDataDir();
let retriever: Retriever;
let answerer: Answerer;

beforeAll(async () => {
  const config = loadConfig({ CORPUS_DIR: path.join(root, 'corpus'), DATA_DIR: tmp }, { dotenv: false });
  retriever = await openRetriever(config, { log: () => {} });
  answerer = createAnswerer(config, retriever);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const top = async (q: string) => (await retriever.search(q, { k: 5 })).results[0]?.citation;

describe('shipped corpus', () => {
  it.each([
    ['lam giay khai sinh can giay to gi', 'dang-ky-khai-sinh', 'Thành phần hồ sơ'],
    ['làm giấy khai sinh cần giấy tờ gì', 'dang-ky-khai-sinh', 'Thành phần hồ sơ'],
    ['thu tuc dang ky ket hon can gi', 'dang-ky-ket-hon', 'Thành phần hồ sơ'],
    ['dang ky tam tru mat bao nhieu tien', 'dang-ky-tam-tru', 'Lệ phí'],
    ['lam cccd cho con duoi 6 tuoi online duoc ko', 'cap-the-can-cuoc', undefined],
    ['xin giay phep xay dung nha o mat bao lau', 'cap-giay-phep-xay-dung-nha-o-rieng-le', 'Thời hạn giải quyết'],
  ])('"%s" finds %s first', async (q, docId, section) => {
    const c = await top(q);
    expect(c?.docId).toBe(docId);
    if (section) expect(c?.section).toBe(section);
  });

  it('a decree question is answered from the decree, with its article or section', async () => {
    const { results } = await retriever.search('nghị định nào cho nộp hồ sơ không phụ thuộc địa giới hành chính', {
      k: 5,
    });
    expect(results.some((r) => r.citation.docNumber === '118/2025/NĐ-CP')).toBe(true);
  });

  it('the damaged OCR seed stays searchable', async () => {
    const { results } = await retriever.search('thong cao bao chi so khoa hoc va cong nghe dak lak so', { k: 5 });
    expect(results.map((r) => r.citation.source)).toContain('tin-tuc/000_e993fb81c0b02dbf.txt');
  });

  it('answers a procedure offline with its sources, and declines what it does not cover', async () => {
    const a = await answerer.answer('thu tuc dang ky ket hon can gi');
    expect(a.mode).toBe('extractive');
    expect(a.text).toContain('Tờ khai đăng ký kết hôn');
    // The procedure is the first source (a law article quoted under "Xem thêm" may follow it).
    expect(a.text).toMatch(/Nguồn:\s*(• )?Thủ tục "Đăng ký kết hôn"/);
    for (const q of [
      'giá vàng hôm nay bao nhiêu',
      'ket qua xo so mien bac hom nay',
      'What is the weather like in Hanoi tomorrow?',
    ]) {
      expect((await answerer.answer(q)).mode).toBe('declined');
    }
  });
});

describe('shipped law texts (corpus/van-ban)', () => {
  it('indexes the eight texts with their validity', () => {
    const docs = new Map(
      retriever.index.chunks
        .filter((c) => c.citation.source.startsWith('van-ban/'))
        .map((c) => [c.citation.docId, c.citation]),
    );
    expect(docs.size).toBe(8);
    expect(
      [...docs.values()]
        .filter((c) => c.status === 'repealed')
        .map((c) => c.docNumber)
        .sort(),
    ).toEqual(['65/2025/QH15', '77/2015/QH13']);
  });

  it('says a repealed local-government law is no longer in force and names Luật 72/2025/QH15', async () => {
    const a = await answerer.answer('thường trực hội đồng nhân dân huyện gồm những ai');
    expect(a.mode).toBe('extractive');
    expect(a.text).toMatch(
      /^⚠️ Luật (77\/2015\/QH13|65\/2025\/QH15) đã hết hiệu lực từ (01\/3|16\/6)\/2025; hiện áp dụng Luật 72\/2025\/QH15\./,
    );
  });

  it('answers "theo luật 2015 …" from Luật 77/2015/QH13, labelled as the old rule', async () => {
    const a = await answerer.answer('theo luật 2015 thường trực hội đồng nhân dân cấp huyện gồm những ai');
    expect(a.citations[0].docNumber).toBe('77/2015/QH13');
    expect(
      a.text.startsWith(
        'Quy định cũ theo Luật 77/2015/QH13 (đã hết hiệu lực từ 01/3/2025; hiện áp dụng Luật 72/2025/QH15):',
      ),
    ).toBe(true);
    expect(a.text).toContain('Thường trực Hội đồng nhân dân');
  });

  it('cites an article of a law in force with its number, article and clause', async () => {
    const { results } = await retriever.search('điều kiện đăng ký thường trú tại chỗ ở hợp pháp do thuê, mượn, ở nhờ', {
      k: 5,
    });
    const law = results.find((r) => r.citation.docNumber === '68/2020/QH14');
    expect(law?.citation.article).toBe('Điều 20');
    expect(law?.citation.status).toBe('in-force');
  });
});

describe('citation lookup on the real laws (corpus/van-ban)', () => {
  it('"Điều 220 Luật Đất đai" puts that article of the 260-article law first, exactly', async () => {
    const { results, confidence, lookup } = await retriever.search('Điều 220 Luật Đất đai quy định gì', { k: 5 });
    expect(lookup?.docNamed).toBe(true);
    expect(results[0].citation.docNumber).toBe('31/2024/QH15');
    expect(results[0].citation.article).toBe('Điều 220');
    expect(confidence).toBeGreaterThanOrEqual(0.9);
  });

  it.each([
    ['khoản 2 điều 20 luật cư trú', '68/2020/QH14', 'Điều 20', 2],
    ['NĐ 151 điều 5', '151/2025/NĐ-CP', 'Điều 5', undefined],
    ['Điều 4 Nghị định 120/2025', '120/2025/NĐ-CP', 'Điều 4', undefined],
    ['dieu 12 luat can cuoc', '26/2023/QH15', 'Điều 12', undefined],
  ])('"%s" -> %s %s', async (q, docNumber, article, clause) => {
    const { results } = await retriever.search(q, { k: 5 });
    expect(results[0].citation.docNumber).toBe(docNumber);
    expect(results[0].citation.article).toBe(article);
    if (clause) expect(results[0].citation.clause).toMatch(new RegExp(`khoản ${clause}\\b|khoản \\d+–\\d+`));
  });

  it('quotes the named clause and cites it', async () => {
    const a = await answerer.answer('khoản 2 điều 20 luật cư trú');
    expect(a.mode).toBe('extractive');
    expect(a.text).toMatch(/^Theo 68\/2020\/QH14, Điều 20, khoản 2/);
    expect(a.text).toMatch(/\n2\. /);
  });

  it('an article the named law does not have is said so, not replaced by another', async () => {
    const a = await answerer.answer('Điều 300 Luật Đất đai quy định gì');
    expect(a.mode).toBe('declined');
    expect(a.reason).toBe('missing-article');
    expect(a.text).toContain('không có Điều 300');
    expect(a.text).toContain('260 điều');
  });
});

describe('never confidently wrong (shipped corpus)', () => {
  it.each([
    ['lam ho chieu lan dau can giay to gi', 'ho chieu'],
    ['đăng ký xe máy mới mua cần những giấy tờ gì', 'xe máy'],
    // The driving-licence procedure holds "lái xe" but not the phrase "bằng lái xe máy hạng A1" asks about.
    ['thi bằng lái xe máy hạng A1 đăng ký ở đâu', 'xe máy'],
  ])(
    '"%s": a procedure the corpus lacks is declined, saying what it understood, with suggestions only',
    async (q, understood) => {
      const a = await answerer.answer(q);
      expect(a.mode).toBe('declined');
      expect(a.reason).toBe('unknown-topic');
      expect(a.understood).toContain(understood);
      expect(a.citations).toEqual([]);
      expect(a.text).toContain('Bộ phận Một cửa');
      expect(a.text).toContain('dichvucong.gov.vn');
    },
  );

  it('"ngày mai" is not "mai táng"', async () => {
    expect((await answerer.answer('ngày mai ở Buôn Ma Thuột trời có mưa không')).mode).toBe('declined');
  });

  it.each(['cần giấy tờ gì', 'lệ phí bao nhiêu?', 'nộp ở đâu vậy'])(
    '"%s" with no earlier topic asks which procedure, with choices',
    async (q) => {
      const a = await answerer.answer(q);
      expect(a.mode).toBe('clarify');
      expect(a.text).toMatch(/thủ tục nào/);
      expect(a.suggestions?.length).toBeGreaterThan(0);
      expect(a.citations).toEqual([]);
    },
  );

  it('greetings and thanks get a friendly reply with examples, not the apology', async () => {
    for (const q of ['xin chào', 'chao ban', 'cảm ơn nhiều nhé']) {
      const a = await answerer.answer(q);
      expect(a.mode).toBe('smalltalk');
      expect(a.text).not.toContain('Xin lỗi');
    }
    expect((await answerer.answer('xin chào')).text).toMatch(/ví dụ/);
  });
});

describe('conversation topic (shipped corpus)', () => {
  async function turns(...qs: string[]) {
    const history: { question: string; answer: string; topic?: { docId: string; title: string } }[] = [];
    let last: Awaited<ReturnType<typeof answerer.answer>> | undefined;
    for (const q of qs) {
      last = await answerer.answer(q, { history });
      history.push({ question: q, answer: last.text, topic: last.topic });
    }
    return last!;
  }

  it('a section-only follow-up binds to the current topic', async () => {
    const a = await turns('đăng ký tạm trú cần giấy tờ gì', 'lệ phí bao nhiêu');
    expect(a.topic?.docId).toBe('dang-ky-tam-tru');
    expect(a.text).toMatch(/lệ phí/i);
  });

  it('"căn cứ pháp lý là văn bản nào?" binds to the topic', async () => {
    const a = await turns('thủ tục đăng ký kết hôn', 'căn cứ pháp lý là văn bản nào?');
    expect(a.topic?.docId).toBe('dang-ky-ket-hon');
    expect(a.text).toMatch(/căn cứ pháp lý/i);
  });

  it('a question that names a new procedure switches topic and keeps the asked section', async () => {
    const a = await turns('đăng ký thường trú lệ phí bao nhiêu', 'thế còn tạm trú thì sao');
    expect(a.topic?.docId).toBe('dang-ky-tam-tru');
    expect(a.text).toMatch(/lệ phí/i);
  });
});
