// Attendance module: check-in grammar, service rules, SQLite and PostgreSQL stores, CSV/XLSX export, CLI.
export { runAttendanceCli } from './cli';
export { CODE_GUARD_POLICY, CodeAttemptGuard } from './code-guard';
export { CSV_MIME, csvBuffer, EXPORT_HEADERS, exportCsv, exportFileStem, exportXlsx, XLSX_MIME } from './export';
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
export { PgAttendanceStore } from './store-pg';
export { SqliteAttendanceStore } from './store-sqlite';
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
  type CheckinInput,
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
