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
    expect(a.text).toMatch(/Nguồn: Thủ tục "Đăng ký kết hôn"/);
    for (const q of ['giá vàng hôm nay bao nhiêu', 'ket qua xo so mien bac hom nay', 'What is the weather like in Hanoi tomorrow?']) {
      expect((await answerer.answer(q)).mode).toBe('declined');
    }
  });
});
