import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { EXPORT_HEADERS, exportCsv, exportXlsx, type ExportRow } from '../../src/attendance';
import { exportFileStem } from '../../src/attendance/export';

const opened = Date.parse('2025-11-21T02:00:00Z'); // 09:00 Vietnam
const rows: ExportRow[] = [
  {
    className: 'Lớp kỹ năng số thôn 3',
    sessionCode: 'K7QX',
    openedAt: opened,
    name: 'Nguyễn Văn An',
    channel: 'zalo',
    userId: '1',
    checkedInAt: opened + 125_000,
  },
  {
    className: 'Lớp kỹ năng số thôn 3',
    sessionCode: 'K7QX',
    openedAt: opened,
    name: 'Trần, Thị "Bé" Hai',
    channel: 'telegram',
    userId: '2',
    checkedInAt: Date.parse('2025-11-21T17:05:09Z'),
  },
  {
    className: 'Lớp A',
    sessionCode: 'M3P9',
    openedAt: opened,
    name: '=HYPERLINK("http://x")',
    channel: 'web',
    userId: '3',
    checkedInAt: opened,
  },
];

describe('exportCsv', () => {
  const buf = exportCsv(rows);
  const text = buf.subarray(3).toString('utf8');

  it('starts with a UTF-8 BOM and uses CRLF line ends', () => {
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(rows.length + 2);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
  });

  it('writes the header and Vietnam-time strings', () => {
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(EXPORT_HEADERS.join(','));
    expect(lines[1]).toBe('Lớp kỹ năng số thôn 3,K7QX,21/11/2025 09:00,Nguyễn Văn An,zalo,21/11/2025 09:02:05');
  });

  it('quotes commas and quotes (RFC 4180) and neutralises formulas', () => {
    const lines = text.split('\r\n');
    expect(lines[2]).toBe(
      'Lớp kỹ năng số thôn 3,K7QX,21/11/2025 09:00,"Trần, Thị ""Bé"" Hai",telegram,22/11/2025 00:05:09',
    );
    expect(lines[3]).toContain(`"'=HYPERLINK(""http://x"")"`);
  });

  it('writes only the header for no rows', () => {
    expect(exportCsv([]).subarray(3).toString('utf8')).toBe(EXPORT_HEADERS.join(',') + '\r\n');
  });
});

describe('exportXlsx', () => {
  it('can be read back with exceljs, cell by cell', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exportXlsx(rows)) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Điểm danh')!;
    expect(ws).toBeDefined();
    expect(ws.rowCount).toBe(rows.length + 1);
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([...EXPORT_HEADERS]);
    expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual([
      'Lớp kỹ năng số thôn 3',
      'K7QX',
      '21/11/2025 09:00',
      'Nguyễn Văn An',
      'zalo',
      '21/11/2025 09:02:05',
    ]);
    expect(ws.getCell('D3').value).toBe('Trần, Thị "Bé" Hai');
    expect(ws.getCell('F3').value).toBe('22/11/2025 00:05:09');
    expect(ws.getCell('D4').value).toBe('=HYPERLINK("http://x")'); // a string cell, not a formula
    expect(ws.getCell('D4').type).toBe(ExcelJS.ValueType.String);
    expect(ws.getRow(1).font?.bold).toBe(true);
  });
});

describe('exportFileStem', () => {
  it('makes ASCII file names', () => {
    expect(exportFileStem('Lớp kỹ năng số thôn 3', '20251121')).toBe('diem-danh-lop-ky-nang-so-thon-3-20251121');
    expect(exportFileStem('Đường "A"', '20251121')).toBe('diem-danh-duong-a-20251121');
  });
});
