import { describe, expect, it } from 'vitest';
import { splitMessage } from '../../src/text/split';

describe('splitMessage', () => {
  it('keeps short text whole', () => {
    expect(splitMessage('  Xin chào  ', 100)).toEqual(['Xin chào']);
  });

  it('splits at paragraph boundaries first', () => {
    const paras = ['Đoạn một. '.repeat(5).trim(), 'Đoạn hai. '.repeat(5).trim(), 'Đoạn ba. '.repeat(5).trim()];
    const parts = splitMessage(paras.join('\n\n'), 110);
    expect(parts).toEqual([`${paras[0]}\n\n${paras[1]}`, paras[2]]);
  });

  it('falls back to lines, then to a cut at a space', () => {
    const lines = Array.from({ length: 6 }, (_, i) => `Dòng ${i} có nội dung vừa phải`);
    const parts = splitMessage(lines.join('\n'), 60);
    expect(parts.every((p) => p.length <= 60)).toBe(true);
    expect(parts.join('\n')).toBe(lines.join('\n'));

    const word = 'thủ tục hành chính '.repeat(30).trim();
    const cut = splitMessage(word, 50);
    expect(cut.every((p) => p.length <= 50)).toBe(true);
    expect(cut.every((p) => !p.startsWith(' ') && !p.endsWith(' '))).toBe(true);
    expect(cut.join(' ')).toBe(word);
  });

  it('hard-cuts text without spaces and never splits a surrogate pair', () => {
    const s = '👍'.repeat(25);
    const parts = splitMessage(s, 7);
    expect(parts.every((p) => p.length <= 7)).toBe(true);
    expect(parts.join('')).toBe(s);
    expect(parts.every((p) => !/[\uD800-\uDBFF]$/.test(p))).toBe(true);
  });

  it('respects a custom measure (e.g. escaped length)', () => {
    const s = '& '.repeat(100).trim();
    const measure = (x: string) => x.replace(/&/g, '&amp;').length;
    const parts = splitMessage(s, 50, measure);
    expect(parts.every((p) => measure(p) <= 50)).toBe(true);
    expect(parts.join(' ')).toBe(s);
  });
});
