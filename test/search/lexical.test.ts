import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LexicalIndex } from '../../src/search/lexical';
import { LexicalBuilder, buildLexicalIndex } from '../../src/search/lexical-builder';
import { documentTerms, queryTerms } from '../../src/text/terms';
import { tempDir } from '../fixtures/make-fixtures';

const t = tempDir('lexical-');
afterAll(() => t.cleanup());

const tf = (words: string) => {
  const m = new Map<string, number>();
  for (const w of words.split(' ')) m.set(w, (m.get(w) ?? 0) + 1);
  return m;
};
const q = (...terms: string[]) => terms.map((term) => ({ term, weight: 1 }));

describe('BM25 ordering', () => {
  const index = buildLexicalIndex([
    tf('khai sinh khai sinh khai sinh ho tich'), // 0: khai x3
    tf('khai sinh ho tich giay to them nua'), // 1: khai x1, longer
    tf('khai sinh'), // 2: khai x1, short
    tf('ket hon ho tich'), // 3
    tf('can cuoc cong an'), // 4
  ]);

  it('a term repeated more often scores higher (equal rarity)', () => {
    const hits = index.search(q('khai'), 10);
    expect(hits[0].doc).toBe(0);
  });

  it('a shorter document scores higher for the same term frequency', () => {
    const hits = index.search(q('khai'), 10).map((h) => h.doc);
    expect(hits.indexOf(2)).toBeLessThan(hits.indexOf(1));
  });

  it('a rare term weighs more than a common one', () => {
    expect(index.idf('cuoc')).toBeGreaterThan(index.idf('tich'));
    // Doc 4 matches only the rare term, doc 3 only the common one.
    const hits = index.search(q('cuoc', 'tich'), 10).map((h) => h.doc);
    expect(hits.indexOf(4)).toBeLessThan(hits.indexOf(3));
  });

  it('query weights scale the contribution of a term', () => {
    const low = index
      .search(
        [
          { term: 'ket', weight: 0.1 },
          { term: 'cuoc', weight: 1 },
        ],
        2,
      )
      .map((h) => h.doc);
    const high = index
      .search(
        [
          { term: 'ket', weight: 10 },
          { term: 'cuoc', weight: 1 },
        ],
        2,
      )
      .map((h) => h.doc);
    expect(low[0]).toBe(4);
    expect(high[0]).toBe(3);
  });

  it('returns only matching documents, best first, at most k, and honours the filter', () => {
    const hits = index.search(q('khai', 'tich'), 10);
    expect(hits.map((h) => h.doc).sort()).toEqual([0, 1, 2, 3]);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1].score).toBeGreaterThanOrEqual(hits[i].score);
    expect(index.search(q('khai', 'tich'), 2)).toEqual(hits.slice(0, 2));
    expect(index.search(q('khai'), 10, (d) => d !== 0).map((h) => h.doc)).not.toContain(0);
    expect(index.search(q('khong-co'), 10)).toEqual([]);
  });

  it('repeated searches give the same answer (the accumulator is reset)', () => {
    const a = index.search(q('khai', 'ho'), 10);
    index.search(q('cong', 'an'), 10);
    expect(index.search(q('khai', 'ho'), 10)).toEqual(a);
  });

  it('has / docFreq / contains', () => {
    expect(index.has('sinh')).toBe(true);
    expect(index.has('xyz')).toBe(false);
    expect(index.docFreq('tich')).toBe(3);
    expect(index.docFreq('xyz')).toBe(0);
    expect(index.contains('tich', 3)).toBe(true);
    expect(index.contains('tich', 4)).toBe(false);
    expect(index.docCount).toBe(5);
  });
});

