// Regression checks on the shipped corpus: the questions the issues and README quote must keep working.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnswerer } from '../../src/answer/index';
import type { Answerer } from '../../src/answer/types';
import { loadConfig } from '../../src/config';
import { openRetriever } from '../../src/search/engine';
import type { Retriever } from '../../src/search/retriever';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'shipped-'));
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
    const { results } = await retriever.search('nghị định nào cho nộp hồ sơ không phụ thuộc địa giới hành chính', { k: 5 });
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
    for (const q of ['giá vàng hôm nay bao nhiêu', 'ket qua xo so mien bac hom nay', 'What is the weather like in Hanoi tomorrow?']) {
      expect((await answerer.answer(q)).mode).toBe('declined');
    }
  });
});

describe('shipped law texts (corpus/van-ban)', () => {
  it('indexes the eight texts with their validity', () => {
    const docs = new Map(retriever.index.chunks.filter((c) => c.citation.source.startsWith('van-ban/')).map((c) => [c.citation.docId, c.citation]));
    expect(docs.size).toBe(8);
    expect([...docs.values()].filter((c) => c.status === 'repealed').map((c) => c.docNumber).sort()).toEqual(['65/2025/QH15', '77/2015/QH13']);
  });

  it('says a repealed local-government law is no longer in force and names Luật 72/2025/QH15', async () => {
    const a = await answerer.answer('thường trực hội đồng nhân dân huyện gồm những ai');
    expect(a.mode).toBe('extractive');
    expect(a.text).toMatch(/^⚠️ Luật (77\/2015\/QH13|65\/2025\/QH15) đã hết hiệu lực từ (01\/3|16\/6)\/2025; hiện áp dụng Luật 72\/2025\/QH15\./);
  });

  it('answers "theo luật 2015 …" from Luật 77/2015/QH13, labelled as the old rule', async () => {
    const a = await answerer.answer('theo luật 2015 thường trực hội đồng nhân dân cấp huyện gồm những ai');
    expect(a.citations[0].docNumber).toBe('77/2015/QH13');
    expect(a.text.startsWith('Quy định cũ theo Luật 77/2015/QH13 (đã hết hiệu lực từ 01/3/2025; hiện áp dụng Luật 72/2025/QH15):')).toBe(true);
    expect(a.text).toContain('Thường trực Hội đồng nhân dân');
  });

  it('cites an article of a law in force with its number, article and clause', async () => {
    const { results } = await retriever.search('điều kiện đăng ký thường trú tại chỗ ở hợp pháp do thuê, mượn, ở nhờ', { k: 5 });
    const law = results.find((r) => r.citation.docNumber === '68/2020/QH14');
    expect(law?.citation.article).toBe('Điều 20');
    expect(law?.citation.status).toBe('in-force');
  });
});
