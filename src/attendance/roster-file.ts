// Reading a roster file (CSV or XLSX) into learners, all or nothing: any bad row rejects the whole file with
// the row numbers at fault, so a half-imported class never exists.
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { compatible, learnerFields, MOJIBAKE, type FieldError } from './learner';
import { cleanText, fold, nameKey } from './text';
import type { NewLearner } from './types';

export const MAX_ROSTER_ROWS = 2000;
export const MAX_ROSTER_BYTES = 2 * 1024 * 1024;

type RosterColumn = 'surname' | 'name' | 'phone' | 'birthDate' | 'village';

export type RosterError =
  | { kind: 'format' }
  | { kind: 'xls' }
  | { kind: 'encoding' }
  | { kind: 'empty' }
  | { kind: 'too-large' }
  | { kind: 'too-many'; rows: number }
  | { kind: 'missing-column'; column: 'name' | 'phone-or-birth' }
  | { kind: 'row'; row: number; problem: FieldError; value: string }
  | { kind: 'duplicate'; row: number; firstRow: number };

type RosterParse = { ok: true; learners: NewLearner[]; encoding: string } | { ok: false; errors: RosterError[] };

/** Header cells, folded with spaces and punctuation removed, that name each column. */
const HEADERS: Record<RosterColumn, string[]> = {
  // School-style lists split the name: "Họ đệm" | "Tên".
  surname: ['hodem', 'holot', 'hovatendem', 'hovadem', 'ho'],
  name: ['hoten', 'hovaten', 'ten', 'hotenhocvien', 'hovatenhocvien', 'hocvien', 'name', 'fullname', 'hotenhv'],
  phone: ['sodienthoai', 'sdt', 'dienthoai', 'didong', 'sodt', 'dt', 'phone', 'mobile', 'sodienthoaididong'],
  birthDate: ['ngaysinh', 'namsinh', 'ngaythangnamsinh', 'sinhngay', 'birthdate', 'dob', 'dateofbirth'],
  village: [
    'thon',
    'thonxom',
    'thonbuon',
    'thonto',
    'xom',
    'ap',
    'buon',
    'khupho',
    'todanpho',
    'diachi',
    'village',
    'address',
  ],
};

const headerKey = (s: string): string => fold(cleanText(s)).replace(/[^a-z0-9]/g, '');

function columnsOf(header: string[]): Partial<Record<RosterColumn, number>> {
  const cols: Partial<Record<RosterColumn, number>> = {};
  header.forEach((cell, i) => {
    const key = headerKey(cell);
    for (const [col, names] of Object.entries(HEADERS) as [RosterColumn, string[]][]) {
      if (cols[col] === undefined && names.includes(key)) cols[col] = i;
    }
  });
  return cols;
}

/** Turns rows (with their numbers as the trainer sees them) into learners, or every error found. */
function rowsToLearners(
  rows: { row: number; cells: string[] }[],
): { learners: NewLearner[] } | { errors: RosterError[] } {
  const filled = rows.filter((r) => r.cells.some((c) => cleanText(c) !== ''));
  if (filled.length === 0) return { errors: [{ kind: 'empty' }] };
  const [header, ...data] = filled;
  const cols = columnsOf(header.cells);
  const errors: RosterError[] = [];
  // UTF-8 that was read as Windows-1252 and saved again ("Há» vÃ  tÃªn"): no column can be found.
  if (header.cells.some((c) => MOJIBAKE.test(c))) return { errors: [{ kind: 'encoding' }] };
  if (cols.name === undefined) errors.push({ kind: 'missing-column', column: 'name' });
  if (cols.phone === undefined && cols.birthDate === undefined)
    errors.push({ kind: 'missing-column', column: 'phone-or-birth' });
  if (errors.length) return { errors };
  if (data.length === 0) return { errors: [{ kind: 'empty' }] };
  if (data.length > MAX_ROSTER_ROWS) return { errors: [{ kind: 'too-many', rows: data.length }] };

  const learners: NewLearner[] = [];
  const seen: { row: number; learner: NewLearner; key: string }[] = [];
  for (const { row, cells } of data) {
    const get = (c: RosterColumn): string => (cols[c] === undefined ? '' : (cells[cols[c]!] ?? ''));
    const name = cols.surname === undefined ? get('name') : `${get('surname')} ${get('name')}`;
    const parsed = learnerFields({ name, phone: get('phone'), birthDate: get('birthDate'), village: get('village') });
    if ('error' in parsed) {
      errors.push({ kind: 'row', row, problem: parsed.error, value: parsed.value });
      continue;
    }
    const key = nameKey(parsed.learner.name);
    const l = parsed.learner;
    const dup = seen.find(
      (s) =>
        (l.phone !== null && s.learner.phone === l.phone) ||
        (s.key === key && compatible(s.learner.phone, l.phone) && compatible(s.learner.birthDate, l.birthDate)),
    );
    if (dup) errors.push({ kind: 'duplicate', row, firstRow: dup.row });
    seen.push({ row, learner: l, key });
    learners.push(l);
  }
  return errors.length ? { errors } : { learners };
}

