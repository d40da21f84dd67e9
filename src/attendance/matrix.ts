// The attendance matrix of one class (learners x sessions) as CSV and XLSX.
import ExcelJS from 'exceljs';
import { csvBuffer } from './export';
import { formatBirthDate } from './learner';
import { learnerSummary, type ClassReport, type Mark } from './roster';
import { nameKey } from './text';
import { formatDate, formatHm } from './time';

export const MARK_TEXT: Record<Mark, string> = { present: 'Có', late: 'Muộn', absent: 'Vắng', none: '' };
const OFF_ROSTER = '(ngoài danh sách)';

/** Header and rows of the matrix, as strings; check-ins matching nobody get rows of their own at the end. */
export function matrixCells(r: ClassReport): string[][] {
  const sessionHeads = r.sessions.map(
    (s) => `${formatDate(s.session.openedAt)} ${formatHm(s.session.openedAt)} (${s.session.code})`,
  );
  const header = [
    'STT',
    'Họ và tên',
    'Số điện thoại',
    'Ngày sinh',
    'Thôn/xóm',
    ...sessionHeads,
    'Số buổi có mặt',
    'Số buổi',
    'Tỉ lệ',
  ];
  const rows = r.learners.map((l, i) => {
    const sum = learnerSummary(r, l.id);
    const name = l.removedAt !== null ? `${l.name} (đã rời lớp)` : l.name;
    return [
      String(i + 1),
      name,
      l.phone ?? '',
      formatBirthDate(l.birthDate),
      l.village ?? '',
      ...(r.marks.get(l.id) ?? []).map((m) => MARK_TEXT[m]),
      String(sum.attended),
      String(sum.held),
      sum.held ? `${Math.round((sum.attended / sum.held) * 100)}%` : '',
    ];
  });
  // Unmatched check-ins, one row per typed name, so nobody who checked in disappears from the sheet.
  const extra = new Map<string, { name: string; cells: string[] }>();
  r.sessions.forEach((s, i) => {
    for (const c of s.unmatched) {
      const key = nameKey(c.name);
      const row = extra.get(key) ?? { name: c.name, cells: r.sessions.map(() => '') };
      const late = c.checkedInAt > s.session.openedAt + r.cls.graceMinutes * 60_000;
      row.cells[i] = late ? MARK_TEXT.late : MARK_TEXT.present;
      extra.set(key, row);
    }
  });
  for (const e of extra.values()) {
    const n = e.cells.filter(Boolean).length;
    rows.push(['', `${e.name} ${OFF_ROSTER}`, '', '', '', ...e.cells, String(n), '', '']);
  }
  return [header, ...rows];
}

export function matrixCsv(r: ClassReport): Buffer {
  return csvBuffer(matrixCells(r));
}

const FILLS: Record<string, string> = {
  [MARK_TEXT.absent]: 'FFFEE2E2',
  [MARK_TEXT.late]: 'FFFEF3C7',
  [MARK_TEXT.present]: 'FFD1FAE5',
};

export async function matrixXlsx(r: ClassReport): Promise<Buffer> {
  const cells = matrixCells(r);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Trợ lý Hành chính số';
  const ws = wb.addWorksheet('Bảng điểm danh', { views: [{ state: 'frozen', xSplit: 2, ySplit: 1 }] });
  const first = 5;
  const last = first + r.sessions.length;
  ws.columns = cells[0].map((header, i) => ({
    header,
    width: i === 0 ? 5 : i === 1 ? 30 : i < first ? 14 : i < last ? 12 : 10,
  }));
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.alignment = { wrapText: true, vertical: 'middle' };
  head.height = 45;
  for (const row of cells.slice(1)) {
    const added = ws.addRow(row.map((v) => v.normalize('NFC')));
    for (let c = first; c < last; c++) {
      const cell = added.getCell(c + 1);
      const fill = FILLS[String(cell.value ?? '')];
      if (fill) cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: fill } };
      cell.alignment = { horizontal: 'center' };
    }
  }
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}
