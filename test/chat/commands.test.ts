// One command table and one typed-command grammar for every channel; button actions on the wire.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionSchema, decodeAction, encodeAction } from '../../src/chat/actions';
import { BOT_COMMANDS, isAttendanceCommand, parseCommand } from '../../src/chat/commands';
import type { ButtonAction, Channel } from '../../src/domain/chat';
import { makeFixture, textMsg, type Fixture } from '../helpers/fixture';

describe('parseCommand', () => {
  it('reads slash commands with a bot suffix and arguments', () => {
    expect(parseCommand('/hoi@MyBot  lệ phí tạm trú')).toEqual({
      name: 'hoi',
      target: 'MyBot',
      args: 'lệ phí tạm trú',
      slash: true,
    });
    expect(parseCommand('/DS K7QX')).toMatchObject({ name: 'ds', args: 'K7QX', slash: true });
  });

  it('reads the bare words of the table and leaves questions alone', () => {
    expect(parseCommand('help')).toMatchObject({ name: 'help', args: '' });
    expect(parseCommand(' Thủ tục ')).toMatchObject({ name: 'thutuc' });
    expect(parseCommand('nguồn')).toMatchObject({ name: 'nguon', args: '' });
    expect(parseCommand('văn bản')).toMatchObject({ name: 'nguon', args: 'tatca' });
    expect(parseCommand('Start!')).toMatchObject({ name: 'start' });
    expect(parseCommand('hoi lệ phí tạm trú')).toMatchObject({ name: 'hoi', args: 'lệ phí tạm trú', slash: false });
    expect(parseCommand('Hỏi: lệ phí tạm trú')).toMatchObject({ name: 'hoi', args: 'lệ phí tạm trú' });
    expect(parseCommand('Hội nông dân xã ở đâu')).toBeUndefined();
    expect(parseCommand('thủ tục khai sinh cần gì')).toBeUndefined();
  });

  it('derives the menu and the attendance commands from the same table', () => {
    expect(BOT_COMMANDS.map((c) => c.command)).toEqual([
      'start',
      'help',
      'hoi',
      'thutuc',
      'nguon',
      'diemdanh',
      'mo',
      'dong',
      'ds',
      'xuat',
      'vang',
      'them',
      'lop',
      'dangnhap',
      'id',
    ]);
    expect(isAttendanceCommand('mo')).toBe(true);
    expect(isAttendanceCommand('dd')).toBe(true);
    expect(isAttendanceCommand('thutuc')).toBe(false);
    expect(isAttendanceCommand('khongco')).toBe(false);
  });
});

describe('button actions', () => {
  const all: ButtonAction[] = [
    { type: 'vote', answerId: 'aB3_-x', vote: 'up' },
    { type: 'vote', answerId: 'aB3_-x', vote: 'down' },
    { type: 'voted' },
    { type: 'catalog' },
    { type: 'field', field: 3 },
    { type: 'procedure', docId: 'dang-ky-khai-sinh' },
    { type: 'procedure-at', index: 12 },
    { type: 'section', procedure: 2, section: 4 },
  ];

  it('round-trip through Telegram callback data of at most 64 bytes, in the formats of earlier versions', () => {
    for (const a of all) {
      const data = encodeAction(a);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      expect(decodeAction(data)).toEqual(a);
      expect(actionSchema.parse(a)).toEqual(a);
    }
    expect(encodeAction({ type: 'vote', answerId: 'abc', vote: 'up' })).toBe('fb:abc:up');
    expect(encodeAction({ type: 'section', procedure: 1, section: 4 })).toBe('tt:s:1:4');
  });

  it('refuse data and objects that are no button of ours', () => {
    for (const bad of ['', 'fb:x y:up', 'fb:abc:maybe', 'tt:f:-1', 'tt:s:1', 'tt:p:', 'xx:home'])
      expect(decodeAction(bad)).toBeUndefined();
    expect(actionSchema.safeParse({ type: 'vote', answerId: 'abc', vote: 'sideways' }).success).toBe(false);
    expect(actionSchema.safeParse({ type: 'field', field: 1.5 }).success).toBe(false);
    expect(actionSchema.safeParse('tt:home').success).toBe(false);
  });
});

describe('the same typed-command grammar on every channel', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await makeFixture();
  });
  afterAll(() => fx?.cleanup());

  it.each<Channel>(['telegram', 'zalo', 'zalo-oa', 'web'])(
    '"thủ tục" and "văn bản" without "/" work on %s',
    async (channel) => {
      const core = fx.core();
      const [menu] = await core.handle(textMsg('Thủ tục', { channel, chatId: `c-${channel}`, userId: `u-${channel}` }));
      expect(menu.text).toBe('Chọn lĩnh vực để xem các thủ tục:');
      expect(menu.buttons?.flat()[0].action).toEqual({ type: 'field', field: 0 });
      const [docs] = await core.handle(textMsg('văn bản', { channel, chatId: `c-${channel}`, userId: `u-${channel}` }));
      expect(docs.text).toMatch(/văn bản|Văn bản/);
      const [id] = await core.handle(textMsg('id', { channel, chatId: `c-${channel}`, userId: `u-${channel}` }));
      expect(id.text).toContain(`${channel}:u-${channel}`);
    },
  );

  it('a stale or forged button gets the expired-button notice', async () => {
    const [out] = await fx.core().handle(textMsg('', { action: { type: 'invalid' } }));
    expect(out.notice).toBe('Nút này đã hết hạn. Gõ /thutuc để xem lại danh mục.');
  });
});
