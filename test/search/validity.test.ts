// Which rules are in force: validity on a date, questions about the old rule, and ranking of in-force passages over
// repealed ones (unit level here; through the real retriever and answerer in test/answer/validity-note.test.ts).
import { describe, expect, it } from 'vitest';
import {
  asksForOldRule,
  inForceAt,
  rankByValidity,
  todayIso,
  validityAt,
  VALIDITY_POOL,
} from '../../src/domain/validity';
import type { Citation, ScoredChunk } from '../../src/domain/corpus';

const TODAY = '2026-12-07';
const NOW = new Date('2026-12-07T05:00:00Z');

const LAW_2015: Partial<Citation> = {
  docNumber: '77/2015/QH13',
  issued: '2015-06-19',
  effectiveFrom: '2016-01-01',
  expiredFrom: '2025-03-01',
  status: 'repealed',
  replacedBy: '65/2025/QH15',
};
const LAW_65: Partial<Citation> = {
  docNumber: '65/2025/QH15',
  issued: '2025-02-19',
  effectiveFrom: '2025-03-01',
  expiredFrom: '2025-06-16',
  status: 'repealed',
  replacedBy: '72/2025/QH15',
};
const LAW_72: Partial<Citation> = {
  docNumber: '72/2025/QH15',
  issued: '2025-06-16',
  effectiveFrom: '2025-06-16',
  status: 'in-force',
};
const DECREE_151: Partial<Citation> = {
  docNumber: '151/2025/NĐ-CP',
  issued: '2025-06-12',
  effectiveFrom: '2025-07-01',
  expiredFrom: '2027-03-01',
  status: 'amended',
  amendedBy: ['226/2025/NĐ-CP'],
};

function result(id: string, score: number, meta: Partial<Citation> = {}): ScoredChunk {
  return {
    id,
    text: id,
    headingPath: [],
    score,
    citation: { docId: id.split('#')[0], title: id, source: `${id}.txt`, kind: 'regulation', ...meta },
  };
}

describe('validityAt', () => {
  it('dates decide first: a known end date or start date', () => {
    expect(validityAt(LAW_2015, TODAY)).toBe('repealed');
    expect(validityAt(LAW_2015, '2020-01-01', TODAY)).toBe('in-force');
    expect(validityAt(LAW_65, '2025-05-01', TODAY)).toBe('in-force');
    expect(validityAt(LAW_65, '2025-06-16', TODAY)).toBe('repealed');
    expect(validityAt(DECREE_151, '2025-06-30', TODAY)).toBe('not-yet');
    expect(validityAt(DECREE_151, TODAY)).toBe('amended');
    expect(validityAt(DECREE_151, '2027-03-01')).toBe('repealed');
  });

  it('then the declared status; a past date without an end date cannot be judged', () => {
    expect(validityAt({ status: 'repealed' }, TODAY)).toBe('repealed');
    expect(validityAt({ status: 'repealed' }, '2020-01-01', TODAY)).toBe('unknown');
    expect(validityAt({ replacedBy: '12/2025/QĐ-UBND' }, TODAY)).toBe('repealed');
    expect(validityAt({ status: 'not-yet', effectiveFrom: '2026-01-01' }, TODAY)).toBe('in-force');
    expect(validityAt({}, TODAY)).toBe('unknown');
    expect(inForceAt({}, TODAY)).toBe(true);
    expect(inForceAt(LAW_2015, TODAY)).toBe(false);
  });

  it("today is Vietnam's date", () => {
    expect(todayIso(new Date('2025-06-30T18:30:00Z'))).toBe('2025-07-01');
  });
});

describe('asksForOldRule', () => {
  it.each([
    ['trước 1/7/2025 ai giải quyết tranh chấp đất đai', { asOf: '2025-06-30' }],
    ['truoc ngay 01/3/2025 hdnd huyen gom nhung ai', { asOf: '2025-02-28' }],
    ['trước ngày 16 tháng 6 năm 2025 luật nào áp dụng', { asOf: '2025-06-15' }],
    ['trước tháng 7/2025 cấp huyện làm gì', { asOf: '2025-06-30' }],
    ['trước năm 2025 có mấy cấp chính quyền', { asOf: '2024-12-31' }],
    ['theo luật 2015 thường trực HĐND huyện gồm những ai', { year: 2015 }],
    ['luật tổ chức chính quyền địa phương năm 2015 quy định gì', { year: 2015 }],
    ['luật 77/2015 quy định gì về cấp huyện', { number: '77', year: 2015 }],
    ['luật cũ quy định thế nào về hội đồng nhân dân huyện', {}],
    ['luat cu quy dinh the nao', {}],
    ['trước đây làm sổ đỏ ở đâu', {}],
  ])('"%s" -> %o', (q, expected) => {
    expect(asksForOldRule(q, TODAY)).toEqual(expected);
  });

  it.each([
    'điều kiện đăng ký thường trú theo luật cư trú',
    'luat cu tru quy dinh gi ve tam tru',
    'ai quyết định giao đất năm 2025',
    'từ 1/7/2025 ai cấp sổ đỏ',
    'trước 1/1/2030 có phải đổi thẻ căn cước không',
    'làm giấy khai sinh cần gì',
  ])('"%s" asks about the rules now', (q) => {
    expect(asksForOldRule(q, TODAY)).toBeUndefined();
  });
});

