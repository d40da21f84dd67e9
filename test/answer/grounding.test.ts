// Figures a model may not invent (src/answer/grounding.ts): every number, date, document number and URL of an
// answer must be in the cited passages or the question.
import { describe, expect, it } from 'vitest';
import { groundedNumbers, ungroundedFigures } from '../../src/answer/grounding';

const PASSAGES = [
  'Lệ phí đăng ký tạm trú: nộp trực tiếp 15.000 đồng/lần; nộp trực tuyến 7.000 đồng/lần. Thời hạn giải quyết 05 ngày làm việc.',
  'Nghị định 154/2024/NĐ-CP có hiệu lực từ ngày 01/7/2025. Nộp hồ sơ trực tuyến tại https://dichvucong.gov.vn/p/home/dvc-trang-chu.html.',
];

describe('ungroundedFigures()', () => {
  it.each([
    ['Lệ phí nộp trực tiếp là 15000 đồng [1].', 'thousands separator dropped'],
    ['Lệ phí nộp trực tiếp là 15,000 đồng [1].', 'comma as thousands separator'],
    ['Lệ phí là 15.000 đồng, trực tuyến 7.000 đồng [1].', 'as written'],
    ['Giải quyết trong 5 ngày làm việc [1].', 'leading zero dropped'],
    ['Có hiệu lực từ 1/7/2025 [2].', 'date without leading zeros'],
    ['Có hiệu lực từ 01/07/2025 [2].', 'date with a zero-padded month'],
    ['Theo Nghị định 154/2024/NĐ-CP [2].', 'document number'],
    ['Nghị định ban hành năm 2024 [2].', 'a year that is part of a document number'],
    ['Nộp tại https://dichvucong.gov.vn/p/home/dvc-trang-chu.html [2].', 'the same URL'],
    ['Nộp tại https://dichvucong.gov.vn/p/home/dvc-trang-chu.html. [2]', 'the same URL before a full stop'],
  ])('"%s" is grounded (%s)', (answer) => {
    expect(ungroundedFigures(answer, PASSAGES)).toEqual([]);
    expect(groundedNumbers(answer, PASSAGES)).toBe(true);
  });

  it('reports an amount no passage contains, in canonical form', () => {
    expect(ungroundedFigures('Lệ phí là 20.000 đồng [1].', PASSAGES)).toEqual(['20000']);
    expect(ungroundedFigures('Mức thu 1.500.000 đồng [1].', PASSAGES)).toEqual(['1500000']);
    expect(groundedNumbers('Lệ phí là 20.000 đồng [1].', PASSAGES)).toBe(false);
  });

  it('reports a duration, a date and a document number that differ from the passages', () => {
    expect(ungroundedFigures('Giải quyết trong 3 ngày [1].', PASSAGES)).toEqual(['3']);
    expect(ungroundedFigures('Có hiệu lực từ 1/8/2025 [2].', PASSAGES)).toEqual(['1/8/2025']);
    expect(ungroundedFigures('Theo Nghị định 145/2020/NĐ-CP [2].', PASSAGES)).toEqual(['145/2020']);
  });

  it('reports a URL no passage contains, and a shortened one', () => {
    expect(ungroundedFigures('Xem https://evil.example.com/form [2].', PASSAGES)).toEqual([
      'https://evil.example.com/form',
    ]);
    expect(ungroundedFigures('Xem https://dichvucong.gov.vn [2].', PASSAGES)).toEqual(['https://dichvucong.gov.vn']);
  });

  it('ignores citation markers [n], which are not facts', () => {
    expect(ungroundedFigures('Nộp trực tiếp 15.000 đồng [1][2]. Xem thêm [3].', PASSAGES)).toEqual([]);
    // A number in brackets that is longer than a marker is still a figure.
    expect(ungroundedFigures('Mã hồ sơ [123].', PASSAGES)).toEqual(['123']);
  });

  it('allows the figures the user wrote in the question', () => {
    const answer = 'Trẻ dưới 14 tuổi được đăng ký tạm trú cùng cha mẹ [1].';
    expect(ungroundedFigures(answer, PASSAGES)).toEqual(['14']);
    expect(ungroundedFigures(answer, PASSAGES, 'con tôi dưới 14 tuổi có phải đăng ký tạm trú không')).toEqual([]);
  });

  it('lists each ungrounded figure once, with everything grounded left out', () => {
    const answer = 'Nộp 15.000 đồng [1], hoặc 99.000 đồng, trong 05 ngày hoặc 30 ngày, 99.000 đồng nữa.';
    expect(ungroundedFigures(answer, PASSAGES).sort()).toEqual(['30', '99000']);
  });

  it('an answer without figures is grounded whatever the passages', () => {
    expect(ungroundedFigures('Bạn nộp hồ sơ tại Bộ phận Một cửa [1].', [])).toEqual([]);
  });
});
