// Which words of a question carry its subject (src/text/topic.ts).
import { describe, expect, it } from 'vitest';
import { subjectPhrase, topicView } from '../../src/text/topic';

/** The folded subject syllables of a question. */
const subject = (q: string) => {
  const v = topicView(q);
  return v.topic.map((i) => v.tokens[i]);
};

describe('topicView()', () => {
  it.each([
    'cần giấy tờ gì',
    'can giay to gi',
    'lệ phí bao nhiêu?',
    'le phi bao nhieu',
    'ở đâu',
    'nộp ở đâu vậy',
    'mất bao lâu',
    'thủ tục hành chính',
    'cần làm gì',
    'can lam gi',
    'cho hỏi thời hạn giải quyết là bao lâu ạ',
    'căn cứ pháp lý là văn bản nào?',
  ])('"%s" names no subject', (q) => {
    expect(subject(q)).toEqual([]);
  });

  it.each([
    ['làm hộ chiếu cần gì', ['ho', 'chieu']],
    ['lam ho chieu lan dau can giay to gi', ['ho', 'chieu']],
    ['đăng ký xe máy cần giấy tờ gì', ['xe', 'may']],
    ['dang ky xe may o dau', ['xe', 'may']],
    ['thủ tục ly hôn', ['li', 'hon']],
  ])('"%s": the subject is %j', (q, expected) => {
    expect(subject(q)).toEqual(expected);
  });

  it('keeps the typed syllables (lower-cased, accents kept) beside the folded ones', () => {
    const v = topicView('Làm Hộ chiếu ở đâu');
    expect(v.raw).toEqual(['làm', 'hộ', 'chiếu', 'ở', 'đâu']);
    expect(v.tokens).toEqual(['lam', 'ho', 'chieu', 'o', 'dau']);
    expect(v.topic).toEqual([1, 2]);
  });

  describe('unaccented ambiguous words', () => {
    it('"lam can cuoc" keeps "can cuoc" (căn cước) and drops "lam" (làm)', () => {
      expect(subject('lam can cuoc')).toEqual(['can', 'cuoc']);
      expect(subject('làm căn cước')).toEqual(['can', 'cuoc']);
    });

    it('outside a known pair the generic reading wins: "can" = cần, "may" = mấy, "lam" = làm', () => {
      expect(subject('can lam gi')).toEqual([]);
      expect(subject('may ngay thi co ket qua')).not.toContain('may');
      expect(subject('lam khai sinh')).toEqual(['khai', 'sinh']);
    });

    it('inside a known pair the meaningful reading wins: xe máy, khai tử, nghỉ đẻ, con nuôi', () => {
      expect(subject('dang ky khai tu')).toEqual(['khai', 'tu']);
      expect(subject('nghi de may thang')).toEqual(['nghi', 'de']);
      expect(subject('nhan con nuoi')).toContain('con');
    });

    it('a word typed with its accents is read as typed: "máy" stays, "cần" goes', () => {
      expect(subject('máy')).toEqual(['may']);
      expect(subject('cần')).toEqual([]);
    });
  });

  it('document numbers and the words that name a rule are not subject', () => {
    expect(subject('thủ tục theo Nghị định 151/2025/NĐ-CP')).toEqual([]);
    expect(subject('Điều 4 Nghị định 120/2025 quy định gì')).toEqual([]);
    expect(subject('cấp phép xây dựng theo 15/2021/NĐ-CP')).toEqual(['phep', 'xay', 'dung']);
  });
});

describe('everyday words beside the subject', () => {
  const weak = (q: string) => {
    const v = topicView(q);
    return [...v.weak].map((i) => v.tokens[i]);
  };

  it('family, coming and going, and time words are weak beside a stronger subject word, with or without accents', () => {
    expect(weak('bố tôi vừa mất, đi làm giấy chứng tử thì cần mang theo những gì')).toEqual([
      'bo',
      'vua',
      'di',
      'mang',
    ]);
    expect(weak('ba toi mat thi trong bao nhieu ngay phai di khai tu')).toEqual(['ba', 'di']);
    expect(weak('ong noi mat roi, cat khau cho ong lam o dau')).toEqual(['ong', 'ong']);
  });

  it('are the subject when nothing else is, and stay strong inside the compounds they belong to', () => {
    expect(weak('bố mẹ tôi')).toEqual([]);
    expect(topicView('bố mẹ tôi').topic).toHaveLength(2);
    expect(weak('sang ten xe o to cu')).toEqual([]);
    expect(weak('lien thong khai sinh thuong tru')).toEqual([]);
    expect(weak('di chuc cua ong co hieu luc khong')).toEqual(['ong']);
    expect(weak('so noi vu tinh cap giay phep gi')).toEqual([]);
  });

  it('are left out of what the bot says it understood, except inside the phrase', () => {
    expect(subjectPhrase(topicView('bố tôi vừa mất, đi làm giấy chứng tử thì cần mang theo những gì'))).toBe(
      'giấy chứng tử',
    );
    expect(subjectPhrase(topicView('mẹ em đi làm hộ chiếu ở đâu'))).toBe('hộ chiếu');
  });
});

describe('subjectPhrase()', () => {
  it("gives the subject in the user's own words, as typed", () => {
    expect(subjectPhrase(topicView('làm hộ chiếu cần gì'))).toBe('hộ chiếu');
    expect(subjectPhrase(topicView('dang ky xe may o dau'))).toBe('xe may');
    expect(subjectPhrase(topicView('đăng ký xe máy mới mua cần những giấy tờ gì'))).toBe('xe máy mới mua');
  });

  it('is empty when the question names no subject', () => {
    expect(subjectPhrase(topicView('lệ phí bao nhiêu?'))).toBe('');
  });

  it('joins separate runs with commas and stops before `max` words', () => {
    const v = topicView('hộ chiếu cho con dưới 14 tuổi làm ở đâu');
    expect(subjectPhrase(v)).toBe('hộ chiếu, con, tuổi');
    expect(subjectPhrase(v, 3)).toBe('hộ chiếu, con');
    expect(subjectPhrase(v, 2)).toBe('hộ chiếu');
  });
});

describe('contact details are not a subject', () => {
  it('a phone number, a CCCD number or an e-mail, with the words announcing them, leave the subject alone', async () => {
    const { topicView, withoutContacts } = await import('../../src/text/topic');
    const subject = (q: string) =>
      topicView(q)
        .topic.map((i) => topicView(q).tokens[i])
        .join(' ');
    expect(subject('đăng ký khai sinh cần giấy tờ gì? sđt 0912345678')).toBe('khai sinh');
    expect(subject('đăng ký khai sinh cần giấy tờ gì')).toBe('khai sinh');
    expect(withoutContacts('liên hệ a.b@gmail.com hoặc 0912 345 678')).not.toMatch(/@|\d/);
    expect(subject('làm cccd 012345678901 ở đâu')).toBe('cccd');
  });
});
