import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CODE_ALPHABET, CODE_LENGTH, pickCode, randomCode, CODE_RE } from '../../src/attendance/code';
import type { SqliteAttendanceStore } from '../../src/attendance';
import { cleanupTmp, harness, T0, type Harness } from './helpers';

afterAll(cleanupTmp);

let h: Harness;
afterEach(() => h?.a.close());

const rows = (hh: Harness): number =>
  ((hh.a.store as SqliteAttendanceStore).db.prepare('SELECT COUNT(*) AS n FROM checkins').get() as { n: number }).n;

describe('opening a session', () => {
  it('replies with the code, the class and the closing time in Vietnam time', async () => {
    h = harness();
    const reply = await h.say('trainer1', '/mo Lớp kỹ năng số thôn 3 30', 'trainer');
    expect(reply).toMatch(/^Đã mở điểm danh "Lớp kỹ năng số thôn 3"\.$/m);
    const code = /^Mã điểm danh: (\S+)$/m.exec(reply)![1];
    expect(code).toMatch(CODE_RE);
    expect(code).toMatch(/\d/);
    expect(reply).toContain(`Học viên gửi: diemdanh ${code} Họ và tên — hạn đến 09:30 hôm nay.`);
    expect(reply).toBe(reply.normalize('NFC'));
  });

  it('shows the date when the session closes on another day', async () => {
    h = harness();
    h.clock.ms = Date.parse('2025-11-21T16:50:00Z'); // 23:50 in Vietnam
    const reply = await h.say('trainer1', '/mo Lớp tối 30', 'trainer');
    expect(reply).toContain('hạn đến 00:20 ngày 22/11/2025');
  });

  it('reuses the class, records capacity and accepts the Zalo form without slash', async () => {
    h = harness();
    await h.open('/mo Lớp A 30');
    const reply = await h.say('trainer1', 'mo Lớp A 45 sĩ số 40', 'trainer', { channel: 'zalo', userId: 'trainer1' });
    expect(reply).toContain('Sĩ số tối đa: 40 người.');
    expect(h.a.store.findClasses({}).length).toBe(2); // telegram:trainer1 and zalo:trainer1 are different owners
    await h.open('/mo lop a 10');
    expect(h.a.store.findClasses({ owner: 'telegram:trainer1' }).length).toBe(1);
  });

  it('gives distinct codes from an alphabet without look-alikes', async () => {
    h = harness();
    const codes = new Set<string>();
    for (let i = 0; i < 150; i++) codes.add(await h.open(`/mo Lớp ${i % 7} buổi ${i} 60`));
    expect(codes.size).toBe(150);
    for (const c of codes) expect(c).not.toMatch(/[01OIL]/);
    expect(CODE_ALPHABET).not.toMatch(/[01OIL]/);
  });

  it('picks 8-character codes, longer ones only when those are taken', () => {
    expect(pickCode(() => false)).toHaveLength(CODE_LENGTH);
    const code = pickCode((c) => c.length === CODE_LENGTH);
    expect(code).toHaveLength(CODE_LENGTH + 1);
    expect(randomCode(10)).toMatch(CODE_RE);
    expect(() => pickCode(() => true)).toThrow();
  });

  it('answers usage help for malformed /mo', async () => {
    h = harness();
    expect(await h.say('trainer1', '/mo', 'trainer')).toContain('Cú pháp mở điểm danh');
    expect(await h.say('trainer1', '/mo Lớp A 5000 phút', 'trainer')).toContain('Số phút phải từ 1 đến 1440');
  });
});