describe('save / load', () => {
  const texts = [
    'Đăng ký khai sinh cho trẻ em tại UBND cấp xã, hồ sơ gồm tờ khai và giấy chứng sinh.',
    'Cấp thẻ căn cước tại Công an cấp xã; lệ phí theo Thông tư 59/2019/TT-BTC.',
    'Đăng ký kết hôn: hai bên nam nữ trực tiếp có mặt.',
    'Nghị định 151/2025/NĐ-CP về phân định thẩm quyền đất đai.',
  ];
  const index = buildLexicalIndex(texts.map(documentTerms));

  it('round-trips through disk with identical vocabulary and results', () => {
    const dir = path.join(t.dir, 'rt');
    mkdirSync(dir);
    index.save(dir);
    const loaded = LexicalIndex.load(dir);
    expect(loaded.docCount).toBe(index.docCount);
    expect(loaded.terms).toEqual(index.terms);
    for (const query of ['dang ky khai sinh', 'căn cước', '151/2025/NĐ-CP', 'ket hon co mat', 'không có gì']) {
      const terms = queryTerms(query);
      expect(loaded.search(terms, 10)).toEqual(index.search(terms, 10));
    }
    expect(loaded.search(queryTerms('151/2025/NĐ-CP'), 1)[0].doc).toBe(3);
  });

  it('a custom name lets two indexes share a directory', () => {
    const dir = path.join(t.dir, 'named');
    mkdirSync(dir);
    index.save(dir, 'a');
    buildLexicalIndex([tf('x y')]).save(dir, 'b');
    expect(LexicalIndex.load(dir, 'a').docCount).toBe(4);
    expect(LexicalIndex.load(dir, 'b').docCount).toBe(1);
  });

  it('a truncated postings file or an unknown version is an error, not wrong results', () => {
    const dir = path.join(t.dir, 'bad');
    mkdirSync(dir);
    index.save(dir);
    const bin = path.join(dir, 'bm25.bin');
    writeFileSync(bin, readFileSync(bin).subarray(0, 20));
    expect(() => LexicalIndex.load(dir)).toThrow(/truncated/);
    const head = JSON.parse(readFileSync(path.join(dir, 'bm25.json'), 'utf8'));
    writeFileSync(path.join(dir, 'bm25.json'), JSON.stringify({ ...head, version: 99 }));
    expect(() => LexicalIndex.load(dir)).toThrow(/Unsupported lexical index version 99/);
  });
});

describe('LexicalBuilder', () => {
  // Documents whose postings cross many 7-posting blocks, with empty documents in between and at the end.
  const words = 'khai sinh ket hon ho tich giay to can cuoc cong an dat dai xay dung nha o'.split(' ');
  const docs = Array.from({ length: 60 }, (_, d) =>
    d % 13 === 5 || d === 59
      ? new Map<string, number>()
      : tf(Array.from({ length: 3 + (d % 9) }, (_, j) => words[(d * 7 + j * 3) % words.length]).join(' ')),
  );
  const reference = buildLexicalIndex(docs);
  const queries = [q('khai', 'sinh'), q('dat', 'dai', 'nha'), q('can', 'cuoc', 'xay', 'dung', 'o'), q('to')];

  const build = (opts: ConstructorParameters<typeof LexicalBuilder>[0]) => {
    const b = new LexicalBuilder(opts);
    for (const d of docs) b.add(d);
    expect(b.docCount).toBe(60);
    return b.finish();
  };

  it('gives the same index in small blocks, in memory or spilled to disk, as a one-block build', () => {
    const spillFile = path.join(t.dir, 'spill.tmp');
    for (const index of [build({ blockSize: 7 }), build({ blockSize: 7, spillFile }), build({ blockSize: 1 })]) {
      expect(index.docCount).toBe(reference.docCount);
      for (const query of queries) expect(index.search(query, 10)).toEqual(reference.search(query, 10));
      for (const w of words) expect(index.docFreq(w)).toBe(reference.docFreq(w));
    }
    // The spill file is removed once the postings are sorted.
    expect(existsSync(spillFile)).toBe(false);
  });

  it('every document can be found by each of its terms, none by a term it lacks', () => {
    const index = build({ blockSize: 5, spillFile: path.join(t.dir, 'spill2.tmp') });
    docs.forEach((d, doc) => {
      for (const w of words) expect(index.contains(w, doc)).toBe(d.has(w));
    });
  });

  it('caps term frequencies at 255 without wrapping', () => {
    const b = new LexicalBuilder();
    b.add(new Map([['a', 256]])); // a wrapped byte would be 0: no match at all
    b.add(new Map([['a', 1]]));
    b.add(new Map([['b', 1]]));
    const hits = b.finish().search(q('a'), 2);
    expect(hits.map((h) => h.doc)).toEqual([0, 1]);
  });
});
