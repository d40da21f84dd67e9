import { describe, expect, it } from 'vitest';
import { isEnglish } from '../../src/text/language';

describe('isEnglish', () => {
  it('recognises English questions', () => {
    expect(isEnglish('How do I register a birth?')).toBe(true);
    expect(isEnglish('what documents are needed for marriage registration')).toBe(true);
  });

  it('never calls a question with Vietnamese diacritics English', () => {
    expect(isEnglish('làm giấy khai sinh cần giấy tờ gì')).toBe(false);
    expect(isEnglish('Where is the UBND office?')).toBe(true);
    expect(isEnglish('Where is ủy ban xã?')).toBe(false);
  });

  it('short texts are not judged', () => {
    expect(isEnglish('cccd')).toBe(false);
    expect(isEnglish('how to')).toBe(false);
  });

  // "can" (cần) and "to" (tờ) must not count as English words, or the commonest unaccented question would be
  // taken for English (which also switches off typo correction in Retriever.prepare).
  it('unaccented Vietnamese "lam giay khai sinh can giay to gi" is not English', () => {
    expect(isEnglish('lam giay khai sinh can giay to gi')).toBe(false);
  });
});
