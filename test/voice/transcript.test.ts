import { describe, expect, it } from 'vitest';
import { cleanTranscript, joinSpelledCodes, judgeTranscript } from '../../src/voice/transcript';

describe('transcripts', () => {
  it('joins attendance codes spoken letter by letter, and only those', () => {
    expect(joinSpelledCodes('Điểm danh mã K 7 Q X, Nguyễn Văn An.')).toBe('Điểm danh mã K7QX, Nguyễn Văn An.');
    expect(joinSpelledCodes('điểm danh mã k-7-q-x')).toBe('điểm danh mã K7QX');
    expect(joinSpelledCodes('mã K. 7. Q. X.')).toBe('mã K7QX.');
    expect(joinSpelledCodes('có mặt mã 3 A B 9 C')).toBe('có mặt mã 3AB9C');
    // Today's codes are 8 characters: the whole run is joined, not its first six.
    expect(joinSpelledCodes('Điểm danh mã K 7 Q X M 2 P 9, tên là Lê Thị Hoa.')).toBe(
      'Điểm danh mã K7QXM2P9, tên là Lê Thị Hoa.',
    );
    expect(joinSpelledCodes('mã k-7-q-x-m-2-p-9 Nguyễn Văn An')).toBe('mã K7QXM2P9 Nguyễn Văn An');
    // No digit, or too few characters: ordinary text stays as it is.
    expect(joinSpelledCodes('vitamin A B C D')).toBe('vitamin A B C D');
    expect(joinSpelledCodes('lớp 3 A')).toBe('lớp 3 A');
    expect(joinSpelledCodes('số 1 2 3 4')).toBe('số 1 2 3 4');
  });

  it('cleans: NFC, control characters, spaces, wrapping quotes', () => {
    expect(cleanTranscript('  "Làm giấy khai sinh\u0000 cần\n gì?"  '.normalize('NFD'))).toBe(
      'Làm giấy khai sinh cần gì?',
    );
  });

  it('accepts an ordinary question', () => {
    expect(judgeTranscript(' Làm giấy khai sinh cho con cần những gì? ')).toEqual({
      ok: true,
      text: 'Làm giấy khai sinh cho con cần những gì?',
    });
    expect(judgeTranscript('Điểm danh mã K 7 Q X.')).toEqual({ ok: true, text: 'Điểm danh mã K7QX.' });
  });

  it('recognises silence: nothing, punctuation, sound descriptions, what Whisper writes for silence', () => {
    for (const t of [
      '',
      '   ',
      '...',
      '[Âm nhạc]',
      '(tiếng ồn) ♪♪',
      'Hãy subscribe cho kênh Ghiền Mì Gõ Để không bỏ lỡ những video hấp dẫn',
      'Cảm ơn các bạn đã theo dõi. Hẹn gặp lại các bạn trong những video tiếp theo.',
    ]) {
      expect(judgeTranscript(t), t).toEqual({ ok: false, reason: 'silent' });
    }
  });

  it('recognises garbage: no text field, decoding loops, another script, HTML, broken characters', () => {
    expect(judgeTranscript(undefined)).toEqual({ ok: false, reason: 'garbage' });
    for (const t of [
      'và và và và và và và và và và',
      'các bạn ơi các bạn ơi các bạn ơi các bạn ơi',
      '请问出生登记需要什么材料',
      '<html><body>502 Bad Gateway</body></html>',
      'l\uFFFD\uFFFDm gi\uFFFDy',
    ]) {
      expect(judgeTranscript(t), t).toEqual({ ok: false, reason: 'garbage' });
    }
    // A repeated word in a real question is not a loop.
    expect(judgeTranscript('cho tôi hỏi hỏi về đăng ký tạm trú').ok).toBe(true);
  });
});
