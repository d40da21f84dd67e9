/**
 * Validity in answers, through the real ingest, retriever and answerer over a small corpus of a province's decisions
 * (05/2015 replaced by 05/2020 replaced by 12/2025, with sidecars) and through the unit that words the note.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCitation } from '../../src/domain/cite';
import { createAnswerer } from '../../src/answer/index';
import type { Answerer } from '../../src/answer/types';
import { validityNote } from '../../src/answer/validity-note';
import { validityTag, viDate } from '../../src/domain/validity';
import { SYSTEM_PROMPT } from '../../src/answer/prompt';
import { loadConfig } from '../../src/config';
import { documentsOf, type DocumentInfo } from '../../src/domain/documents';
import { openRetriever } from '../../src/search/engine';
import type { Retriever } from '../../src/search/retriever';
import type { Citation } from '../../src/domain/corpus';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { cleanupTmp, llmEnv, REPO, tmpDir } from './helpers';

const decision = (no: string, date: string, body: string[]) =>
  [
    'ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK',
    `Số: ${no}`,
    `Đắk Lắk, ${date}`,
    'QUYẾT ĐỊNH',
    'Quy định mức hỗ trợ học phí cho học sinh trên địa bàn tỉnh',
    ...body,
  ].join('\n');

const FILES: Record<string, string> = {
  'quyet-dinh/qd-03-2015.txt': decision('03/2015/QĐ-UBND', 'ngày 10 tháng 8 năm 2015', [
    'Điều 1. Mức hỗ trợ học phí',
    'Mức hỗ trợ học phí cho học sinh tiểu học là 200.000 đồng mỗi năm học.',
    'Điều 2. Hỗ trợ tiền mua sách vở',
    'Học sinh vùng cao được hỗ trợ tiền mua sách vở 100.000 đồng mỗi năm học, nhận tại trường.',
  ]),
  'quyet-dinh/qd-03-2015.txt.meta.yaml':
    'tinh_trang: hết hiệu lực\nhet_hieu_luc: 2020-04-01\nthay_the_boi: 05/2020/QĐ-UBND\nloai: Quyết định\n',
  'quyet-dinh/qd-05-2020.txt': decision('05/2020/QĐ-UBND', 'ngày 02 tháng 3 năm 2020', [
    'Điều 1. Mức hỗ trợ học phí cho học sinh',
    'Mức hỗ trợ học phí cho học sinh là 500.000 đồng mỗi năm học; học sinh được hỗ trợ học phí theo năm học.',
    'Điều 2. Nơi nộp hồ sơ đề nghị hỗ trợ',
    'Hồ sơ đề nghị hỗ trợ học phí nộp tại Phòng Giáo dục và Đào tạo cấp huyện nơi học sinh học.',
  ]),
  'quyet-dinh/qd-05-2020.txt.meta.yaml':
    'tinh_trang: hết hiệu lực\nhieu_luc: 2020-04-01\nhet_hieu_luc: 2025-09-01\nthay_the_boi: 12/2025/QĐ-UBND\nloai: Quyết định\n',
  'quyet-dinh/qd-12-2025.txt': decision('12/2025/QĐ-UBND', 'ngày 05 tháng 8 năm 2025', [
    'Điều 1. Mức hỗ trợ',
    'Mức hỗ trợ học phí là 800.000 đồng mỗi năm học.',
    'Điều 2. Hiệu lực thi hành',
    'Quyết định này có hiệu lực từ ngày 01 tháng 9 năm 2025 và thay thế Quyết định số 05/2020/QĐ-UBND.',
  ]),
  'quyet-dinh/qd-12-2025.txt.meta.yaml': 'tinh_trang: còn hiệu lực\nhieu_luc: 2025-09-01\nloai: Quyết định\n',
};

let retriever: Retriever;
let answerer: Answerer;
let corpusDir: string;
let dataDir: string;

beforeAll(async () => {
  corpusDir = tmpDir('validity-corpus-');
  dataDir = tmpDir('validity-data-');
  for (const [rel, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(corpusDir, rel)), { recursive: true });
    fs.writeFileSync(path.join(corpusDir, rel), text);
  }
  // A real news page too, so the decisions are not the whole vocabulary.
  fs.mkdirSync(path.join(corpusDir, 'tin-tuc'));
  fs.copyFileSync(
    path.join(REPO, 'corpus/tin-tuc/binh-dan-hoc-vu-so.md'),
    path.join(corpusDir, 'tin-tuc/binh-dan-hoc-vu-so.md'),
  );
  // Three short synthetic decisions: confidence is not what this suite tests, validity wording is.
  const config = loadConfig(
    { CORPUS_DIR: corpusDir, DATA_DIR: dataDir, LOG_LEVEL: 'silent', MIN_CONFIDENCE: '0.4' },
    { dotenv: false },
  );
  retriever = await openRetriever(config, { log: () => {} });
  answerer = createAnswerer(config, retriever);
});
afterAll(cleanupTmp);

describe('ranking and answers over replaced decisions', () => {
  it('without validity the repealed decision matches best; with it the one in force comes first and answers', async () => {
    // "quy định cũ": the old rule is wanted, so the relevance order is kept: 05/2020 says more about the question.
    const old = await retriever.search('quy định cũ về mức hỗ trợ học phí cho học sinh', { k: 3 });
    expect(old.results[0].citation.docNumber).toBe('05/2020/QĐ-UBND');
    const now = await retriever.search('mức hỗ trợ học phí cho học sinh là bao nhiêu', { k: 3 });
    expect(now.results[0].citation.docNumber).toBe('12/2025/QĐ-UBND');
    const a = await answerer.answer('mức hỗ trợ học phí cho học sinh là bao nhiêu');
    expect(a.mode).toBe('extractive');
    expect(a.text).toContain('800.000 đồng');
    // No warning: the main passage is in force (a quoted older decision is tagged in its own source line).
    expect(a.text).not.toMatch(/^(⚠️|Quy định cũ)/);
    expect(a.citations[0].docNumber).toBe('12/2025/QĐ-UBND');
  });

  it('says plainly that the best passage is no longer in force and names what applies now', async () => {
    const a = await answerer.answer('hồ sơ đề nghị hỗ trợ học phí nộp ở đâu');
    expect(a.citations[0].docNumber).toBe('05/2020/QĐ-UBND');
    expect(
      a.text.startsWith(
        '⚠️ Quyết định 05/2020/QĐ-UBND đã hết hiệu lực từ 01/9/2025; hiện áp dụng Quyết định 12/2025/QĐ-UBND.',
      ),
    ).toBe(true);
    expect(a.text).toContain('Phòng Giáo dục và Đào tạo cấp huyện');
    // The citation line says it too.
    expect(a.text).toMatch(/Nguồn:[^\n]*05\/2020\/QĐ-UBND[^\n]*— Điều 2 \[hết hiệu lực từ 01\/9\/2025\]/);
  });

  it('follows the replacement chain to the decision in force now', async () => {
    const a = await answerer.answer('học sinh vùng cao được hỗ trợ tiền mua sách vở bao nhiêu');
    expect(a.citations[0].docNumber).toBe('03/2015/QĐ-UBND');
    expect(a.text).toMatch(
      /^⚠️ Quyết định 03\/2015\/QĐ-UBND đã hết hiệu lực từ 01\/4\/2020; hiện áp dụng Quyết định 12\/2025\/QĐ-UBND\./,
    );
  });

  it('answers a question about the old rule with the old rule, labelled', async () => {
    const a = await answerer.answer('trước 1/9/2025 mức hỗ trợ học phí cho học sinh là bao nhiêu');
    expect(a.citations[0].docNumber).toBe('05/2020/QĐ-UBND');
    expect(
      a.text.startsWith(
        'Quy định cũ theo Quyết định 05/2020/QĐ-UBND (đã hết hiệu lực từ 01/9/2025; hiện áp dụng Quyết định 12/2025/QĐ-UBND):',
      ),
    ).toBe(true);
    expect(a.text).toContain('500.000 đồng');
  });

  it('adds the note to LLM answers too', async () => {
    const fake: FakeOpenAI = await startFakeOpenAI();
    try {
      fake.onChat(() => 'Hồ sơ nộp tại Phòng Giáo dục và Đào tạo cấp huyện [1].');
      const config = loadConfig(
        {
          CORPUS_DIR: corpusDir,
          DATA_DIR: dataDir,
          LOG_LEVEL: 'silent',
          MIN_CONFIDENCE: '0.4',
          ...llmEnv(fake.baseURL),
        },
        { dotenv: false },
      );
      const a = await createAnswerer(config, retriever).answer('hồ sơ đề nghị hỗ trợ học phí nộp ở đâu');
      expect(a.mode).toBe('llm');
      expect(a.text).toMatch(
        /^⚠️ Quyết định 05\/2020\/QĐ-UBND đã hết hiệu lực từ 01\/9\/2025; hiện áp dụng Quyết định 12\/2025\/QĐ-UBND\./,
      );
      // The model saw the status on the passage's source line.
      const answerCall = fake.chatRequests().find((r) => r.body.messages[0]?.content === SYSTEM_PROMPT);
      expect(answerCall?.body.messages.at(-1).content).toContain('[hết hiệu lực từ 01/9/2025]');
    } finally {
      await fake.close();
    }
  });

  it('lists the documents with their validity', () => {
    const docs = documentsOf(retriever.index.chunks).filter((d) => d.kind === 'regulation');
    expect(docs.map((d) => [d.docNumber, d.status]).sort()).toEqual([
      ['03/2015/QĐ-UBND', 'repealed'],
      ['05/2020/QĐ-UBND', 'repealed'],
      ['12/2025/QĐ-UBND', 'in-force'],
    ]);
  });
});

describe('the wording', () => {
  const NOW = new Date('2026-12-07T05:00:00Z');
  const docs: DocumentInfo[] = [
    {
      docId: 'l77',
      title: 'Luật Tổ chức chính quyền địa phương số 77/2015/QH13',
      docNumber: '77/2015/QH13',
      docType: 'Luật',
      source: 'a',
      kind: 'regulation',
      status: 'repealed',
      expiredFrom: '2025-03-01',
      replacedBy: '65/2025/QH15',
    },
    {
      docId: 'l65',
      title: 'Luật Tổ chức chính quyền địa phương số 65/2025/QH15',
      docNumber: '65/2025/QH15',
      docType: 'Luật',
      source: 'b',
      kind: 'regulation',
      status: 'repealed',
      expiredFrom: '2025-06-16',
      replacedBy: '72/2025/QH15',
    },
    {
      docId: 'l72',
      title: 'Luật Tổ chức chính quyền địa phương số 72/2025/QH15',
      docNumber: '72/2025/QH15',
      docType: 'Luật',
      source: 'c',
      kind: 'regulation',
      status: 'in-force',
    },
    {
      docId: 'n151',
      title: 'Nghị định số 151/2025/NĐ-CP',
      docNumber: '151/2025/NĐ-CP',
      source: 'd',
      kind: 'regulation',
      status: 'amended',
      amendedBy: ['226/2025/NĐ-CP'],
      effectiveFrom: '2025-07-01',
      expiredFrom: '2027-03-01',
    },
  ];
  const cite = (d: DocumentInfo, extra: Partial<Citation> = {}): Citation => ({ ...d, ...extra });

  it('names the current law at the end of the replacement chain', () => {
    expect(validityNote('hội đồng nhân dân huyện gồm những ai', cite(docs[0]), docs, { now: NOW })).toBe(
      '⚠️ Luật 77/2015/QH13 đã hết hiệu lực từ 01/3/2025; hiện áp dụng Luật 72/2025/QH15. Đoạn trích dưới đây là quy định cũ, chỉ để tham khảo.',
    );
    expect(validityNote('theo luật 2015 hội đồng nhân dân huyện gồm những ai', cite(docs[0]), docs, { now: NOW })).toBe(
      'Quy định cũ theo Luật 77/2015/QH13 (đã hết hiệu lực từ 01/3/2025; hiện áp dụng Luật 72/2025/QH15):',
    );
    expect(validityNote('hdnd huyen', cite(docs[0]), docs, { now: NOW, english: true })).toMatch(
      /^Note: Luật 77\/2015\/QH13 is no longer in force \(since 01\/3\/2025\); the rule in force now is Luật 72\/2025\/QH15\./,
    );
  });

  it('says when no replacement is known, when a text is not in force yet, and when it was amended', () => {
    const lone = cite({ ...docs[1], replacedBy: undefined });
    expect(validityNote('x', lone, docs, { now: NOW })).toBe(
      '⚠️ Luật 65/2025/QH15 đã hết hiệu lực từ 16/6/2025; dữ liệu chưa có văn bản thay thế, hãy đối chiếu văn bản đang có hiệu lực. Đoạn trích dưới đây là quy định cũ, chỉ để tham khảo.',
    );
    expect(validityNote('x', cite(docs[3]), docs, { now: new Date('2025-06-20T00:00:00Z') })).toBe(
      '⚠️ Nghị định 151/2025/NĐ-CP chưa có hiệu lực (có hiệu lực từ 01/7/2025).',
    );
    expect(validityNote('x', cite(docs[3]), docs, { now: NOW })).toBe(
      'Lưu ý: Nghị định 151/2025/NĐ-CP đã được sửa đổi, bổ sung bởi Nghị định 226/2025/NĐ-CP; hãy đối chiếu nội dung sửa đổi.',
    );
    expect(validityNote('x', cite(docs[2]), docs, { now: NOW })).toBe('');
  });

  it('tags citations that are not simply in force', () => {
    expect(validityTag(cite(docs[0]), '2026-12-07')).toBe('hết hiệu lực từ 01/3/2025');
    expect(validityTag(cite(docs[2]), '2026-12-07')).toBe('');
    expect(validityTag(cite(docs[3]), '2027-03-01')).toBe('hết hiệu lực từ 01/3/2027');
    expect(formatCitation(cite(docs[0], { article: 'Điều 25', clause: 'khoản 2' }))).toBe(
      'Luật Tổ chức chính quyền địa phương số 77/2015/QH13 — Điều 25, khoản 2 [hết hiệu lực từ 01/3/2025]',
    );
    expect(viDate('2025-06-16')).toBe('16/6/2025');
    expect(viDate('2025-02-19')).toBe('19/02/2025');
    expect(viDate('2016-01-01')).toBe('01/01/2016');
  });
});