describe('rankByValidity', () => {
  const ranked = [
    result('luat-2015#1', 0.08, LAW_2015),
    result('luat-65#4', 0.079, LAW_65),
    result('luat-72#2', 0.077, LAW_72),
    result('thu-tuc#0', 0.075),
    result('nd-151#3', 0.07, DECREE_151),
  ];

  it('puts in-force passages (declared, amended or unknown) above repealed ones, each group in its own order', () => {
    const out = rankByValidity(ranked, 'thường trực hội đồng nhân dân huyện gồm những ai', { now: NOW });
    expect(out.map((r) => r.id)).toEqual(['luat-72#2', 'thu-tuc#0', 'nd-151#3', 'luat-2015#1', 'luat-65#4']);
    // Scores follow the final order.
    for (let i = 1; i < out.length; i++) expect(out[i].score).toBeLessThanOrEqual(out[i - 1].score);
  });

  it('keeps a repealed passage above an in-force one that scores far lower', () => {
    const out = rankByValidity(
      [result('luat-2015#1', 0.08, LAW_2015), result('khac#9', 0.03)],
      'hội đồng nhân dân huyện',
      { now: NOW },
    );
    expect(out.map((r) => r.id)).toEqual(['luat-2015#1', 'khac#9']);
  });

  it('with a relevance measure, an in-force passage goes first only when it explains the question about as well', () => {
    const pool = [
      result('luat-2015#1', 0.08, LAW_2015),
      result('luat-72#2', 0.079, LAW_72),
      result('nd-151#3', 0.078, DECREE_151),
    ];
    const relevance = new Map([
      ['luat-2015#1', 0.9],
      ['luat-72#2', 0.8],
      ['nd-151#3', 0.4],
    ]);
    const out = rankByValidity(pool, 'hội đồng nhân dân huyện', { now: NOW, relevance: (r) => relevance.get(r.id)! });
    expect(out.map((r) => r.id)).toEqual(['luat-72#2', 'luat-2015#1', 'nd-151#3']);
  });

  it('leaves the order alone for a question about the old rule without a date', () => {
    expect(rankByValidity(ranked, 'luật cũ quy định thường trực HĐND huyện thế nào', { now: NOW })).toEqual(ranked);
  });

  it('prefers the documents in force on the date asked about', () => {
    const out = rankByValidity(ranked, 'trước 1/6/2025 thường trực HĐND huyện gồm những ai', { now: NOW });
    // On 31/5/2025: Luật 65 in force; 77/2015 expired, 72 and NĐ 151 not yet.
    expect(out.map((r) => r.id)).toEqual(['luat-65#4', 'thu-tuc#0', 'luat-2015#1', 'luat-72#2', 'nd-151#3']);
  });

  it('puts the document the question names first, whatever its status', () => {
    expect(rankByValidity(ranked, 'theo luật 2015 thường trực HĐND huyện gồm những ai', { now: NOW })[0].id).toBe(
      'luat-2015#1',
    );
    expect(rankByValidity(ranked, 'luật 65 quy định gì về HĐND huyện', { now: NOW })[0].id).toBe('luat-65#4');
  });

  it(`re-orders only the first ${VALIDITY_POOL} passages, so the top does not depend on how many were asked for`, () => {
    const many = [
      result('luat-2015#1', 0.08, LAW_2015),
      ...Array.from({ length: 8 }, (_, i) => result(`luat-65#${i}`, 0.079 - i * 0.001, LAW_65)),
      result('luat-72#9', 0.07, LAW_72),
    ];
    const out = rankByValidity(many, 'hội đồng nhân dân huyện', { now: NOW });
    expect(out[0].id).toBe('luat-2015#1');
    expect(out.at(-1)!.id).toBe('luat-72#9');
  });
});
