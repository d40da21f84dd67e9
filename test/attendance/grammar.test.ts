import { describe, expect, it } from 'vitest';
import { parseAttendance } from '../../src/attendance/grammar';
import { openAttendance } from '../../src/attendance';
import { matchesWord, fold } from '../../src/attendance/text';
import path from 'node:path';
import { tmpDir, cleanupTmp } from './helpers';
import { afterAll } from 'vitest';

afterAll(cleanupTmp);

type Row = [string, Record<string, unknown> | null];

const valid: Row[] = [
  // Trainee check-ins, with and without diacritics, slash, case, spacing.
  ['/diemdanh K7QX Nguyễn Văn An', { kind: 'checkin', explicit: true, code: 'K7QX', name: 'Nguyễn Văn An' }],
  ['/diemdanh@MyBot k7qx', { kind: 'checkin', explicit: true, code: 'K7QX', name: undefined }],
  ['diemdanh K7QX', { kind: 'checkin', code: 'K7QX' }],
  ['diem danh k7qx Tran Thi B', { kind: 'checkin', code: 'K7QX', name: 'Tran Thi B' }],
  ['điểm danh K7QX Trần Thị Bình', { kind: 'checkin', code: 'K7QX', name: 'Trần Thị Bình' }],
  ['ĐIỂM DANH   K7QX    Trần   Thị Bình  ', { kind: 'checkin', code: 'K7QX', name: 'Trần Thị Bình' }],
  ['Điểm Danh K7QX', { kind: 'checkin', code: 'K7QX' }],
  ['điem danh K7QX', { kind: 'checkin', code: 'K7QX' }],
  ['dd k7qx', { kind: 'checkin', explicit: false, code: 'K7QX' }],
  ['DD K7QX, Lê Văn C', { kind: 'checkin', code: 'K7QX', name: 'Lê Văn C' }],
  ['dd K7QX - Lê Văn C', { kind: 'checkin', code: 'K7QX', name: 'Lê Văn C' }],
  ['có mặt K7QX', { kind: 'checkin', code: 'K7QX' }],
  ['co mat K7QX Pham D', { kind: 'checkin', code: 'K7QX', name: 'Pham D' }],
  ['Có mặt', { kind: 'checkin', explicit: false, code: undefined, name: undefined }],
  ['có mặt Nguyễn Văn An', { kind: 'checkin', code: undefined, name: 'Nguyễn Văn An' }],
  ['/diemdanh', { kind: 'checkin', explicit: true, code: undefined }],
  ['diem danh', { kind: 'checkin', explicit: false, code: undefined }],
  ['dd', { kind: 'checkin', explicit: false, code: undefined }],
  ['@TroLyBot dd K7QX', { kind: 'checkin', code: 'K7QX' }],
  ['dd Thanh', { kind: 'checkin', code: 'THANH', nameIfNoCode: 'Thanh' }],
  ['dd k7qz', { kind: 'checkin', code: 'K7QZ' }],
  // Labels people say (spoken check-ins come back from speech-to-text like this); "Mã" is also a surname.
  ['điểm danh mã K7QX', { kind: 'checkin', code: 'K7QX', name: undefined }],
  ['Điểm danh, mã K7QX, tên là Nguyễn Văn An.', { kind: 'checkin', code: 'K7QX', name: 'Nguyễn Văn An' }],
  ['diem danh ma so k7qx ho va ten Tran Thi Binh', { kind: 'checkin', code: 'K7QX', name: 'Tran Thi Binh' }],
  ['có mặt mã K7QX, họ tên: Lê Văn C', { kind: 'checkin', code: 'K7QX', name: 'Lê Văn C' }],
  ['điểm danh Mã Thị Lan', { kind: 'checkin', code: undefined, name: 'Mã Thị Lan' }],
  // Trainer commands.
  ['/mo Lớp kỹ năng số thôn 3 45', { kind: 'open', className: 'Lớp kỹ năng số thôn 3', minutes: 45, capacity: null }],
  ['/mo Lớp kỹ năng số thôn 3', { kind: 'open', className: 'Lớp kỹ năng số thôn 3', minutes: 30 }],
  ['/mo Lớp kỹ năng số 45', { kind: 'open', className: 'Lớp kỹ năng số', minutes: 45 }],
  ['/mo Lớp 12', { kind: 'open', className: 'Lớp 12', minutes: 30 }],
  ['/mo Lớp 12 20', { kind: 'open', className: 'Lớp 12', minutes: 20 }],
  ['/mo Tin học 45 phút', { kind: 'open', className: 'Tin học', minutes: 45 }],
  ['/mo Tin học 45p', { kind: 'open', className: 'Tin học', minutes: 45 }],
  ['/mo Tin học thôn 3 45 phút', { kind: 'open', className: 'Tin học thôn 3', minutes: 45 }],
  ['/mo Tin học 2025', { kind: 'open', className: 'Tin học 2025', minutes: 30 }],
  ['/mo@MyBot Lớp A 30 sĩ số 40', { kind: 'open', className: 'Lớp A', minutes: 30, capacity: 40 }],
  ['/MO lop a 30 si so 40', { kind: 'open', className: 'lop a', minutes: 30, capacity: 40 }],
  ['/mo Lớp A tối đa 25', { kind: 'open', className: 'Lớp A', minutes: 30, capacity: 25 }],
  ['/mo Lớp A 60 40 người', { kind: 'open', className: 'Lớp A', minutes: 60, capacity: 40 }],
  ['/mo "Lớp A, B" 15', { kind: 'open', className: 'Lớp A, B', minutes: 15 }],
  ['mở Lớp kỹ năng số thôn 3 30', { kind: 'open', explicit: false, className: 'Lớp kỹ năng số thôn 3', minutes: 30 }],
  ['mo lop tin hoc', { kind: 'open', explicit: false, className: 'lop tin hoc', minutes: 30 }],
  ['mở điểm danh Tin học cơ bản', { kind: 'open', explicit: false, className: 'Tin học cơ bản' }],
  ['/dong', { kind: 'close', explicit: true, code: undefined }],
  ['/dong k7qx', { kind: 'close', code: 'K7QX' }],
  ['đóng K7QX', { kind: 'close', explicit: false, code: 'K7QX' }],
  ['dong', { kind: 'close', explicit: false }],
  ['đóng điểm danh', { kind: 'close', explicit: false }],
  ['/ds', { kind: 'list', explicit: true }],
  ['/ds K7QX', { kind: 'list', code: 'K7QX' }],
  ['ds', { kind: 'list', explicit: false }],
  ['/xuat', { kind: 'export', explicit: true, target: undefined }],
  ['/xuat K7QX', { kind: 'export', target: 'K7QX' }],
  [
    '/xuat Lớp A 01/11/2025 30/11/2025',
    {
      kind: 'export',
      target: 'Lớp A',
      from: { year: 2025, month: 11, day: 1 },
      to: { year: 2025, month: 11, day: 30 },
    },
  ],
  [
    '/xuat Lớp A từ 2025-11-01 đến 2025-11-30',
    { kind: 'export', target: 'Lớp A', from: { year: 2025, month: 11, day: 1 } },
  ],
  ['xuất 1/11/2025', { kind: 'export', explicit: false, target: undefined, from: { year: 2025, month: 11, day: 1 } }],
  ['xuat lop A', { kind: 'export', explicit: false, target: 'lop A' }],
  // Malformed but recognised: the service answers with usage help.
  ['/mo', { kind: 'open-invalid', error: 'usage' }],
  ['/mo Lớp A 2000 phút', { kind: 'open-invalid', error: 'minutes' }],
  ['/mo Lớp A sĩ số 0', { kind: 'open-invalid', error: 'capacity' }],
  ['/xuat 31/02/2025', { kind: 'export-invalid', error: { kind: 'date', token: '31/02/2025' } }],
  ['/xuat 30/11/2025 01/11/2025', { kind: 'export-invalid', error: { kind: 'range' } }],
];

