// The extractive answer among close legal passages: the one whose best clause answers leads, and another article
// is quoted as "Xem thêm" only when its best clause answers nearly as well (src/answer/extractive-answer.ts).
import { describe, expect, it } from 'vitest';
import { extractiveAnswer } from '../../src/answer/extractive-answer';
import { bestUnitScore } from '../../src/answer/reader';
import type { ScoredChunk, SearchResult } from '../../src/domain';

const idf = () => 1;

function article(docId: string, article: string, text: string, score: number, lexicalRank: number): ScoredChunk {
  return {
    id: `${docId}#${article}`,
    text,
    headingPath: [],
    citation: {
      docId,
      title: `Luật ${docId}`,
      docNumber: `${docId}/2024/QH15`,
      article,
      source: `${docId}.txt`,
      kind: 'regulation',
    },
    score,
    lexicalRank,
  };
}

// A long article that shares many of the question's words across its clauses, none answering it...
const general = article(
  'dat-dai',
  'Điều 27',
  [
    '1. Người sử dụng đất có quyền chuyển nhượng quyền sử dụng đất theo quy định của Luật này.',
    '2. Hợp đồng cho thuê quyền sử dụng đất được lập thành văn bản.',
    '3. Việc đăng ký đất đai được thực hiện tại văn phòng đăng ký đất đai.',
    '4. Người sử dụng đất được bồi thường khi Nhà nước thu hồi đất.',
  ].join('\n'),
  1,
  1,
);
// ...and a short one with the clause that does.
const answer = article(
  'cong-chung',
  'Điều 44',
  [
    '1. Hợp đồng chuyển nhượng quyền sử dụng đất phải được công chứng hoặc chứng thực.',
    '2. Văn bản công chứng có hiệu lực kể từ ngày được công chứng viên ký.',
  ].join('\n'),
  0.9,
  2,
);
const unrelated = article('cu-tru', 'Điều 20', '1. Công dân đăng ký thường trú tại chỗ ở hợp pháp.', 0.8, 3);

const result = (results: ScoredChunk[]): SearchResult => ({ results, confidence: 0.8 });
const QUESTION = 'hợp đồng chuyển nhượng quyền sử dụng đất có phải công chứng không';

describe('the leading legal passage', () => {
  it('is scored by its best clause, not by the words spread over the whole article', () => {
    expect(bestUnitScore(QUESTION, answer.text, { idf })).toBeGreaterThan(
      bestUnitScore(QUESTION, general.text, { idf }),
    );
  });

  it('a runner-up whose clause answers leads the answer and is cited first', () => {
    const a = extractiveAnswer(QUESTION, result([general, answer, unrelated]), [general, answer, unrelated], {
      english: false,
      maxChars: 3000,
      idf,
    });
    expect(a.citations[0].docId).toBe('cong-chung');
    expect(a.text.split('\n').slice(0, 3).join('\n')).toContain('phải được công chứng hoặc chứng thực');
  });

  it('another article is not added as "Xem thêm" when none of its clauses answers nearly as well', () => {
    const a = extractiveAnswer(QUESTION, result([answer, unrelated, general]), [general, answer, unrelated], {
      english: false,
      maxChars: 3000,
      idf,
    });
    expect(a.citations.map((c) => c.docId)).toEqual(['cong-chung']);
    expect(a.text).not.toContain('Xem thêm');
  });

  it('an article whose heading names all the question asks about keeps the lead over a clause that repeats its words', () => {
    const forms = article(
      'lao-dong',
      'Điều 124',
      [
        'Điều 124. Hình thức xử lý kỷ luật lao động',
        '1. Khiển trách.',
        '2. Kéo dài thời hạn nâng lương không quá 06 tháng.',
        '3. Cách chức.',
        '4. Sa thải.',
      ].join('\n'),
      1,
      1,
    );
    const rules = article(
      'lao-dong',
      'Điều 118',
      [
        'Điều 118. Nội quy lao động',
        '1. Nội quy lao động bao gồm những nội dung chủ yếu sau đây:',
        'g) Các hành vi vi phạm kỷ luật lao động và các hình thức xử lý kỷ luật lao động theo Bộ luật Lao động;',
      ].join('\n'),
      0.95,
      2,
    );
    const q = 'các hình thức xử lý kỷ luật lao động theo Bộ luật Lao động gồm những hình thức nào';
    const a = extractiveAnswer(q, result([forms, rules]), [forms, rules], { english: false, maxChars: 3000, idf });
    expect(a.citations[0].article).toBe('Điều 124');
    expect(a.text).toContain('Kéo dài thời hạn nâng lương');
  });
});
