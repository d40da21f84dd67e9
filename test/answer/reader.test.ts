// The clause-level reader of the extractive answer (src/answer/reader.ts), on hand-written legal passages.
import { describe, expect, it } from 'vitest';
import { readPassage, units } from '../../src/answer/reader';

/** Every term weighs the same: the tests below depend on the words, not on corpus statistics. */
const flat = { idf: () => 1, budget: 600 };

describe('units()', () => {
  it('splits khoản, điểm, bullets and plain lines, with the lead line of each điểm and bullet', () => {
    const body = [
      '1. Hồ sơ đăng ký thường trú gồm:',
      'a) Tờ khai thay đổi thông tin cư trú;',
      'b) Giấy tờ chứng minh chỗ ở hợp pháp.',
      '',
      '2. Lệ phí đăng ký thường trú do Hội đồng nhân dân cấp tỉnh quyết định.',
      'Người nộp hồ sơ được cấp phiếu hẹn.',
    ].join('\n');
    const us = units(body);
    expect(us.map((u) => u.text)).toEqual([
      '1. Hồ sơ đăng ký thường trú gồm:',
      'a) Tờ khai thay đổi thông tin cư trú;',
      'b) Giấy tờ chứng minh chỗ ở hợp pháp.',
      '2. Lệ phí đăng ký thường trú do Hội đồng nhân dân cấp tỉnh quyết định.',
      'Người nộp hồ sơ được cấp phiếu hẹn.',
    ]);
    expect(us.map((u) => u.label)).toEqual(['khoản 1', 'khoản 1 điểm a', 'khoản 1 điểm b', 'khoản 2', 'khoản 2']);
    expect(us.map((u) => u.index)).toEqual([0, 1, 2, 3, 4]);
    expect(us[1].lead).toBe('1. Hồ sơ đăng ký thường trú gồm:');
    expect(us[2].lead).toBe('1. Hồ sơ đăng ký thường trú gồm:');
    expect(us[0].lead).toBeUndefined();
    expect(us[3].lead).toBeUndefined();
  });

  it('gives a bullet the line before it as lead only when that line introduces a list (ends with ":")', () => {
    const us = units(
      ['Hồ sơ gồm:', '- Tờ khai;', '- Giấy chứng sinh.', 'Nộp tại UBND xã.', '- Không thu phí.'].join('\n'),
    );
    expect(us.map((u) => u.lead)).toEqual([undefined, 'Hồ sơ gồm:', 'Hồ sơ gồm:', undefined, undefined]);
    // Outside any khoản there is no label; a điểm outside a khoản is labelled by its letter alone.
    expect(us.every((u) => u.label === undefined)).toBe(true);
    expect(units('đ) Trường hợp khác.')[0].label).toBe('điểm đ');
  });

  it('splits a long line into sentences without a lone clause number, each later sentence led by the first', () => {
    const line =
      '1. Trường hợp người yêu cầu đăng ký cư trú không có giấy tờ chứng minh chỗ ở hợp pháp thì cơ quan đăng ký cư trú kiểm tra thông tin trong cơ sở dữ liệu. ' +
      'Người yêu cầu đăng ký phải ký cam kết về tính chính xác của thông tin đã cung cấp. ' +
      'Cơ quan đăng ký cư trú có trách nhiệm xác minh trong thời hạn 05 ngày làm việc kể từ ngày nhận hồ sơ. ' +
      'Nếu thông tin không chính xác thì cơ quan đăng ký cư trú từ chối đăng ký và trả lời bằng văn bản nêu rõ lý do cho người yêu cầu.';
    expect(line.length).toBeGreaterThan(420);
    const us = units(line);
    expect(us.length).toBe(4);
    expect(us[0].text.startsWith('1. Trường hợp')).toBe(true);
    for (const u of us) {
      expect(u.text).not.toMatch(/^\d+\.$/);
      expect(u.text.length).toBeGreaterThanOrEqual(24);
      expect(u.label).toBe('khoản 1');
    }
    expect(us.slice(1).map((u) => u.lead)).toEqual([us[0].text, us[0].text, us[0].text]);
    // Nothing is lost or reordered.
    expect(us.map((u) => u.text).join(' ')).toBe(line);
  });

  it('keeps a short opening sentence with the one after it when a long paragraph holds numbered sentences', () => {
    const line =
      'Ghi chú. 1. Người yêu cầu đăng ký cư trú không có giấy tờ chứng minh chỗ ở hợp pháp thì cơ quan đăng ký cư trú kiểm tra thông tin trong cơ sở dữ liệu. ' +
      '2. Người yêu cầu đăng ký phải ký cam kết về tính chính xác của thông tin đã cung cấp với cơ quan đăng ký cư trú nơi mình sinh sống. ' +
      '3. Cơ quan đăng ký cư trú có trách nhiệm xác minh trong thời hạn 05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ của người yêu cầu đăng ký cư trú.';
    expect(line.length).toBeGreaterThan(420);
    const texts = units(line).map((u) => u.text);
    expect(texts[0].startsWith('Ghi chú. 1. Người yêu cầu')).toBe(true);
    expect(texts.slice(1).map((t) => t.slice(0, 3))).toEqual(['2. ', '3. ']);
    expect(texts.some((t) => /^\d+\.$/.test(t) || t === 'Ghi chú.')).toBe(false);
  });

  it('has no unit for an empty body', () => {
    expect(units('\n  \n')).toEqual([]);
    expect(readPassage('lệ phí bao nhiêu', '', flat)).toEqual({ text: '' });
  });
});

