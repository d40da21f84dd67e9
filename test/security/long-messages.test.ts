// Security finding 6 of issue 15: a megabyte-long message full of mentions used to block the event loop for
// minutes in the attendance grammar (quadratic mention stripping on the untruncated text).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAttendance } from '../../src/attendance/grammar';
import { makeFixture, textMsg, type Fixture } from '../helpers/fixture';

let fx: Fixture;
beforeAll(async () => {
  fx = await makeFixture({ RATE_LIMIT_PER_MINUTE: '1000' });
});
afterAll(() => fx?.cleanup());

const mentions = (n: number) => '@a '.repeat(n);

describe('finding 6: long messages', () => {
  it('the grammar gives up on a 1 MB message of mentions at once (it is no attendance command)', () => {
    expect(parseAttendance(`${mentions(350_000)}dd K7QXM2P9 Nguyễn Văn An`)).toBeNull();
  }, 30_000);

  it('mentions in front of a real check-in are still skipped', () => {
    expect(parseAttendance('@bot @lop dd K7QXM2P9 Nguyễn Văn An')).toMatchObject({
      kind: 'checkin',
      code: 'K7QXM2P9',
      name: 'Nguyễn Văn An',
    });
    expect(parseAttendance(`${mentions(100)}dd K7QXM2P9`)).toMatchObject({ kind: 'checkin', code: 'K7QXM2P9' });
  });

  it('the chat core answers a 1 MB Zalo message as a (truncated) question instead of hanging', async () => {
    const out = await fx.core().handle(
      textMsg(`${mentions(350_000)}đăng ký tạm trú cần giấy tờ gì`, {
        channel: 'zalo',
        chatId: 'z-long',
        userId: 'z-long',
      }),
    );
    expect(out).toHaveLength(1);
    expect(out[0].text).toContain('Câu hỏi dài hơn');
  }, 30_000);
});