/** Text of a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1258 (Excel on Vietnamese Windows). */
export function decodeText(bytes: Buffer): { text: string; encoding: string } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: bytes.subarray(3).toString('utf8'), encoding: 'utf-8' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: iconv.decode(bytes.subarray(2), 'utf16le'), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: iconv.decode(bytes.subarray(2), 'utf16be'), encoding: 'utf-16be' };
  if (bytes.includes(0)) return undefined; // binary, or UTF-16 without a BOM
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // Windows-1258 writes most Vietnamese letters as a base letter plus a combining tone mark: NFC recomposes them.
    return { text: iconv.decode(bytes, 'windows1258').normalize('NFC'), encoding: 'windows-1258' };
  }
}

/** The delimiter Excel used: comma, semicolon (some locales) or tab ("Unicode text"). */
function delimiterOf(text: string): string {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  const counts = [',', ';', '\t'].map((d) => [d, first.split(d).length - 1] as const);
  return counts.sort((a, b) => b[1] - a[1])[0][1] > 0 ? counts[0][0] : ',';
}

function parseRosterCsv(bytes: Buffer): RosterParse {
  const decoded = decodeText(bytes);
  if (!decoded) return { ok: false, errors: [{ kind: 'encoding' }] };
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(decoded.text, {
      delimiter: delimiterOf(decoded.text),
      relax_column_count: true,
      info: true,
      bom: true,
    }) as unknown as typeof records;
  } catch {
    return { ok: false, errors: [{ kind: 'format' }] };
  }
  const rows = records.map((r) => ({ row: r.info.lines, cells: r.record }));
  const out = rowsToLearners(rows);
  return 'errors' in out
    ? { ok: false, errors: out.errors }
    : { ok: true, learners: out.learners, encoding: decoded.encoding };
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('text' in v) return String(v.text);
    if ('error' in v) return '';
  }
  return String(v);
}

async function parseRosterXlsx(bytes: Buffer): Promise<RosterParse> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return { ok: false, errors: [{ kind: 'format' }] };
  }
  // The first sheet that has rows (workbooks often keep an empty "Sheet2").
  const ws = wb.worksheets.find((w) => w.actualRowCount > 0);
  if (!ws) return { ok: false, errors: [{ kind: 'empty' }] };
  const rows: { row: number; cells: string[] }[] = [];
  ws.eachRow({ includeEmpty: false }, (r, n) => {
    const cells: string[] = [];
    r.eachCell({ includeEmpty: true }, (cell, col) => (cells[col - 1] = cellText(cell.value)));
    rows.push({ row: n, cells: Array.from(cells, (c) => c ?? '') });
  });
  const out = rowsToLearners(rows);
  return 'errors' in out ? { ok: false, errors: out.errors } : { ok: true, learners: out.learners, encoding: 'xlsx' };
}

/** Reads a roster by content (ZIP = XLSX, OLE = old .xls, anything else = CSV text); the name is only a hint. */
export async function parseRosterFile(bytes: Buffer): Promise<RosterParse> {
  if (bytes.length > MAX_ROSTER_BYTES) return { ok: false, errors: [{ kind: 'too-large' }] };
  if (bytes.length === 0) return { ok: false, errors: [{ kind: 'empty' }] };
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return parseRosterXlsx(bytes);
  if (bytes.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0])))
    return { ok: false, errors: [{ kind: 'xls' }] };
  return parseRosterCsv(bytes);
}

