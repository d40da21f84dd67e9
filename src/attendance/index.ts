// Attendance module: check-in grammar, service rules, SQLite store, CSV/XLSX export, CLI.
export { openAttendance, AttendanceService } from './service';
export type { Attendance, AttendanceDeps, AttendanceLogger, AttendanceReply } from './service';
export { SqliteAttendanceStore } from './store-sqlite';
export { SqliteAttendanceDb } from './store';
export { PgAttendanceStore } from './store-pg';
export { exportCsv, exportXlsx, EXPORT_HEADERS } from './export';
export { runAttendanceCli } from './cli';
export type { AttendanceCliOptions } from './cli';
export { parseAttendance, DEFAULT_MINUTES } from './grammar';
export type { Command as AttendanceCommand } from './grammar';
export { CODE_ALPHABET } from './code';
export { MIGRATIONS, LATEST_VERSION, migrate } from './migrations';
export { TIME_ZONE } from './time';
export * from './types';
