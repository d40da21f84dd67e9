import { describe, expect, it } from 'vitest';
import { collapseWhitespace, fold, lower, matchKey, nfc, tokenize } from '../../src/text/normalize';

describe('fold', () => {
  it('maps đ/Đ to d (NFD alone leaves them untouched)', () => {
    expect(fold('đăng ký')).toBe('dang ky');
    expect(fold('ĐĂNG KÝ')).toBe('dang ky');
    expect(fold('Đắk Lắk')).toBe('dak lak');
    expect(fold('đ')).toBe('d');
    expect(fold('Đ')).toBe('d');
  });

  it('strips every Vietnamese tone and vowel mark', () => {
    expect(fold('Giấy chứng nhận quyền sử dụng đất')).toBe('giay chung nhan quyen su dung dat');
    expect(fold('ơ ư ă â ê ô ỳ ỹ ỵ ự ữ ẫ ợ')).toBe('o u a a e o y y y u u a o');
  });

  it('gives the same result for NFD and NFC input', () => {
    const words = ['Thường trú', 'Căn cước công dân', 'Nghị định 151/2025/NĐ-CP', 'Ủy ban nhân dân'];
    for (const w of words) {
      const decomposed = w.normalize('NFD');
      expect(decomposed).not.toBe(w.normalize('NFC'));
      expect(fold(decomposed)).toBe(fold(w.normalize('NFC')));
    }
  });

  it('lower-cases', () => {
    expect(fold('UBND CẤP XÃ')).toBe('ubnd cap xa');
    expect(fold('Thẻ BHYT')).toBe('the bhyt');
  });
});

describe('lower / nfc / matchKey', () => {
  it('lower keeps diacritics and composes', () => {
    expect(lower('Thành Phần HỒ SƠ'.normalize('NFD'))).toBe('thành phần hồ sơ');
    expect(nfc('Hồ sơ'.normalize('NFD'))).toBe('Hồ sơ'.normalize('NFC'));
  });

  it('matchKey folds and collapses whitespace', () => {
    expect(matchKey('  Lệ phí\n\tđăng ký   khai sinh ')).toBe('le phi dang ky khai sinh');
    expect(collapseWhitespace(' a \n b ')).toBe('a b');
  });
});

describe('tokenize', () => {
  it('keeps a document number whole and adds its parts', () => {
    const t = tokenize('Theo Nghị định 151/2025/NĐ-CP của Chính phủ');
    expect(t).toContain('151/2025/nđ-cp');
    for (const part of ['151', '2025', 'nđ', 'cp']) expect(t).toContain(part);
    expect(t.slice(0, 3)).toEqual(['theo', 'nghị', 'định']);
  });

  it('keeps other numbered identifiers whole (60-NQ/TW, 10.000, 01/7/2025)', () => {
    expect(tokenize('Nghị quyết 60-NQ/TW')).toContain('60-nq/tw');
    expect(tokenize('phí 10.000 đồng')).toContain('10.000');
    expect(tokenize('từ 01/7/2025')).toContain('01/7/2025');
  });

  it('splits syllables on spaces and punctuation, lower-cased, NFC', () => {
    expect(tokenize('Làm giấy khai sinh, cần gì?'.normalize('NFD'))).toEqual([
      'làm',
      'giấy',
      'khai',
      'sinh',
      'cần',
      'gì',
    ]);
    expect(tokenize('  ... ??? ')).toEqual([]);
  });

  it('does not glue words joined by a spaced dash', () => {
    expect(tokenize('kinh tế - xã hội')).toEqual(['kinh', 'tế', 'xã', 'hội']);
  });
});
