import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chunkDocument, prepareDocument } from '../../src/ingest/chunk';
import { detectDocNumber, detectKind } from '../../src/ingest/detect';
import { MAX_CHUNK_CHARS } from '../../src/ingest/split-common';
import { splitLegal } from '../../src/ingest/split-legal';
import type { RawDocument } from '../../src/ingest/types';
import { indexTextOf } from '../../src/search/index-store';
import type { Chunk } from '../../src/domain/corpus';
import { LEGAL_EXCERPT } from '../fixtures/make-fixtures';

const TEXT = readFileSync(LEGAL_EXCERPT, 'utf8');
const raw = (source: string): RawDocument => ({ source, format: 'txt', metadata: {}, pages: [{ text: TEXT }] });
const ARTICLE_LINE = /^Điều (\d+)\. /;

/** Article numbers whose heading lines start a line inside the chunk text. */
function articleLines(c: Chunk): string[] {
  return c.text.split('\n').flatMap((l) => (ARTICLE_LINE.exec(l) ? [ARTICLE_LINE.exec(l)![1]] : []));
}

describe('legal splitter on Nghị định 145/2020/NĐ-CP (Chương I–III)', () => {
  const chunks = chunkDocument(raw('phan-cap/nd-145-2020.txt'));

  it('detects the document number, kind and title', () => {
    const doc = prepareDocument(raw('phan-cap/nd-145-2020.txt'));
    expect(doc.kind).toBe('regulation');
    expect(doc.docNumber).toBe('145/2020/NĐ-CP');
    expect(doc.title).toBe('NGHỊ ĐỊNH 145/2020/NĐ-CP');
    expect(chunks.every((c) => c.citation.docNumber === '145/2020/NĐ-CP')).toBe(true);
  });

  it('detects a regulation from its Điều headings even outside phan-cap/', () => {
    const doc = prepareDocument(raw('khac/van-ban.txt'));
    expect(doc.kind).toBe('regulation');
    expect(doc.docNumber).toBe('145/2020/NĐ-CP');
  });

  it('covers Điều 1–6 in order, every chunk citing its article', () => {
    const articles = [...new Set(chunks.map((c) => c.citation.article))];
    expect(articles).toEqual(['Điều 1', 'Điều 2', 'Điều 3', 'Điều 4', 'Điều 5', 'Điều 6']);
  });

  it('never lets a chunk span two articles', () => {
    for (const c of chunks) {
      const lines = articleLines(c);
      expect(new Set(lines).size, c.text.slice(0, 80)).toBe(1);
      expect(`Điều ${lines[0]}`).toBe(c.citation.article);
      // Structure headings of the next chapter never leak into the previous article.
      expect(c.text).not.toMatch(/^Chương [IVX]+$/m);
      expect(c.text).not.toMatch(/^Mục \d+\./m);
    }
  });

  it('puts Chương and Mục in the heading path', () => {
    const byArticle = (a: string) => chunks.find((c) => c.citation.article === a)!;
    expect(byArticle('Điều 1').headingPath).toEqual([
      'NGHỊ ĐỊNH 145/2020/NĐ-CP',
      'Chương I. NHỮNG QUY ĐỊNH CHUNG',
      'Điều 1. Phạm vi điều chỉnh',
    ]);
    expect(byArticle('Điều 3').headingPath[1]).toBe('Chương II. QUẢN LÝ LAO ĐỘNG');
    const d5 = byArticle('Điều 5').headingPath;
    expect(d5[1]).toBe('Chương III. HỢP ĐỒNG LAO ĐỘNG');
    expect(d5[2]).toMatch(/^Mục 1\. NỘI DUNG HỢP ĐỒNG LAO ĐỘNG/);
    expect(d5[3]).toMatch(/^Điều 5\. Nội dung hợp đồng lao động/);
  });

  it('splits a long article by khoản, repeating the article heading, without losing or reordering khoản', () => {
    const d5 = chunks.filter((c) => c.citation.article === 'Điều 5');
    expect(d5.length).toBeGreaterThanOrEqual(2);
    const heading = d5[0].text.split('\n')[0];
    expect(heading).toMatch(/^Điều 5\. Nội dung hợp đồng lao động/);
    for (const c of d5) {
      expect(c.text.startsWith(`${heading}\n`)).toBe(true);
      expect(c.text.length).toBeLessThanOrEqual(MAX_CHUNK_CHARS);
      expect(c.citation.clause).toMatch(/^khoản \d+(–\d+)?$/);
    }
    // Every khoản 1..12 appears exactly once, in order, and the labels agree with the text.
    const clauseNos = d5.flatMap((c) =>
      c.text.split('\n').flatMap((l) => (/^(\d+)\. /.exec(l) ? [Number(/^(\d+)\. /.exec(l)![1])] : [])),
    );
    expect(clauseNos).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    for (const c of d5) {
      const nos = c.text.split('\n').flatMap((l) => (/^(\d+)\. /.exec(l) ? [/^(\d+)\. /.exec(l)![1]] : []));
      const label = nos.length === 1 ? `khoản ${nos[0]}` : `khoản ${nos[0]}–${nos[nos.length - 1]}`;
      expect(c.citation.clause).toBe(label);
    }
    // The điểm of khoản 7 stay with their khoản.
    const k7 = d5.find((c) => /^7\. /m.test(c.text))!;
    expect(k7.text).toMatch(/^a\) Cung cấp thông tin/m);
    expect(k7.text).toMatch(/^e\) Các quyền và nghĩa vụ khác/m);
  });

  it('keeps a short article whole with no clause label', () => {
    const d2 = chunks.filter((c) => c.citation.article === 'Điều 2');
    expect(d2).toHaveLength(1);
    expect(d2[0].citation.clause).toBeUndefined();
    expect(d2[0].text).toMatch(/^Điều 2\. Đối tượng áp dụng\n1\. /);
    expect(d2[0].text).toMatch(/^3\. Các cơ quan, tổ chức/m);
  });

  it('indexes the title and heading path with each chunk', () => {
    const c = chunks.find((x) => x.citation.article === 'Điều 3')!;
    expect(indexTextOf(c)).toContain('NGHỊ ĐỊNH 145/2020/NĐ-CP');
    expect(indexTextOf(c)).toContain('Chương II. QUẢN LÝ LAO ĐỘNG');
    expect(c.id).toBe('nd-145-2020#2');
  });
});