describe('checking in', () => {
  it('confirms, then answers a repeat without a second row, and updates the name', async () => {
    h = harness();
    const code = await h.open('/mo Lớp kỹ năng số thôn 3 30');
    h.clock.advanceMinutes(2);
    expect(await h.say('u1', `dd ${code.toLowerCase()} Nguyễn Văn An`)).toBe(
      '✅ Đã điểm danh: Nguyễn Văn An — Lớp kỹ năng số thôn 3, 09:02.',
    );
    h.clock.advanceMinutes(3);
    expect(await h.say('u1', `dd ${code}`)).toBe('Bạn đã điểm danh lúc 09:02 rồi.');
    expect(await h.say('u1', `điểm danh ${code} Nguyễn Văn Ân`)).toBe(
      'Bạn đã điểm danh lúc 09:02 rồi. Đã cập nhật tên: Nguyễn Văn Ân.',
    );
    expect(rows(h)).toBe(1);
    const list = await h.say('trainer1', '/ds', 'trainer');
    expect(list).toContain('1. Nguyễn Văn Ân — 09:02');
    expect(list).toContain('Tổng: 1 người.');
  });

  it('uses the chat name when none is typed', async () => {
    h = harness();
    const code = await h.open('/mo Lớp A');
    expect(await h.say('u7', `/diemdanh ${code}`, 'user', { userName: 'Hoàng Thị Lan' })).toContain('Hoàng Thị Lan');
  });

  it('rejects unknown, closed and expired sessions with one answer that names no class', async () => {
    h = harness();
    const wrong = (code: string) =>
      `Mã điểm danh ${code} không đúng hoặc đã hết hạn. Kiểm tra lại mã với giảng viên; nếu bạn có mặt mà không điểm danh được, hãy báo giảng viên.`;
    expect(await h.say('u1', 'dd K7QZM2P9')).toBe(wrong('K7QZM2P9'));
    const code = await h.open('/mo Lớp A 30');
    h.clock.advanceMinutes(29);
    expect(await h.say('u1', `dd ${code}`)).toMatch(/^✅/);
    h.clock.advanceMinutes(1);
    expect(await h.say('u2', `dd ${code}`)).toBe(wrong(code));
    const code2 = await h.open('/mo Lớp B 30');
    expect(await h.say('trainer1', '/dong', 'trainer')).toBe(
      `Đã đóng điểm danh "Lớp B" (mã ${code2}): 0 người có mặt.`,
    );
    expect(await h.say('u2', `dd ${code2}`)).toBe(wrong(code2));
    expect(await h.say('trainer1', '/dong', 'trainer')).toContain('không có buổi điểm danh nào đang mở');
    expect(await h.say('trainer1', `/dong ${code2}`, 'trainer')).toContain('đã đóng từ');
    expect(rows(h)).toBe(1);
  });

  it('closes the given session, or the latest open one', async () => {
    h = harness();
    const a = await h.open('/mo Lớp A 60');
    const b = await h.open('/mo Lớp B 60');
    expect(await h.say('trainer1', `đóng ${a}`, 'trainer')).toContain(`(mã ${a})`);
    expect(await h.say('trainer1', '/dong@MyBot', 'trainer')).toContain(`(mã ${b})`);
  });

  it('enforces the capacity but still answers repeats', async () => {
    h = harness();
    const code = await h.open('/mo Lớp A 30 sĩ số 2');
    expect(await h.say('u1', `dd ${code}`)).toMatch(/^✅/);
    expect(await h.say('u2', `dd ${code}`)).toMatch(/^✅/);
    expect(await h.say('u3', `dd ${code}`)).toBe(
      `Buổi điểm danh mã ${code} ("Lớp A") đã đủ 2 người. Vui lòng báo giảng viên.`,
    );
    expect(await h.say('u1', `dd ${code}`)).toMatch(/^Bạn đã điểm danh/);
    expect(rows(h)).toBe(2);
  });

  it('checks in without a code in the group where the session was opened', async () => {
    h = harness();
    const group = { chatId: 'group-1', isGroup: true };
    await h.open('/mo Lớp A 30', 'trainer1', group);
    expect(await h.say('u1', 'có mặt', 'user', group)).toBe('✅ Đã điểm danh: Người dùng u1 — Lớp A, 09:00.');
    expect(await h.say('u2', '/diemdanh', 'user', group)).toMatch(/^✅/);
    expect(await h.say('u3', 'co mat Trần Văn Ba', 'user', group)).toContain('Trần Văn Ba');
    expect(await h.say('u4', 'dd Thanh', 'user', group)).toBe('✅ Đã điểm danh: Thanh — Lớp A, 09:00.');
    // Another group has no open session: ordinary chatter stays untouched, the explicit command explains.
    const other = { chatId: 'group-2', isGroup: true };
    expect(await h.send({ userId: 'u5', text: 'có mặt', ...other })).toBeNull();
    expect(await h.say('u5', '/diemdanh', 'user', other)).toContain('chưa có buổi điểm danh nào đang mở');
    expect(rows(h)).toBe(4);
  });

  it('hints when a check-in is malformed in a private chat', async () => {
    h = harness();
    for (const t of ['diem danh', 'dd', 'có mặt', '/diemdanh', 'điểm danh Nguyễn Văn An']) {
      expect(await h.say('u1', t)).toContain('Để điểm danh, gửi: diemdanh <mã> Họ và tên');
    }
    expect(await h.send({ userId: 'u1', text: 'điểm danh là gì' })).toBeNull();
    expect(await h.send({ userId: 'u1', text: '', kind: 'sticker' })).toBeNull();
  });
});

