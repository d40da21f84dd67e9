import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { QUESTION_WORDS, STOPWORDS } from '../../src/text/stopwords';
import { expansions, loadSynonyms } from '../../src/text/synonyms';
import {
  canonicalSyllable,
  contentSyllables,
  documentTerms,
  foldedTokens,
  hasDiacritics,
  queryTerms,
} from '../../src/text/terms';

describe('canonical ký/kí spelling', () => {
  it('maps the y/i variants to one syllable', () => {
    expect(canonicalSyllable('ky')).toBe('ki');
    expect(canonicalSyllable('ki')).toBe('ki');
    expect(canonicalSyllable('ly')).toBe('li');
    expect(canonicalSyllable('my')).toBe('mi');
  });

  it('leaves other syllables alone', () => {
    for (const s of ['y', 'uy', 'quy', 'hay', 'tay', 'cy', 'khai']) expect(canonicalSyllable(s)).toBe(s);
  });

  it('makes "đăng kí" and "đăng ký" and "dang ky" the same tokens', () => {
    expect(foldedTokens('đăng kí')).toEqual(['dang', 'ki']);
    expect(foldedTokens('Đăng Ký')).toEqual(['dang', 'ki']);
    expect(foldedTokens('dang ky')).toEqual(['dang', 'ki']);
    expect(foldedTokens('chữ kí')).toEqual(foldedTokens('chữ ký'));
  });
});

describe('document and query terms', () => {
  it('indexes folded unigrams, folded bigrams and accented unigrams', () => {
    const tf = documentTerms('Đăng ký khai sinh');
    expect(tf.get('dang')).toBe(1);
    expect(tf.get('khai_sinh')).toBe(1);
    expect(tf.get('dang_ki')).toBe(1);
    expect(tf.get('=đăng')).toBe(1);
    expect(tf.has('=khai')).toBe(false); // no diacritics: no accented twin
  });

  it('a query without diacritics produces the same folded terms as one with them, minus the accented ones', () => {
    const plain = queryTerms('lam giay khai sinh').map((t) => t.term);
    const accented = queryTerms('làm giấy khai sinh').map((t) => t.term);
    expect(accented.filter((t) => !t.startsWith('='))).toEqual(plain);
    expect(plain.some((t) => t.startsWith('='))).toBe(false);
    expect(accented).toContain('=giấy');
  });

  it('weighs bigrams above unigrams', () => {
    const terms = new Map(queryTerms('khai sinh').map((t) => [t.term, t.weight]));
    expect(terms.get('khai_sinh')!).toBeGreaterThan(terms.get('khai')!);
  });

  it('hasDiacritics', () => {
    expect(hasDiacritics('giấy tờ')).toBe(true);
    expect(hasDiacritics('giay to')).toBe(false);
    expect(hasDiacritics('Đ')).toBe(true);
  });
});

describe('stop words', () => {
  it('drop function words but keep question words that select the answer', () => {
    for (const w of ['la', 'cua', 'va', 'thi', 'nhung', 'cac']) expect(STOPWORDS.has(w)).toBe(true);
    for (const w of ['gi', 'bao', 'nhieu', 'lau', 'dau', 'ai', 'may']) expect(STOPWORDS.has(w)).toBe(false);
  });

  it('stop words are stored folded', () => {
    for (const w of STOPWORDS)
      expect(w).toBe(
        w
          .normalize('NFD')
          .replace(/[\u0300-\u036f]/g, '')
          .replace(/[đĐ]/g, 'd')
          .toLowerCase(),
      );
  });

  it('question words survive into query terms but not into coverage syllables', () => {
    const terms = queryTerms('đăng ký khai sinh mất bao lâu').map((t) => t.term);
    expect(terms).toContain('lau');
    expect(terms).toContain('bao_lau');
    const content = contentSyllables('đăng ký khai sinh mất bao lâu').filter((t) => !QUESTION_WORDS.has(t));
    expect(content).toContain('sinh');
    expect(content).not.toContain('lau');
  });
});

describe('synonyms', () => {
  const dict = loadSynonyms();

  it('expands CCCD to căn cước and back', () => {
    expect(expansions('làm lại cccd ở đâu', dict)).toEqual(expect.arrayContaining(['căn cước']));
    expect(expansions('làm lại thẻ căn cước', dict)).toEqual(expect.arrayContaining(['cccd']));
    expect(expansions('CCCD', dict)).toEqual(expect.arrayContaining(['căn cước công dân']));
  });

  it('expands "so do" (no diacritics) to giấy chứng nhận quyền sử dụng đất and back', () => {
    expect(expansions('lam so do mat bao lau', dict)).toEqual(
      expect.arrayContaining(['giấy chứng nhận quyền sử dụng đất']),
    );
    expect(expansions('cấp giấy chứng nhận quyền sử dụng đất lần đầu', dict)).toEqual(
      expect.arrayContaining(['sổ đỏ']),
    );
  });

  it('does not repeat phrases the question already contains, and expands nothing off-topic', () => {
    const e = expansions('cccd', dict);
    expect(e).not.toContain('cccd');
    expect(expansions('giá vàng hôm nay', dict)).toEqual([]);
  });

  describe('with a custom dictionary file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'syn-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const writeDict = (name: string, groups: string[][]) => {
      const file = path.join(dir, name);
      writeFileSync(file, JSON.stringify({ groups }));
      return pathToFileURL(file);
    };
    const custom = loadSynonyms(
      writeDict('synonyms.json', [
        ['gplx', 'giấy phép lái xe', 'bằng lái'],
        ['ký', 'kí tên'],
      ]),
    );

    it('matches whole syllables, diacritic-insensitive', () => {
      expect(expansions('doi bang lai xe', custom).sort()).toEqual(['giấy phép lái xe', 'gplx']);
      // "lai" alone is not "bằng lái"
      expect(expansions('lai xe', custom)).toEqual([]);
      expect(expansions('chỗ ký tên', custom)).toEqual([]);
    });

    it('an accented syllable must keep its accents ("cười" is not "cưới")', () => {
      const d = loadSynonyms(writeDict('accents.json', [['cưới', 'kết hôn']]));
      expect(expansions('đám cưới', d)).toEqual(['kết hôn']);
      expect(expansions('dam cuoi', d)).toEqual(['kết hôn']);
      expect(expansions('buồn cười', d)).toEqual([]);
    });

    // Unaccented "ky" is not an accented syllable, and "kí"/"ký" are the same syllable spelled two ways.
    it('"dang ky" (no accents) and "đăng kí" match the phrase "đăng ký"', () => {
      const d = loadSynonyms(writeDict('ky.json', [['đăng ký kết hôn', 'marriage registration']]));
      expect(expansions('đăng ký kết hôn', d)).toEqual(['marriage registration']);
      expect(expansions('dang ky ket hon', d)).toEqual(['marriage registration']);
      expect(expansions('đăng kí kết hôn', d)).toEqual(['marriage registration']);
    });
  });
});
