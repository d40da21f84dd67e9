// /id, the one-time web sign-in code, and the check-in shapes that depend on the chat: bare codes in a group with
// an open session, and the web asking for a name once.
import { afterAll, describe, expect, it } from 'vitest';
import type { SqliteAttendanceStore } from '../../src/attendance';
import { endWebSession, redeemSignInCode, startWebSession, webSessionIdentity } from '../../src/attendance/sign-in';
import { cleanupTmp, harness } from './helpers';

afterAll(cleanupTmp);

describe('/id', () => {
  it('tells the user their channel:userId and role, and how to become a trainer', async () => {
    const h = harness();
    const user = await h.say('42', '/id');
    expect(user).toContain('Mã người dùng của bạn: telegram:42');
    expect(user).toContain('Vai trò: người dùng.');
    expect(user).toContain('gửi mã này cho quản trị viên');
    expect(await h.say('900', 'id', 'trainer', { channel: 'zalo' })).toBe(
      'Mã người dùng của bạn: zalo:900\nVai trò: giảng viên.',
    );
    // A bare "id" in a group is chatter, not a command.
    expect(await h.say('42', 'id', 'user', { isGroup: true, chatId: '-100' })).toBe('');
  });
});

describe('web sign-in with a one-time code', () => {
  it('gives a trainer an 8-digit code in a private chat, usable once, for ten minutes', async () => {
    const h = harness();
    const reply = await h.say('900', '/dangnhap', 'trainer');
    const code = /Mã đăng nhập trang web: (\d{4}) (\d{4})/.exec(reply)!.slice(1).join('');
    expect(reply).toContain('/admin/login');
    expect(redeemSignInCode(h.a.store, '0000 0000', h.clock.ms)).toBeUndefined();
    expect(redeemSignInCode(h.a.store, `${code.slice(0, 4)} ${code.slice(4)}`, h.clock.ms)).toBe('telegram:900');
    expect(redeemSignInCode(h.a.store, code, h.clock.ms)).toBeUndefined(); // used
    // A pending hash is never issued twice.
    expect(h.a.store.createSignInCode('same-hash', 'telegram:1', h.clock.ms, h.clock.ms + 60_000)).toBe(true);
    expect(h.a.store.createSignInCode('same-hash', 'telegram:2', h.clock.ms, h.clock.ms + 60_000)).toBe(false);

    const late = /(\d{4}) (\d{4})/
      .exec(await h.say('900', '/dangnhap', 'trainer'))!
      .slice(1)
      .join('');
    h.clock.advanceMinutes(11);
    expect(redeemSignInCode(h.a.store, late, h.clock.ms)).toBeUndefined(); // expired
  });

  it('refuses users, groups and the web itself', async () => {
    const h = harness();
    expect(await h.say('42', '/dangnhap')).toContain('chỉ giảng viên');
    expect(await h.say('900', '/dangnhap', 'trainer', { isGroup: true, chatId: '-100' })).toContain('tin nhắn riêng');
    expect(await h.say('900', '/dangnhap', 'trainer', { channel: 'web' })).toContain('Bạn đang dùng trang web');
  });

  it('keeps web sessions as hashes until logout, and ends them when the trainer is removed', () => {
    const h = harness();
    const s = startWebSession(h.a.store, 'telegram:900', h.clock.ms);
    expect(webSessionIdentity(h.a.store, s.token, h.clock.ms)).toBe('telegram:900');
    expect(webSessionIdentity(h.a.store, 'x'.repeat(43), h.clock.ms)).toBeUndefined();
    const dump = JSON.stringify((h.a.store as SqliteAttendanceStore).db.prepare('SELECT * FROM web_sessions').all());
    expect(dump).not.toContain(s.token);
    endWebSession(h.a.store, s.token);
    expect(webSessionIdentity(h.a.store, s.token, h.clock.ms)).toBeUndefined();

    h.a.store.upsertTrainer({ identity: 'zalo:77', name: 'Cô Hoa', addedBy: 'admin', addedAt: h.clock.ms });
    expect(h.a.isTrainer('zalo:77')).toBe(true);
    const s2 = startWebSession(h.a.store, 'zalo:77', h.clock.ms);
    expect(h.a.store.removeTrainer('zalo:77')).toBe(true);
    expect(h.a.isTrainer('zalo:77')).toBe(false);
    expect(webSessionIdentity(h.a.store, s2.token, h.clock.ms)).toBeUndefined();
  });
});

describe('check-ins that depend on the chat', () => {
  it('accepts a bare code and a glued code in the group where the session is open', async () => {
    const h = harness();
    const group = { isGroup: true, chatId: '-200' };
    const code = await h.open('/mo Lớp A 30', 'trainer1', group);
    expect(await h.say('u1', `${code} Nguyễn Văn An`, 'user', group)).toMatch(/^✅ Đã điểm danh: Nguyễn Văn An/);
    expect(await h.say('u2', `dd${code} Trần Thị Bình`, 'user', group)).toMatch(/^✅ Đã điểm danh: Trần Thị Bình/);
    expect(await h.say('u2', `dd${code}`, 'user', { chatId: 'private-u2' })).toMatch(/^Bạn đã điểm danh lúc/);
    // Elsewhere, or with another code, a bare code is not a check-in (the message goes on as a question).
    expect(await h.send({ userId: 'u3', text: `${code} Lê Văn C` })).toBeNull();
    const other = code === 'K7QXM2P9' ? 'K7QXM2P8' : 'K7QXM2P9';
    expect(await h.send({ userId: 'u3', text: `${other} Lê Văn C`, ...group })).toBeNull();
    // Codes are 8 characters: a 4-character bare word is never read as one, not even in that group.
    expect(await h.send({ userId: 'u3', text: `${code.slice(0, 4)} Lê Văn C`, ...group })).toBeNull();
    // A wrong bare code is a question, not a wrong code: it uses none of the guesser's budget.
    for (let i = 0; i < 12; i++) await h.send({ userId: 'u3', text: `${other} Lê Văn C`, ...group });
    expect(await h.say('u3', `dd ${code} Lê Văn C`, 'user', group)).toMatch(/^✅ Đã điểm danh: Lê Văn C/);
  });

  it('asks a web user for their name instead of recording a placeholder', async () => {
    const h = harness();
    const code = await h.open('/mo Lớp A 30');
    const web = { channel: 'web' as const, userName: '' };
    const ask = await h.send({ userId: 'w1', text: `dd ${code}`, ...web });
    expect(ask?.text).toContain('cho biết họ và tên');
    expect(ask?.prompt).toEqual({ kind: 'name', command: `dd ${code}` });
    expect(h.a.store.countCheckins(h.a.store.getSessionByCode(code)!.id)).toBe(0);
    expect(await h.say('w1', `dd ${code} Nguyễn Văn An`, 'user', web)).toMatch(/^✅ Đã điểm danh: Nguyễn Văn An/);
    // A remembered name comes with later messages.
    expect(await h.say('w2', `dd ${code}`, 'user', { channel: 'web', userName: 'Trần Thị Bình' })).toMatch(
      /^✅ Đã điểm danh: Trần Thị Bình/,
    );
  });
});