const COLUMN_VI: Record<'name' | 'phone-or-birth', string> = {
  name: 'cột "Họ và tên"',
  'phone-or-birth': 'cột "Số điện thoại" hoặc "Ngày sinh"',
};
const PROBLEM_VI: Record<FieldError, string> = {
  'no-name': 'thiếu họ tên',
  'bad-name': 'họ tên có ký tự lạ (tệp có thể sai bảng mã; hãy lưu lại dạng CSV UTF-8 hoặc Excel)',
  'bad-phone': 'số điện thoại không hợp lệ',
  'bad-date': 'ngày sinh không hợp lệ (dạng dd/mm/yyyy hoặc năm sinh)',
  'too-long': 'ô quá dài',
};

/** Vietnamese, for the dashboard. */
export function rosterErrorVi(e: RosterError): string {
  switch (e.kind) {
    case 'format':
      return 'Không đọc được tệp. Hãy dùng tệp CSV hoặc Excel (.xlsx).';
    case 'xls':
      return 'Tệp Excel đời cũ (.xls) chưa được hỗ trợ. Hãy mở bằng Excel và lưu lại dạng .xlsx hoặc CSV.';
    case 'encoding':
      return 'Tệp không phải văn bản UTF-8 hay Windows-1258. Hãy lưu lại dạng "CSV UTF-8" hoặc .xlsx.';
    case 'empty':
      return 'Tệp không có học viên nào (cần một dòng tiêu đề và ít nhất một dòng dữ liệu).';
    case 'too-large':
      return `Tệp quá lớn (tối đa ${MAX_ROSTER_BYTES / 1024 / 1024} MB).`;
    case 'too-many':
      return `Tệp có ${e.rows} dòng, vượt quá ${MAX_ROSTER_ROWS} học viên một lớp.`;
    case 'missing-column':
      return `Thiếu ${COLUMN_VI[e.column]} trong dòng tiêu đề.`;
    case 'row':
      return `Dòng ${e.row}: ${PROBLEM_VI[e.problem]}${e.value ? ` ("${e.value}")` : ''}.`;
    case 'duplicate':
      return `Dòng ${e.row}: trùng học viên ở dòng ${e.firstRow} (cùng họ tên hoặc số điện thoại).`;
  }
}

const PROBLEM_EN: Record<FieldError, string> = {
  'no-name': 'name is empty',
  'bad-name': 'name has characters that are not Vietnamese letters (wrong encoding? save as CSV UTF-8 or XLSX)',
  'bad-phone': 'invalid phone number',
  'bad-date': 'invalid date of birth (dd/mm/yyyy or a year)',
  'too-long': 'cell too long',
};

/** English, for the CLI. */
export function rosterErrorEn(e: RosterError): string {
  switch (e.kind) {
    case 'format':
      return 'cannot read the file: use CSV or XLSX';
    case 'xls':
      return 'old Excel .xls files are not supported: save as .xlsx or CSV';
    case 'encoding':
      return 'the file is neither UTF-8 nor Windows-1258 text: save as "CSV UTF-8" or XLSX';
    case 'empty':
      return 'no learners: a header row and at least one data row are needed';
    case 'too-large':
      return `file larger than ${MAX_ROSTER_BYTES / 1024 / 1024} MB`;
    case 'too-many':
      return `${e.rows} rows: more than ${MAX_ROSTER_ROWS} learners in one class`;
    case 'missing-column':
      return e.column === 'name'
        ? 'no name column (e.g. "Họ và tên") in the header row'
        : 'no phone or date-of-birth column (e.g. "Số điện thoại", "Ngày sinh") in the header row';
    case 'row':
      return `row ${e.row}: ${PROBLEM_EN[e.problem]}${e.value ? ` ("${e.value}")` : ''}`;
    case 'duplicate':
      return `row ${e.row}: same learner as row ${e.firstRow} (same name or phone)`;
  }
}
