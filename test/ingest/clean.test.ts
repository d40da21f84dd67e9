import { describe, expect, it } from 'vitest';
import { cleanPages } from '../../src/ingest/clean';

const texts = (pages: { num?: number; text: string }[]) => cleanPages(pages).map((l) => l.text);

describe('cleanPages', () => {
  it('re-joins a word hyphenated across a line break', () => {
    expect(texts([{ num: 1, text: 'Hồ sơ được giải quy-\nết trong ngày làm việc.' }])).toEqual([
      'Hồ sơ được giải quyết trong ngày làm việc.',
    ]);
    expect(texts([{ num: 1, text: 'Trung tâm Phục vụ hành chính công cấp tỉ-\nnh tiếp nhận hồ sơ.' }])).toEqual([
      'Trung tâm Phục vụ hành chính công cấp tỉnh tiếp nhận hồ sơ.',
    ]);
  });

  it('keeps a hyphen followed by a capital or a spaced dash (not a broken word)', () => {
    expect(texts([{ num: 1, text: 'Sở Lao động -\nThương binh và Xã hội' }])).toEqual([
      'Sở Lao động -',
      'Thương binh và Xã hội',
    ]);
    expect(texts([{ num: 1, text: 'Bộ Nông nghiệp-\nMôi trường' }])).toEqual(['Bộ Nông nghiệp-', 'Môi trường']);
  });

  it('drops a running header and a numbered footer repeated on every page (3+ pages)', () => {
    const header = 'CÔNG BÁO/Số 745 + 746/Ngày 20-6-2025';
    const body = [
      'Điều 1. Phạm vi điều chỉnh',
      'Nghị định này quy định về phân cấp.',
      'Điều 2. Đối tượng áp dụng',
      'Cơ quan nhà nước ở địa phương.',
      'Điều 3. Thẩm quyền cấp xã',
      'Ủy ban nhân dân cấp xã giải quyết.',
      'Điều 4. Hiệu lực thi hành',
      'Nghị định có hiệu lực từ ngày 01/7/2025.',
    ];
    const pages = [1, 2, 3, 4].map((n) => ({
      num: n,
      text: `${header}\n${body[2 * n - 2]}\n${body[2 * n - 1]}\nTrợ lý Hành chính số — trang ${n}`,
    }));
    const out = cleanPages(pages);
    expect(out.map((l) => l.text).filter(Boolean)).toEqual(body);
    // Lines keep their page numbers.
    expect(out.find((l) => l.text.startsWith('Điều 3'))!.page).toBe(3);
  });

  it('does not treat a repeated edge line as a header with fewer than three pages', () => {
    const pages = [1, 2].map((n) => ({ num: n, text: `Tiêu đề lặp lại\nNội dung ${n}.` }));
    expect(texts(pages).filter((t) => t === 'Tiêu đề lặp lại')).toHaveLength(2);
  });

  it('keeps a line that repeats on only a minority of pages', () => {
    const pages = [1, 2, 3, 4, 5, 6].map((n) => ({
      num: n,
      text: `${n <= 2 ? 'Lưu ý quan trọng\n' : ''}Nội dung ${n} dài hơn một chút.`,
    }));
    expect(texts(pages).filter((t) => t === 'Lưu ý quan trọng')).toHaveLength(2);
  });

  it.each(['12', '- 3 -', 'Trang 4', 'trang 5/10', '7 / 9'])('drops the bare page number %j', (pn) => {
    expect(texts([{ num: 1, text: `Đoạn văn.\n${pn}\nĐoạn tiếp.` }])).toEqual(['Đoạn văn.', 'Đoạn tiếp.']);
  });

  it('keeps numbers that are content', () => {
    expect(texts([{ num: 1, text: '1. Tờ khai.\n10.000 đồng\nĐiều 12' }])).toEqual([
      '1. Tờ khai.',
      '10.000 đồng',
      'Điều 12',
    ]);
  });

  it('normalises to NFC, collapses spaces and non-breaking spaces, and collapses blank lines', () => {
    const out = texts([{ num: 1, text: `  Thủ\u00a0tục   hành\tchính  \n\n\n\nĐoạn hai.`.normalize('NFD') }]);
    expect(out).toEqual(['Thủ tục hành chính'.normalize('NFC'), '', 'Đoạn hai.']);
  });

  it('separates pages with a blank line so paragraphs do not run across pages', () => {
    const out = cleanPages([
      { num: 1, text: 'Cuối trang một' },
      { num: 2, text: 'Đầu trang hai' },
    ]);
    expect(out.map((l) => l.text)).toEqual(['Cuối trang một', '', 'Đầu trang hai']);
  });
});