describe('legal splitter details', () => {
  const lines = (s: string) => s.split('\n').map((text) => ({ text, page: 1 }));

  it('reads "Chương II" with its title on the next line and Markdown "### Điều" headings', () => {
    const out = splitLegal(
      lines('Chương II\nTHẨM QUYỀN\n### Điều 7. Cấp xã\nNội dung điều 7.\n### Điều 8: Cấp tỉnh\nNội dung điều 8.'),
      'T',
    );
    expect(out.map((c) => c.article)).toEqual(['Điều 7', 'Điều 8']);
    expect(out[0].headingPath).toEqual(['T', 'Chương II. THẨM QUYỀN', 'Điều 7. Cấp xã']);
    expect(out[1].text).toBe('Điều 8: Cấp tỉnh\nNội dung điều 8.');
  });

  it('keeps a substantial preamble (the căn cứ) and drops one that only repeats the title', () => {
    const canCu = [
      'Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;',
      'Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;',
      'Căn cứ Luật Ban hành văn bản quy phạm pháp luật ngày 19 tháng 02 năm 2025;',
      'Theo đề nghị của Bộ trưởng Bộ Tư pháp;',
      'Chính phủ ban hành Nghị định quy định phân định thẩm quyền của chính quyền địa phương 2 cấp.',
    ].join('\n');
    const withPreamble = splitLegal(lines(`${canCu}\n\nĐiều 1. Phạm vi\nNội dung.`), 'Nghị định X');
    expect(withPreamble[0].text).toMatch(/^Căn cứ Luật Tổ chức Chính phủ/);
    expect(withPreamble[0].article).toBeUndefined();
    const bare = splitLegal(lines('Nghị định X\n\nĐiều 1. Phạm vi\nNội dung.'), 'Nghị định X');
    expect(bare.map((c) => c.article)).toEqual(['Điều 1']);
  });

  it('splits one over-long khoản by điểm, repeating the article heading and the khoản lead', () => {
    const points = 'abcdeghiklmn'
      .split('')
      .map((p) => `${p}) ${'Nội dung điểm rất dài về thủ tục hành chính cấp xã. '.repeat(3)}`);
    const text = ['Điều 9. Nhiệm vụ', '1. Ủy ban nhân dân cấp xã có nhiệm vụ sau:', ...points].join('\n');
    const out = splitLegal(lines(text), 'T');
    expect(out.length).toBeGreaterThan(1);
    for (const c of out) {
      expect(c.article).toBe('Điều 9');
      expect(c.text.startsWith('Điều 9. Nhiệm vụ\n1. Ủy ban nhân dân cấp xã có nhiệm vụ sau:\n')).toBe(true);
      expect(c.text.length).toBeLessThanOrEqual(MAX_CHUNK_CHARS);
      expect(c.clause).toMatch(/^khoản 1 điểm [a-zđ](–[a-zđ])?$/);
    }
    expect(out[0].clause).toMatch(/^khoản 1 điểm a/);
  });
});

describe('document number detection', () => {
  it.each([
    ['Căn cứ Nghị định số 151/2025/NĐ-CP ngày 12/6/2025', '151/2025/NĐ-CP'],
    ['Nghị định 118/2025/ND-CP (không dấu)', '118/2025/NĐ-CP'],
    ['Luật số 72/2025/QH15', '72/2025/QH15'],
    ['Thông tư 85/2019/TT-BTC', '85/2019/TT-BTC'],
    ['Nghị quyết 60-NQ/TW của Ban Chấp hành', '60-NQ/TW'],
    ['Quyết định 2304/QĐ-BNNMT', '2304/QĐ-BNNMT'],
  ])('%s -> %s', (text, expected) => {
    expect(detectDocNumber(text)).toBe(expected);
  });

  it('finds nothing in ordinary text', () => {
    expect(detectDocNumber('Nộp hồ sơ từ ngày 01/7/2025 tại UBND xã')).toBeUndefined();
  });

  it('declared kind wins over the folder and the text', () => {
    expect(detectKind('thu-tuc/a.md', [], 'news')).toBe('news');
    expect(detectKind('thu-tuc/a.md', [])).toBe('procedure');
    expect(detectKind('phan-cap/a.md', [])).toBe('regulation');
    expect(detectKind('tin-tuc/a.md', [])).toBe('news');
    expect(detectKind('khac/a.md', [{ text: 'Hôm nay trời đẹp.' }])).toBe('news');
  });
});