describe('permissions', () => {
  it('refuses trainer commands from users, politely, and leaves slash-less text to the question path', async () => {
    h = harness();
    for (const t of ['/mo Lớp A', '/dong', '/ds', '/xuat']) {
      expect(await h.say('u1', t)).toContain('Xin lỗi, chỉ giảng viên mới dùng được lệnh này');
    }
    expect(await h.send({ userId: 'u1', text: 'mo Lớp A 30' })).toBeNull();
    expect(h.a.store.findClasses({}).length).toBe(0);
  });

  it('shows trainers only their own classes; admins everything', async () => {
    h = harness();
    const a = await h.open('/mo Lớp Một 60', 'trainer1');
    const b = await h.open('/mo Lớp Hai 60', 'trainer2');
    await h.say('u1', `dd ${a} An`);
    await h.say('u2', `dd ${b} Bình`);
    expect(await h.say('trainer2', `/ds ${a}`, 'trainer')).toBe(`Buổi điểm danh mã ${a} không thuộc lớp của bạn.`);
    expect(await h.say('trainer2', `/dong ${a}`, 'trainer')).toContain('không thuộc lớp của bạn');
    expect(await h.say('trainer2', `/xuat ${a}`, 'trainer')).toContain('không thuộc lớp của bạn');
    expect(await h.say('trainer2', '/xuat Lớp Một', 'trainer')).toBe(
      'Không tìm thấy lớp "Lớp Một" trong các lớp của bạn.',
    );

    const own = await h.send({ userId: 'trainer2', text: '/xuat' }, 'trainer');
    expect(own!.text).toContain('Đã xuất 1 lượt điểm danh (1 buổi)');
    const csv = own!.files!.find((f) => f.filename.endsWith('.csv'))!.data.toString('utf8');
    expect(csv).toContain('Bình');
    expect(csv).not.toContain('Lớp Một');

    const all = await h.send({ userId: 'boss', text: '/xuat' }, 'admin');
    expect(all!.text).toContain('Đã xuất 2 lượt điểm danh (2 buổi)');
    expect(all!.files!.map((f) => f.mimeType)).toEqual([
      'text/csv; charset=utf-8',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ]);
    expect(await h.say('boss', `/ds ${a}`, 'admin')).toContain('1. An — 09:00');
    expect(await h.say('boss', `/dong ${a}`, 'admin')).toContain('Đã đóng điểm danh "Lớp Một"');
  });

  it('exports by class name and date range (Vietnam days)', async () => {
    h = harness();
    const a = await h.open('/mo Lớp kỹ năng số thôn 3 60');
    await h.say('u1', `dd ${a}`);
    h.clock.ms = T0 + 24 * 3600_000; // next day
    const b = await h.open('/mo Lớp kỹ năng số thôn 3 60');
    await h.say('u1', `dd ${b}`);
    await h.say('u2', `dd ${b}`);
    const all = await h.send({ userId: 'trainer1', text: '/xuat lop ky nang so thon 3' }, 'trainer');
    expect(all!.text).toContain('Đã xuất 3 lượt điểm danh (2 buổi) — Lớp kỹ năng số thôn 3');
    const day2 = await h.send(
      { userId: 'trainer1', text: '/xuat Lớp kỹ năng số thôn 3 22/11/2025 22/11/2025' },
      'trainer',
    );
    expect(day2!.text).toContain('Đã xuất 2 lượt điểm danh (1 buổi)');
    const byCode = await h.send({ userId: 'trainer1', text: `/xuat ${a.toLowerCase()}` }, 'trainer');
    expect(byCode!.text).toContain('Đã xuất 1 lượt điểm danh');
    expect(byCode!.files![0].filename).toBe(`diem-danh-${a.toLowerCase()}-20251122.csv`);
    expect(await h.say('trainer1', '/xuat 2025-01-01 2025-01-31', 'trainer')).toBe(
      'Không có lượt điểm danh nào phù hợp để xuất.',
    );
    expect(await h.say('trainer1', '/xuat 31/02/2025', 'trainer')).toContain('Ngày không hợp lệ: 31/02/2025');
    expect(await h.send({ userId: 'trainer1', text: 'xuất hóa đơn điện tử' }, 'trainer')).toBeNull();
  });
});
