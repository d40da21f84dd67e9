import { describe, expect, it } from 'vitest';
import { escapeHtml, inlineKeyboard, TELEGRAM_MAX_MESSAGE, toHtmlPieces } from '../../src/channels/telegram-format';

describe('Telegram formatting', () => {
  it('escapes <, > and & for HTML parse mode', () => {
    expect(escapeHtml('<b>Lệ phí</b> & "phí" 5 > 3')).toBe('&lt;b&gt;Lệ phí&lt;/b&gt; &amp; "phí" 5 &gt; 3');
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });

  it('splits long text into escaped pieces below 4096 characters', () => {
    const para = `${'Giấy tờ <bản sao> & bản chính. '.repeat(30).trim()}`;
    const text = Array.from({ length: 12 }, () => para).join('\n\n');
    const pieces = toHtmlPieces(text);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) {
      expect(p.length).toBeLessThan(TELEGRAM_MAX_MESSAGE);
      expect(p).not.toMatch(/<|>|&(?!amp;|lt;|gt;)/);
    }
    const unescapeHtml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    expect(pieces.map(unescapeHtml).join('\n\n')).toBe(text);
  });

  it('builds inline keyboards from button rows', () => {
    expect(inlineKeyboard(undefined)).toBeUndefined();
    expect(inlineKeyboard([[{ text: '👍', action: { type: 'vote', answerId: 'x', vote: 'up' } }]])).toEqual({
      inline_keyboard: [[{ text: '👍', callback_data: 'fb:x:up' }]],
    });
  });
});
