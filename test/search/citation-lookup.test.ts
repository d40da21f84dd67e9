// Officials name the rule they want (src/search/citation-lookup.ts): parsing the reference and resolving it over a
// handful of hand-built chunks (a law, two decrees, a decree's appendix, the Labour Code and a procedure).
import { describe, expect, it } from 'vitest';
import { CitationRegistry, citationRegistry, clauseCovers, parseCitationRef } from '../../src/search/citation-lookup';
import type { Chunk, Citation } from '../../src/domain/corpus';

describe('parseCitationRef()', () => {
  it('"khoản 2 điều 20 luật cư trú": clause, article and the law by name', () => {
    expect(parseCitationRef('khoản 2 điều 20 luật cư trú')).toEqual({
      article: '20',
      clause: 2,
      type: 'luat',
      nameWords: ['cu', 'tru'],
      appendix: false,
    });
  });

  it('"NĐ 151 điều 5": a decree by its short number', () => {
    expect(parseCitationRef('NĐ 151 điều 5')).toMatchObject({
      article: '5',
      number: { num: '151' },
      type: 'nd',
      nameWords: [],
      appendix: false,
    });
    expect(parseCitationRef('dieu 5 nd 151')).toMatchObject({ article: '5', number: { num: '151' }, type: 'nd' });
  });

  it('"Điều 4 Nghị định 120/2025": a decree by number and year', () => {
    expect(parseCitationRef('Điều 4 Nghị định 120/2025')).toMatchObject({
      article: '4',
      number: { num: '120', year: '2025' },
      type: 'nd',
      year: '2025',
    });
    expect(parseCitationRef('Điều 4 Nghị định 120/2025/NĐ-CP quy định gì')).toMatchObject({
      article: '4',
      number: { num: '120', year: '2025' },
      type: 'nd',
    });
  });

  it('"Điều 35 BLLĐ 2019": the Labour Code by its abbreviation, with its year', () => {
    expect(parseCitationRef('Điều 35 BLLĐ 2019')).toMatchObject({
      article: '35',
      type: 'luat',
      nameWords: ['lao', 'dong'],
      year: '2019',
    });
  });

  it('"phụ lục I nđ 151": the appendix of a decree, no article', () => {
    const ref = parseCitationRef('phụ lục I nđ 151');
    expect(ref).toMatchObject({ number: { num: '151' }, type: 'nd', appendix: true });
    expect(ref?.article).toBeUndefined();
  });

  it('the name of a law stops at the question words', () => {
    expect(parseCitationRef('Điều 12 Luật Căn cước quy định gì')?.nameWords).toEqual(['can', 'cuoc']);
    expect(parseCitationRef('dieu 12 luat can cuoc')?.nameWords).toEqual(['can', 'cuoc']);
  });

  it('an article alone is a reference without a document', () => {
    expect(parseCitationRef('Điều 5 quy định gì')).toEqual({
      article: '5',
      clause: undefined,
      number: undefined,
      type: undefined,
      nameWords: [],
      year: undefined,
      appendix: false,
    });
  });

  it.each(['làm giấy khai sinh cần gì', 'lệ phí đăng ký tạm trú bao nhiêu', 'năm 2025 có gì mới', 'mất 5 ngày'])(
    '"%s" names no rule',
    (q) => expect(parseCitationRef(q)).toBeUndefined(),
  );
});

describe('clauseCovers()', () => {
  it.each([
    ['khoản 2', 2, true],
    ['khoản 1–3', 2, true],
    ['khoản 1-3', 3, true],
    ['khoản 2 điểm a–c', 2, true],
    ['khoản 2', 3, false],
    ['khoản 1–3', 4, false],
    ['khoản 12', 1, false],
    ['điểm a', 1, false],
    [undefined, 1, false],
  ] as const)('%s covers %i: %s', (label, n, covered) => {
    expect(clauseCovers(label, n)).toBe(covered);
  });
});

