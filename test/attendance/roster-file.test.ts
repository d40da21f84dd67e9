// Roster files as trainers really have them: CSV from Excel (UTF-8 with or without BOM, Windows-1258 on Vietnamese
// Windows, semicolons), XLSX with numeric phones and date cells, and the bad ones, rejected with their row numbers.
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { normalizeBirthDate, normalizePhone } from '../../src/attendance/learner';
import { parseRosterFile, rosterErrorEn, rosterErrorVi, type RosterError } from '../../src/attendance/roster-file';

const ROWS = [
  ['STT', 'Họ và tên', 'Số điện thoại', 'Ngày sinh', 'Thôn'],
  ['1', 'Nguyễn Văn An', '0912 345 678', '03/05/1970', 'Thôn 3'],
  ['2', 'Trần Thị Bình', '', '1965', 'Buôn Ko Sier'],
  ['3', "H'Hen Niê", '+84 987654321', '', 'Buôn Ko Sier'],
  ['4', 'Đặng Thị Hằng', '0905111222', '12-11-1982', 'Thôn 3'],
];
const csv = (rows: string[][], sep = ','): string => rows.map((r) => r.join(sep)).join('\r\n') + '\r\n';
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Windows-1258 as Windows writes it: a letter in the code page as one byte, any other Vietnamese letter as its
 * base (â, ê, ô, ơ, ư, ă, đ are in the code page) followed by a combining tone mark byte.
 */
function toCp1258(s: string): Buffer {
  const parts: Buffer[] = [];
  for (const ch of s.normalize('NFC')) {
    const direct = iconv.encode(ch, 'windows1258');
    if (ch === '?' || direct[0] !== 0x3f) {
      parts.push(direct);
      continue;
    }
    const tone = [...ch.normalize('NFD')].find((c) => '\u0300\u0301\u0303\u0309\u0323'.includes(c))!;
    const base = ch.normalize('NFD').replace(tone, '').normalize('NFC');
    parts.push(iconv.encode(base, 'windows1258'), iconv.encode(tone, 'windows1258'));
  }
  return Buffer.concat(parts);
}

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Sheet1');
  const ws = wb.addWorksheet('Danh sách');
  for (const r of rows) ws.addRow(r);
  return Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

const EXPECTED = [
  { name: 'Nguyễn Văn An', phone: '0912345678', birthDate: '1970-05-03', village: 'Thôn 3' },
  { name: 'Trần Thị Bình', phone: null, birthDate: '1965', village: 'Buôn Ko Sier' },
  { name: "H'Hen Niê", phone: '0987654321', birthDate: null, village: 'Buôn Ko Sier' },
  { name: 'Đặng Thị Hằng', phone: '0905111222', birthDate: '1982-11-12', village: 'Thôn 3' },
];

async function errorsOf(bytes: Buffer): Promise<RosterError[]> {
  const r = await parseRosterFile(bytes);
  if (r.ok) throw new Error('expected the file to be rejected');
  return r.errors;
}

describe('roster files that should import', () => {
  it('reads UTF-8 CSV with and without a BOM', async () => {
    for (const bytes of [Buffer.from(csv(ROWS)), Buffer.concat([BOM, Buffer.from(csv(ROWS))])]) {
      const r = await parseRosterFile(bytes);
      expect(r).toEqual({ ok: true, learners: EXPECTED, encoding: 'utf-8' });
    }
  });

  it('decodes Windows-1258 from Excel on Vietnamese Windows (tone marks as combining bytes)', async () => {
    // "Nguyễn": ê is 0xEA, the tilde a combining 0xDE byte after it.
    expect([...toCp1258('Nguyễn')]).toEqual([0x4e, 0x67, 0x75, 0x79, 0xea, 0xde, 0x6e]);
    expect([...toCp1258('Đặng')]).toEqual([0xd0, 0xe3, 0xf2, 0x6e, 0x67]);
    const r = await parseRosterFile(toCp1258(csv(ROWS, ';')));
    expect(r).toEqual({ ok: true, learners: EXPECTED, encoding: 'windows-1258' });
    if (r.ok) for (const l of r.learners) expect(l.name).toBe(l.name.normalize('NFC'));
  });

  it('reads UTF-16 tab-separated text ("Unicode text" in Excel)', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(csv(ROWS, '\t'), 'utf16le')]);
    expect(await parseRosterFile(bytes)).toMatchObject({ ok: true, learners: EXPECTED });
  });

  it('reads XLSX: the first sheet with rows, numeric phones missing their 0, date cells, a split name', async () => {
    const bytes = await xlsx([
      ['Họ đệm', 'Tên', 'SĐT', 'Ngày sinh', 'Thôn/xóm'],
      ['Nguyễn Văn', 'An', 912345678, new Date(Date.UTC(1970, 4, 3)), 'Thôn 3'],
      ['Trần Thị', 'Bình', null, 1965, 'Buôn Ko Sier'],
      ["H'Hen", 'Niê', '+84 987654321', null, 'Buôn Ko Sier'],
      ['Đặng Thị', 'Hằng', '0905111222', '12-11-1982', 'Thôn 3'],
    ]);
    expect(await parseRosterFile(bytes)).toEqual({ ok: true, learners: EXPECTED, encoding: 'xlsx' });
  });

  it('normalises phones and birth dates', () => {
    expect(normalizePhone('0912.345.678')).toBe('0912345678');
    expect(normalizePhone('84912345678')).toBe('0912345678');
    expect(normalizePhone('12345')).toBe(false);
    expect(normalizePhone(' ')).toBeNull();
    expect(normalizeBirthDate('1/2/1990')).toBe('1990-02-01');
    expect(normalizeBirthDate('31/02/1990')).toBe(false);
    expect(normalizeBirthDate('1850')).toBe(false);
  });
});