const notAttendance: string[] = [
  '',
  '   ',
  'điểm danh là gì',
  'diem danh la gi',
  'điểm danh như thế nào?',
  'dd la gi',
  'có mặt ở đâu',
  'co mat truoc 8h nhe',
  'làm giấy khai sinh cần gì',
  'mở tài khoản ngân hàng',
  'mơ thấy lớp học',
  'đóng bảo hiểm xã hội ở đâu',
  'dong thue o dau',
  'đồng ý',
  'đồng K7QX',
  'ds giấy tờ cần nộp',
  'xuất hóa đơn điện tử',
  'xuat canh can gi',
  'dd/mm/yyyy là gì',
  'mo',
];

describe('attendance grammar', () => {
  it.each(valid)('parses %j', (text, expected) => {
    const got = parseAttendance(text);
    expect(got).not.toBeNull();
    // Compare key by key so that `key: undefined` means "absent or undefined".
    for (const [key, value] of Object.entries(expected!)) {
      expect((got as Record<string, unknown>)[key], key).toEqual(value);
    }
  });

  it.each(notAttendance)('leaves %j to the question path', (text) => {
    expect(parseAttendance(text)).toBeNull();
  });

  it('never throws on odd input', () => {
    const odd = [
      '/',
      '//',
      '/@',
      '@',
      '/mo@',
      'dd \u0000\u0007',
      '/xuat - -',
      '/mo 999999999999',
      'có',
      'ĐD',
      '😀 dd',
      '/diemdanh ' + 'A'.repeat(5000),
    ];
    for (const t of odd) expect(() => parseAttendance(t)).not.toThrow();
    expect((parseAttendance('/diemdanh K7QX ' + 'Ă'.repeat(300)) as { name: string }).name.length).toBeLessThanOrEqual(
      80,
    );
  });

  it('accepts decomposed (NFD) Vietnamese input', () => {
    expect(parseAttendance('điểm danh K7QX Nguyễn Văn An'.normalize('NFD'))).toMatchObject({
      code: 'K7QX',
      name: 'Nguyễn Văn An',
    });
  });

  it('looksLikeAttendance agrees with the grammar', () => {
    const a = openAttendance({ dbPath: path.join(tmpDir(), 'a.db') });
    try {
      expect(a.looksLikeAttendance('dd K7QX')).toBe(true);
      expect(a.looksLikeAttendance('/mo Lớp A')).toBe(true);
      expect(a.looksLikeAttendance('điểm danh là gì')).toBe(false);
      expect(a.looksLikeAttendance('đăng ký tạm trú cần gì?')).toBe(false);
    } finally {
      a.close();
    }
  });

  it('matches words with partial diacritics but not with different tones', () => {
    expect(matchesWord('diem', 'điểm')).toBe(true);
    expect(matchesWord('ĐIỂM', 'điểm')).toBe(true);
    expect(matchesWord('điem', 'điểm')).toBe(true);
    expect(matchesWord('đồng', 'đóng')).toBe(false);
    expect(fold('Lớp Kỹ Năng Số')).toBe('lop ky nang so');
  });
});
