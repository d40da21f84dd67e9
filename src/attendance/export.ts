// CSV and XLSX exports of check-ins. Times are written as Vietnam-time strings.
import { slug } from '../text';
import ExcelJS from 'exceljs';
import { formatDateTime, formatDateTimeSeconds } from './time';
import type { ExportRow } from './types';

export const EXPORT_HEADERS = ['Lớp', 'Mã buổi', 'Mở lúc', 'Họ tên', 'Kênh', 'Thời gian điểm danh'] as const;

/** One exported row as the strings written to both formats. */
function exportCells(r: ExportRow): string[] {
  return [
    r.className,
    r.sessionCode,
    formatDateTime(r.openedAt),
    r.name,
    r.channel,
    formatDateTimeSeconds(r.checkedInAt),
  ];
}

/**
 * Names are typed by trainees; a cell starting with = + - @ would run as a formula when the CSV is opened in
 * a spreadsheet (CSV injection), so such cells get a leading apostrophe. XLSX cells are typed strings and
 * need no guard.
 */
function neutraliseFormula(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

function csvField(v: string): string {
  const s = neutraliseFormula(v.normalize('NFC'));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** UTF-8 with BOM (so Excel detects the encoding), RFC 4180 quoting, CRLF line ends, header row first. */
export function exportCsv(rows: ExportRow[]): Buffer {
  return csvBuffer([[...EXPORT_HEADERS], ...rows.map(exportCells)]);
}

/** Rows of cells as a CSV file Excel opens correctly (UTF-8 BOM, CRLF). */
export function csvBuffer(cells: string[][]): Buffer {
  const lines = cells.map((r) => r.map(csvField).join(','));
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n') + '\r\n', 'utf8')]);
}

/** One worksheet "Điểm danh": bold frozen header, auto-filter, every value a string cell. */
export async function exportXlsx(rows: ExportRow[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Trợ lý Hành chính số';
  const ws = wb.addWorksheet('Điểm danh', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = EXPORT_HEADERS.map((header, i) => ({
    header,
    width: [32, 10, 18, 30, 10, 22][i],
  }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(exportCells(r).map((v) => v.normalize('NFC')));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: EXPORT_HEADERS.length } };
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}

/** "diem-danh-lop-ky-nang-so-thon-3-20251121" (ASCII, safe on every platform). */
export function exportFileStem(label: string, dateCompact: string): string {
  return ['diem-danh', slug(label), dateCompact].filter(Boolean).join('-');
}

export const CSV_MIME = 'text/csv; charset=utf-8';
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