describe('roster files that are rejected as a whole', () => {
  it('names the missing columns', async () => {
    const errs = await errorsOf(
      Buffer.from(
        csv([
          ['STT', 'Địa chỉ'],
          ['1', 'Thôn 3'],
        ]),
      ),
    );
    expect(errs).toEqual([
      { kind: 'missing-column', column: 'name' },
      { kind: 'missing-column', column: 'phone-or-birth' },
    ]);
    expect(errs.map(rosterErrorVi)).toEqual([
      'Thiếu cột "Họ và tên" trong dòng tiêu đề.',
      'Thiếu cột "Số điện thoại" hoặc "Ngày sinh" trong dòng tiêu đề.',
    ]);
  });

  it('gives the row numbers of duplicates and bad cells, as the spreadsheet numbers them', async () => {
    const rows = [
      ...ROWS,
      ['5', 'nguyen van an', '0912345678', '', ''],
      ['6', '', '0911000111', '', ''],
      ['7', 'Lê Văn Cường', '12ab', '', ''],
      ['8', 'Lê Thị Dung', '', '32/13/1990', ''],
    ];
    const errs = await errorsOf(Buffer.from(csv(rows)));
    expect(errs).toEqual([
      { kind: 'duplicate', row: 6, firstRow: 2 },
      { kind: 'row', row: 7, problem: 'no-name', value: '' },
      { kind: 'row', row: 8, problem: 'bad-phone', value: '12ab' },
      { kind: 'row', row: 9, problem: 'bad-date', value: '32/13/1990' },
    ]);
    expect(rosterErrorVi(errs[0])).toBe('Dòng 6: trùng học viên ở dòng 2 (cùng họ tên hoặc số điện thoại).');
    expect(rosterErrorEn(errs[2])).toBe('row 8: invalid phone number ("12ab")');
  });

  it('rejects text in the wrong encoding (UTF-8 read as Windows-1252 and saved again)', async () => {
    const mangle = (s: string): string => iconv.decode(Buffer.from(s), 'windows1252');
    expect(await errorsOf(Buffer.from(mangle(csv(ROWS)), 'utf8'))).toEqual([{ kind: 'encoding' }]);
    // With a plain-ASCII header the columns are found: then the rows with mangled names are named.
    const rows = [['Ho va ten', 'SDT'], ...ROWS.slice(1).map((r) => [mangle(r[1]), r[2]])];
    const errs = await errorsOf(Buffer.from(csv(rows), 'utf8'));
    expect(errs.map((e) => (e.kind === 'row' ? [e.row, e.problem] : e.kind))).toEqual([
      [2, 'bad-name'],
      [3, 'bad-name'],
      [4, 'bad-name'],
      [5, 'bad-name'],
    ]);
  });

  it('rejects binary and UTF-16 without a BOM, old .xls, and empty files', async () => {
    expect(await errorsOf(iconv.encode(csv(ROWS), 'utf16le'))).toEqual([{ kind: 'encoding' }]);
    expect(await errorsOf(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0]))).toEqual([{ kind: 'xls' }]);
    expect(await errorsOf(Buffer.from('Họ và tên,SĐT\r\n'))).toEqual([{ kind: 'empty' }]);
    expect(await errorsOf(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).toEqual([{ kind: 'format' }]);
  });
});