describe('readPassage()', () => {
  const annualLeave = [
    '1. Mọi người lao động làm việc cho người sử dụng lao động thì được nghỉ hằng năm, hưởng nguyên lương theo hợp đồng lao động.',
    '2. Số ngày nghỉ hằng năm là 12 ngày làm việc đối với người làm công việc trong điều kiện bình thường.',
    '3. Khi có nhu cầu, người lao động có thể thỏa thuận với người sử dụng lao động để nghỉ hằng năm thành nhiều lần.',
  ].join('\n');

  it('a figure question picks the khoản with the figure, where the same words without it pick another', () => {
    const plain = readPassage('người lao động nghỉ hằng năm', annualLeave, flat);
    expect(plain.text).not.toContain('12 ngày');
    for (const q of [
      'người lao động nghỉ hằng năm được bao nhiêu ngày',
      'người lao động được nghỉ hằng năm tối đa mấy ngày',
      'nguoi lao dong nghi hang nam duoc bao lau',
    ]) {
      const r = readPassage(q, annualLeave, flat);
      expect(r.text, q).toContain('2. Số ngày nghỉ hằng năm là 12 ngày làm việc');
    }
  });

  it('a lead-in ending with ":" is quoted with the items it introduces, and its bullets only', () => {
    const body = [
      'Thẻ căn cước bị thu hồi trong các trường hợp sau đây:',
      '- Người được cấp thẻ bị tước quốc tịch Việt Nam;',
      '- Người được cấp thẻ thôi quốc tịch Việt Nam;',
      '- Thẻ được cấp sai quy định.',
      'Ủy ban nhân dân cấp xã phối hợp với cơ quan công an trong việc quản lý cư trú.',
    ].join('\n');
    const r = readPassage('trường hợp nào bị thu hồi thẻ căn cước', body, flat);
    expect(r.text.split('\n')).toEqual([
      'Thẻ căn cước bị thu hồi trong các trường hợp sau đây:',
      '- Người được cấp thẻ bị tước quốc tịch Việt Nam;',
      '- Người được cấp thẻ thôi quốc tịch Việt Nam;',
      '- Thẻ được cấp sai quy định.',
    ]);
  });

  it('a long list shows the start of every item (shorter items), not the first ones whole and the rest not at all', () => {
    const long = (s: string) =>
      `${s} ${'theo quy định của pháp luật về đất đai và pháp luật khác có liên quan '.repeat(3)}`;
    const body = [
      '1. Người sử dụng đất được thực hiện quyền chuyển nhượng quyền sử dụng đất khi có đủ các điều kiện sau đây:',
      long('a) Có Giấy chứng nhận quyền sử dụng đất'),
      long('b) Đất không có tranh chấp hoặc tranh chấp đã được giải quyết'),
      long('c) Quyền sử dụng đất không bị kê biên'),
      long('d) Trong thời hạn sử dụng đất'),
      '2. Người nhận chuyển nhượng phải đáp ứng điều kiện khác.',
    ].join('\n');
    const r = readPassage('chuyển nhượng quyền sử dụng đất khi có đủ những điều kiện nào', body, {
      ...flat,
      budget: 440,
    });
    for (const item of [
      'a) Có Giấy',
      'b) Đất không có tranh chấp',
      'c) Quyền sử dụng đất không bị kê biên',
      'd) Trong thời hạn',
    ])
      expect(r.text).toContain(item);
    expect(r.text).not.toContain('2. Người nhận');
    expect(r.text.length).toBeLessThan(440 + 200);
    expect(r.label).toBe('khoản 1');
  });

  it('several điểm of one khoản are cited as that khoản; one điểm as "khoản N điểm x" with its lead line', () => {
    const body = [
      '1. Ủy ban nhân dân cấp tỉnh quyết định giá đất cụ thể.',
      '2. Chủ tịch Ủy ban nhân dân cấp xã có thẩm quyền quyết định các nội dung sau:',
      'a) Phê duyệt kế hoạch sử dụng đất hằng năm của xã;',
      'b) Cho thuê đất công ích của xã;',
      'c) Thu hồi đất trong các trường hợp luật định.',
    ].join('\n');
    const whole = readPassage(
      'chủ tịch ủy ban nhân dân cấp xã có thẩm quyền quyết định những nội dung nào',
      body,
      flat,
    );
    expect(whole.label).toBe('khoản 2');
    expect(whole.text).toContain('a) Phê duyệt kế hoạch sử dụng đất');
    expect(whole.text).toContain('b) Cho thuê đất công ích');
    expect(whole.text).toContain('c) Thu hồi đất');
    expect(whole.text).not.toContain('giá đất cụ thể');

    const one = readPassage('cho thuê đất công ích của xã', body, flat);
    expect(one.label).toBe('khoản 2 điểm b');
    expect(one.text.split('\n')).toEqual([
      '2. Chủ tịch Ủy ban nhân dân cấp xã có thẩm quyền quyết định các nội dung sau:',
      'b) Cho thuê đất công ích của xã;',
    ]);
  });

  it('units from different khoản carry no single label', () => {
    const r = readPassage('người lao động nghỉ hằng năm', annualLeave, flat);
    expect(r.text).toContain('1. Mọi người lao động');
    expect(r.text).toContain('3. Khi có nhu cầu, người lao động');
    // Non-adjacent units are separated by an ellipsis line.
    expect(r.text.split('\n')).toContain('…');
    expect(r.label).toBeUndefined();
  });

  it('the clause option quotes the named khoản whatever the words say', () => {
    const q = 'người lao động nghỉ hằng năm';
    expect(readPassage(q, annualLeave, flat).text).not.toContain('12 ngày');
    const r = readPassage(q, annualLeave, { ...flat, clause: 2 });
    expect(r.text.startsWith('2. Số ngày nghỉ hằng năm')).toBe(true);
    expect(r.label).toBe('khoản 2');
  });

  describe('heading option', () => {
    const heading = 'Điều 20. Điều kiện đăng ký thường trú';
    const body = [
      '1. Công dân có chỗ ở hợp pháp thuộc quyền sở hữu của mình thì được đăng ký thường trú tại chỗ ở hợp pháp đó.',
      '2. Công dân được đăng ký thường trú tại chỗ ở hợp pháp không thuộc quyền sở hữu của mình khi được chủ hộ đồng ý.',
      '3. Công dân được đăng ký thường trú tại chỗ ở hợp pháp do thuê, mượn, ở nhờ khi bảo đảm diện tích nhà ở tối thiểu.',
      '4. Người cao tuổi được đăng ký thường trú tại cơ sở trợ giúp xã hội.',
    ].join('\n');

    it('quotes from the start when every subject word of the question is in the heading', () => {
      const r = readPassage('điều kiện đăng ký thường trú là gì', body, { ...flat, budget: 250, heading });
      const lines = r.text.split('\n');
      expect(lines[0].startsWith('1. Công dân có chỗ ở hợp pháp')).toBe(true);
      // As many units as fit, then an ellipsis for the rest.
      expect(lines.at(-1)).toBe('…');
      expect(r.text).not.toContain('Người cao tuổi');
    });

    it('reads the clause when the question names something the heading does not', () => {
      const r = readPassage('điều kiện đăng ký thường trú khi thuê, mượn, ở nhờ', body, { ...flat, heading });
      expect(r.text.startsWith('3. Công dân được đăng ký thường trú tại chỗ ở hợp pháp do thuê')).toBe(true);
      expect(r.label).toBe('khoản 3');
    });

    it('a named clause wins over the heading', () => {
      const r = readPassage('điều kiện đăng ký thường trú', body, { ...flat, heading, clause: 4 });
      expect(r.text.startsWith('4. Người cao tuổi')).toBe(true);
    });
  });

  it('stays near the budget: one long unit is clipped at a word with an ellipsis', () => {
    const long = `1. Người lao động được nghỉ việc riêng mà vẫn hưởng nguyên lương ${'trong các trường hợp do pháp luật quy định và theo thỏa thuận '.repeat(6)}khi kết hôn.`;
    const r = readPassage('nghỉ việc riêng hưởng nguyên lương', long, { idf: () => 1, budget: 120 });
    expect(r.text.length).toBeLessThanOrEqual(120);
    expect(r.text.endsWith('…')).toBe(true);
    expect(r.text.startsWith('1. Người lao động được nghỉ việc riêng')).toBe(true);
  });

  it('words the title shares with every unit (context) do not decide which unit is quoted', () => {
    const body = [
      'Thời hạn giải quyết đăng ký khai sinh là trong ngày làm việc.',
      'Người đi đăng ký khai sinh nộp tờ khai và giấy chứng sinh.',
    ].join('\n');
    // "đăng ký khai sinh" is in both; "tờ khai" only in the second.
    const r = readPassage('đăng ký khai sinh tờ khai', body, { ...flat, context: 'Đăng ký khai sinh' });
    expect(r.text.split('\n')[0]).toBe('Người đi đăng ký khai sinh nộp tờ khai và giấy chứng sinh.');
  });
});