describe('CitationRegistry', () => {
  let n = 0;
  const chunk = (c: Partial<Citation> & { docId: string; title: string }): Chunk => ({
    id: `c${n++}`,
    text: `${c.title} ${c.article ?? ''} ${c.clause ?? ''}`,
    headingPath: [],
    citation: { source: `${c.docId}.txt`, kind: 'regulation', ...c },
  });
  const CU_TRU = { docId: 'luat-cu-tru', title: 'LUẬT CƯ TRÚ', docNumber: '68/2020/QH14' };
  const ND151 = {
    docId: 'nd-151',
    title: 'Nghị định quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp trong lĩnh vực đất đai',
    docNumber: '151/2025/NĐ-CP',
  };
  const PHU_LUC = {
    docId: 'nd-151-phu-luc-i',
    title: 'Phụ lục I Nghị định 151/2025/NĐ-CP: thủ tục hành chính lĩnh vực đất đai',
    docNumber: '151/2025/NĐ-CP',
  };
  const ND120 = {
    docId: 'nd-120',
    title: 'Nghị định về phân định thẩm quyền trong lĩnh vực tư pháp',
    docNumber: '120/2025/NĐ-CP',
  };
  const BLLD = { docId: 'bo-luat-lao-dong', title: 'BỘ LUẬT LAO ĐỘNG', docNumber: '45/2019/QH14' };
  const chunks: Chunk[] = [
    chunk({ ...CU_TRU, article: 'Điều 1' }), // 0
    chunk({ ...CU_TRU, article: 'Điều 20', clause: 'khoản 1–2' }), // 1
    chunk({ ...CU_TRU, article: 'Điều 20', clause: 'khoản 3–6' }), // 2
    chunk({ ...CU_TRU, article: 'Điều 4' }), // 3
    chunk({ ...ND151, article: 'Điều 4' }), // 4
    chunk({ ...ND151, article: 'Điều 5' }), // 5
    chunk(PHU_LUC), // 6
    chunk(PHU_LUC), // 7
    chunk({ ...ND120, article: 'Điều 4' }), // 8
    chunk({ ...BLLD, article: 'Điều 35' }), // 9
    // A procedure cites the law; it is not the law, even when its citation carries an article.
    chunk({
      docId: 'dang-ky-thuong-tru',
      title: 'Đăng ký thường trú theo Luật Cư trú',
      kind: 'procedure',
      article: 'Điều 20',
    }), // 10
  ];
  const registry = new CitationRegistry(chunks);
  const resolve = (q: string) => {
    const ref = parseCitationRef(q);
    expect(ref, q).toBeDefined();
    return registry.resolve(ref!, chunks);
  };

  it('"khoản 2 điều 20 luật cư trú": the article\'s chunks of that law, the one holding khoản 2 first', () => {
    expect(resolve('khoản 2 điều 20 luật cư trú')).toEqual({
      docIds: ['luat-cu-tru'],
      labels: [1, 2],
      docNamed: true,
      clauseFound: true,
    });
    expect(resolve('khoản 5 Điều 20 Luật Cư trú')).toEqual({
      docIds: ['luat-cu-tru'],
      labels: [2, 1],
      docNamed: true,
      clauseFound: true,
    });
  });

  it('a clause the article does not have is reported, the article still found', () => {
    expect(resolve('khoản 9 điều 20 luật cư trú')).toMatchObject({
      docIds: ['luat-cu-tru'],
      labels: [1, 2],
      clauseFound: false,
    });
  });

  it('"NĐ 151 điều 5": the decree by number, its article only', () => {
    const r = resolve('NĐ 151 điều 5');
    expect(r.labels).toEqual([5]);
    expect(r.docNamed).toBe(true);
    expect(r.docIds).toContain('nd-151');
  });

  it('"Điều 4 Nghị định 120/2025": Điều 4 of that decree, not the other documents\' Điều 4', () => {
    expect(resolve('Điều 4 Nghị định 120/2025')).toEqual({
      docIds: ['nd-120'],
      labels: [8],
      docNamed: true,
      clauseFound: true,
    });
  });

  it('"Điều 35 BLLĐ 2019": the Labour Code\'s article', () => {
    expect(resolve('Điều 35 BLLĐ 2019')).toMatchObject({ docIds: ['bo-luat-lao-dong'], labels: [9], docNamed: true });
  });

  it('"phụ lục I nđ 151": the appendix, not the decree', () => {
    expect(resolve('phụ lục I nđ 151')).toEqual({ docIds: ['nd-151-phu-luc-i'], labels: [], docNamed: true });
    expect(
      registry
        .documents(parseCitationRef('nghị định 151/2025 quy định gì')!)
        .map((d) => d.docId)
        .sort(),
    ).toEqual(['nd-151', 'nd-151-phu-luc-i']);
  });

  it("an article the named law does not have is reported missing with the law's title and article count", () => {
    expect(resolve('Điều 99 luật cư trú')).toEqual({
      docIds: ['luat-cu-tru'],
      labels: [],
      docNamed: true,
      missing: { title: 'LUẬT CƯ TRÚ', article: 'Điều 99', articleCount: 3 },
    });
  });

  it('an article without a document is ambiguous when several documents have it, and found when only one has', () => {
    expect(resolve('Điều 4 quy định gì')).toEqual({
      docIds: [],
      labels: [],
      docNamed: false,
      ambiguousArticle: 'Điều 4',
    });
    expect(resolve('điều 35 quy định gì')).toMatchObject({
      docIds: ['bo-luat-lao-dong'],
      labels: [9],
      docNamed: false,
    });
  });

  it('a named law whose year disagrees is not replaced by the one held', () => {
    expect(resolve('Điều 20 Luật Cư trú năm 2020').labels).toEqual([1, 2]);
    // The 2013 law is not in the corpus: no document is named, and no other document's Điều 20 is offered.
    const r = resolve('Điều 20 luật cư trú 2013');
    expect(r.labels).toEqual([]);
    expect(r.docNamed).toBe(false);
  });

  it('procedures are never resolved as the law they cite', () => {
    for (const q of ['điều 20 luật cư trú', 'Điều 20 quy định gì']) expect(resolve(q).labels).not.toContain(10);
  });

  it('citationRegistry() builds one registry per loaded index', () => {
    expect(citationRegistry(chunks)).toBe(citationRegistry(chunks));
    expect(citationRegistry([...chunks])).not.toBe(citationRegistry(chunks));
  });
});
