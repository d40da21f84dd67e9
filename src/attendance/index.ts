// Attendance module: check-in grammar, service rules, SQLite store, CSV/XLSX export, CLI.
export { runAttendanceCli } from './cli';
export { CSV_MIME, EXPORT_HEADERS, exportCsv, exportFileStem, exportXlsx, XLSX_MIME } from './export';
export { MAX_GRACE_MINUTES } from './grammar-class';
export { formatBirthDate } from './learner';
export { MARK_TEXT, matrixCsv, matrixXlsx } from './matrix';
export { LATEST_VERSION, migrate, MIGRATIONS } from './migrations';
export {
  attendanceRate,
  classReport,
  type ClassReport,
  learnerSummary,
  MANUAL_CHANNEL,
  manualUserId,
  type SessionReport,
} from './roster';
export { MAX_ROSTER_BYTES, MAX_ROSTER_ROWS, parseRosterFile, rosterErrorVi } from './roster-file';
export { type Attendance, openAttendance } from './service';
export { endWebSession, redeemSignInCode, startWebSession, webSessionIdentity } from './sign-in';
export { SqliteAttendanceStore } from './store';
export { cleanName, cleanText, MAX_NAME_CHARS } from './text';
export {
  compactDate,
  formatDate,
  formatDateTime,
  formatHm,
  localDayEndMs,
  localDayStartMs,
  parseDateArg,
} from './time';
export {
  type AttendanceStore,
  type ClassRecord,
  CodeTakenError,
  type ExportQuery,
  type ExportRow,
  type LearnerRecord,
  type RosterSyncResult,
  type SessionRecord,
  type SessionSummary,
  type TrainerRecord,
} from './types';
