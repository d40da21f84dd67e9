// The new grammar: glued and bare codes, /id, /dangnhap, /vang, /them, /lop.
import { describe, expect, it } from 'vitest';
import { parseAttendance } from '../../src/attendance/grammar';

describe('class-running grammar', () => {
  it.each([
    ['dd2Q79', { kind: 'checkin', code: '2Q79', name: undefined }],
    ['DD2q79 Nguyễn Văn An', { kind: 'checkin', code: '2Q79', name: 'Nguyễn Văn An' }],
    ['/diemdanhK7QX Lê Thị Hoa', { kind: 'checkin', explicit: true, code: 'K7QX', name: 'Lê Thị Hoa' }],
    ['2Q79 Nguyễn Văn An', { kind: 'checkin', explicit: false, bare: true, code: '2Q79', name: 'Nguyễn Văn An' }],
    ['k7qx', { kind: 'checkin', bare: true, code: 'K7QX', name: undefined }],
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
    ['/lop Lớp A xoa Trần Thị Bình', { kind: 'class', action: { kind: 'remove', className: 'Lớp A', target: 'Trần Thị Bình' } }],
    ['/lop Lớp A xem 2', { kind: 'class', action: { kind: 'learner', className: 'Lớp A', target: '2' } }],
    [
      '/lop Lớp A them Nguyễn Văn An, 0912345678\nTrần Thị Bình, 1965, Thôn 3',
      { kind: 'class', action: { kind: 'add', className: 'Lớp A', entries: ['Nguyễn Văn An, 0912345678', 'Trần Thị Bình, 1965, Thôn 3'] } },
    ],
  ])('parses %j', (text, expected) => {
    expect(parseAttendance(text)).toMatchObject(expected);
  });

  it.each(['id của tôi là gì', 'A4 là gì', 'K7QX là gì?', '2025 năm nay', 'ddos là gì', 'dd2025', 'vắng mặt có sao không', 'thêm giấy tờ gì'])(
    'leaves %j to the question path',
    (text) => {
      expect(parseAttendance(text)).toBeNull();
    },
  );
});
