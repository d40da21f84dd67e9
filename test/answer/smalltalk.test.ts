// Greetings, thanks and goodbyes (src/answer/smalltalk.ts): only a message that is nothing else is small talk.
import { describe, expect, it } from 'vitest';
import { smallTalk } from '../../src/answer/smalltalk';

describe('smallTalk()', () => {
  it.each([
    'xin chào',
    'Xin chào!',
    'xin chao',
    'XIN CHAO',
    'chào',
    'chào bạn',
    'chao ban',
    'Chào em',
    'chào ad',
    'xin chào ạ',
    'hello',
    'Hi!',
    'alo',
    'hi ad oi',
  ])('"%s" is a greeting', (t) => expect(smallTalk(t)).toBe('greeting'));

  it.each([
    'cảm ơn',
    'cám ơn',
    'cam on',
    'Cảm ơn bạn',
    'cam on ban nhieu',
    'cảm ơn nhiều nhé',
    'dạ cảm ơn ạ',
    'ok cảm ơn',
    'thanks',
    'Thank you!',
    'tks',
  ])('"%s" is thanks', (t) => expect(smallTalk(t)).toBe('thanks'));

  it.each(['tạm biệt', 'Tam biet', 'bye', 'hẹn gặp lại', 'Chào tạm biệt!'])('"%s" is a goodbye', (t) =>
    expect(smallTalk(t)).toBe('bye'),
  );

  it.each([
    'xin chào, làm giấy khai sinh cần gì',
    'xin chao cho hoi lam giay khai sinh can gi',
    'chào bạn, lệ phí đăng ký tạm trú bao nhiêu',
    'cảm ơn, còn lệ phí thì sao',
    'cảm ơn bạn rất nhiều vì đã giúp mình hôm nay nhé',
    'hộ chiếu',
    'chào mừng năm học mới',
    'ok',
    '',
    '   ',
    '!!!',
  ])('"%s" is not small talk', (t) => expect(smallTalk(t)).toBeUndefined());
});
