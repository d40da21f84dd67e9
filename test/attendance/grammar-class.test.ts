// The new grammar: glued and bare codes, /id, /dangnhap, /vang, /them, /lop.
import { describe, expect, it } from 'vitest';
import { parseAttendance } from '../../src/attendance/grammar';

describe('class-running grammar', () => {
  it.each([
    ['dd2Q79XK4M', { kind: 'checkin', code: '2Q79XK4M', name: undefined }],
    ['DD2q79xk4m Nguyễn Văn An', { kind: 'checkin', code: '2Q79XK4M', name: 'Nguyễn Văn An' }],
    ['/diemdanhK7QXM2P9 Lê Thị Hoa', { kind: 'checkin', explicit: true, code: 'K7QXM2P9', name: 'Lê Thị Hoa' }],
    ['ddk7qx-m2p9 Lê Thị Hoa', { kind: 'checkin', code: 'K7QXM2P9', name: 'Lê Thị Hoa' }],
    // A session opened before codes became 8 characters long can still be named by its 4-character code.
    ['dd2Q79', { kind: 'checkin', code: '2Q79', name: undefined }],
    [
      '2Q79XK4M Nguyễn Văn An',
      { kind: 'checkin', explicit: false, bare: true, code: '2Q79XK4M', name: 'Nguyễn Văn An' },
    ],
    ['k7qxm2p9', { kind: 'checkin', bare: true, code: 'K7QXM2P9', name: undefined }],
    ['K7QX-M2P9 Lê Thị Hoa', { kind: 'checkin', bare: true, code: 'K7QXM2P9', name: 'Lê Thị Hoa' }],
    ['/id', { kind: 'identity', explicit: true }],
    ['ID', { kind: 'identity', explicit: false }],
    ['/dangnhap', { kind: 'signin', explicit: true }],
    ['Đăng nhập', { kind: 'signin', explicit: false }],
    ['/vang', { kind: 'absent', explicit: true, code: undefined }],
    ['/vang k7qx', { kind: 'absent', code: 'K7QX' }],
    ['vắng', { kind: 'absent', explicit: false }],
    ['/them Nguyễn Văn An', { kind: 'add-late', names: ['Nguyễn Văn An'] }],
    ['/them An; Bình,\nCường', { kind: 'add-late', names: ['An', 'Bình', 'Cường'] }],
    ['/lop', { kind: 'class', action: { kind: 'list' } }],
    ['/lop Lớp kỹ năng số thôn 3', { kind: 'class', action: { kind: 'show', className: 'Lớp kỹ năng số thôn 3' } }],
    ['/lop Lớp A muộn 10', { kind: 'class', action: { kind: 'grace', className: 'Lớp A', minutes: 10 } }],
    ['/lop Lớp A muon 10 phút', { kind: 'class', action: { kind: 'grace', className: 'Lớp A', minutes: 10 } }],
    ['/lop Lớp A tre 999', { kind: 'class', action: { kind: 'grace', className: 'Lớp A', minutes: null } }],
    ['/lop Lớp A xoá 3', { kind: 'class', action: { kind: 'remove', className: 'Lớp A', target: '3' } }],
    [
      '/lop Lớp A xoa Trần Thị Bình',
      { kind: 'class', action: { kind: 'remove', className: 'Lớp A', target: 'Trần Thị Bình' } },
    ],
    ['/lop Lớp A xem 2', { kind: 'class', action: { kind: 'learner', className: 'Lớp A', target: '2' } }],
    [
      '/lop Lớp A them Nguyễn Văn An, 0912345678\nTrần Thị Bình, 1965, Thôn 3',
      {
        kind: 'class',
        action: {
          kind: 'add',
          className: 'Lớp A',
          entries: ['Nguyễn Văn An, 0912345678', 'Trần Thị Bình, 1965, Thôn 3'],
        },
      },
    ],
  ])('parses %j', (text, expected) => {
    expect(parseAttendance(text)).toMatchObject(expected);
  });

  it.each([
    'id của tôi là gì',
    'A4 là gì',
    'K7QX là gì?',
    'K7QXM2P9 là gì?',
    // Codes are 8 characters now: a bare 4-character word is no check-in candidate.
    '2Q79 Nguyễn Văn An',
    '2025 năm nay',
    'ddos là gì',
    'dd2025',
    'vắng mặt có sao không',
    'thêm giấy tờ gì',
  ])('leaves %j to the question path', (text) => {
    expect(parseAttendance(text)).toBeNull();
  });

  it('a list of learners may be longer than other commands, up to one Telegram message', () => {
    const learners = Array.from(
      { length: 40 },
      (_, i) => `Nguyễn Văn Học Viên ${i + 1}, 09123456${String(i).padStart(2, '0')}`,
    );
    const text = `/lop Lớp A them ${learners.join('\n')}`;
    expect(text.length).toBeGreaterThan(1000);
    expect(parseAttendance(text)).toMatchObject({
      kind: 'class',
      action: { kind: 'add', className: 'Lớp A', entries: learners },
    });
    expect(
      parseAttendance(
        `/them ${learners
          .slice(0, 20)
          .map((l) => l.split(',')[0])
          .join('; ')}`,
      ),
    ).toMatchObject({ kind: 'add-late' });
    // Beyond 4,096 characters, or any other command past 400, it is no attendance command at all.
    expect(parseAttendance(`/lop Lớp A them ${'Nguyễn Văn An\n'.repeat(400)}`)).toBeNull();
    expect(parseAttendance(`dd K7QXM2P9 ${'Nguyễn '.repeat(60)}`)).toBeNull();
  });
});
