// `attendance export|list` for operators (English messages). Called by the project's CLI with the user's
// arguments only, e.g. runAttendanceCli(['export', '--class', 'Lớp A', '--format', 'xlsx', '--out', 'a.xlsx'], ...).
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { addRosterCommands } from './cli-roster';
import { normalizeCode } from './code';
import { exportCsv, exportXlsx } from './export';
import { SqliteAttendanceStore } from './store-sqlite';
import { nameKey } from './text';
import { dayRangeArgs, formatDateTime } from './time';
import type { AttendanceStore, ExportQuery, SessionSummary } from './types';

interface AttendanceCliOptions {
  dbPath: string;
  /** Another store than the SQLite file (PostgreSQL with DATABASE_URL); closed afterwards. */
  openStore?: () => AttendanceStore;
  stdout: NodeJS.WritableStream;
  /** Where errors go; defaults to process.stderr. */
  stderr?: NodeJS.WritableStream;
  /** Clock for the status column of `list`. */
  now?: () => Date;
}

class CliError extends Error {}

interface ExportOpts {
  class?: string;
  code?: string;
  from?: string;
  to?: string;
  format?: 'csv' | 'xlsx';
  out?: string;
}

async function buildQuery(store: AttendanceStore, o: ExportOpts): Promise<ExportQuery> {
  const query: ExportQuery = {};
  if (o.class !== undefined) {
    const key = nameKey(o.class);
    let classes = await store.findClasses({ nameKey: key });
    if (classes.length === 0) classes = await store.findClasses({ nameContains: key });
    if (classes.length === 0) throw new CliError(`no class matches "${o.class}"`);
    query.classIds = classes.map((c) => c.id);
  }
  if (o.code !== undefined) {
    const code = normalizeCode(o.code);
    if (!code || !(await store.getSessionByCode(code))) throw new CliError(`no session has code "${o.code}"`);
    query.code = code;
  }
  Object.assign(
    query,
    dayRangeArgs(o, (m) => new CliError(m)),
  );
  if (query.fromMs !== undefined && query.toMs !== undefined && query.fromMs >= query.toMs) {
    throw new CliError('--from must not be after --to');
  }
  return query;
}

function pad(cells: string[][]): string {
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => [...r[i]].length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => c + ' '.repeat(widths[i] - [...c].length))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function sessionsTable(sessions: SessionSummary[], nowMs: number): string {
  if (sessions.length === 0) return 'No attendance sessions yet.';
  const status = (s: SessionSummary): string =>
    s.closedAt !== null ? 'closed' : s.expiresAt <= nowMs ? 'expired' : 'open';
  const rows = sessions.map((s) => [
    s.className,
    s.classOwner,
    s.code,
    formatDateTime(s.openedAt),
    formatDateTime(s.closedAt ?? s.expiresAt),
    status(s),
    String(s.checkins),
  ]);
  const classes = new Set(sessions.map((s) => s.classId)).size;
  const total = sessions.reduce((n, s) => n + s.checkins, 0);
  const header = ['CLASS', 'OWNER', 'CODE', 'OPENED (ICT)', 'ENDS (ICT)', 'STATUS', 'CHECK-INS'];
  return `${pad([header, ...rows])}\n\n${classes} classes, ${sessions.length} sessions, ${total} check-ins.`;
}

export async function runAttendanceCli(argv: string[], opts: AttendanceCliOptions): Promise<number> {
  const stdout = opts.stdout;
  const stderr = opts.stderr ?? process.stderr;
  const write = (s: NodeJS.WritableStream, text: string): void => void s.write(text);
  let store: AttendanceStore | undefined;
  const openStore = (): AttendanceStore => (store ??= opts.openStore?.() ?? new SqliteAttendanceStore(opts.dbPath));

  const program = new Command('attendance')
    .description('Attendance (điểm danh): sessions, check-in exports, class rosters and the attendance matrix')
    .exitOverride()
    .configureOutput({ writeOut: (s) => write(stdout, s), writeErr: (s) => write(stderr, s) });

  program
    .command('export')
    .description('export check-ins as CSV (default, to stdout without --out) or XLSX (needs --out)')
    .option('--class <name>', 'class name (case and diacritics ignored; partial names match)')
    .option('--code <code>', 'one session code')
    .option('--from <date>', 'sessions opened on or after this day (dd/mm/yyyy or yyyy-mm-dd, Vietnam time)')
    .option('--to <date>', 'sessions opened on or before this day')
    .addOption(
      new Option('--format <format>', 'csv or xlsx (default: from --out extension, else csv)').choices(['csv', 'xlsx']),
    )
    .option('--out <file>', 'output file')
    .action(async (o: ExportOpts) => {
      const format = o.format ?? (o.out && /\.xlsx$/i.test(o.out) ? 'xlsx' : 'csv');
      if (format === 'xlsx' && !o.out) throw new CliError('XLSX is binary: pass --out FILE.xlsx (or use --format csv)');
      const s = openStore();
      const rows = await s.exportRows(await buildQuery(s, o));
      const data = format === 'xlsx' ? await exportXlsx(rows) : exportCsv(rows);
      if (o.out) {
        fs.mkdirSync(path.dirname(path.resolve(o.out)), { recursive: true });
        fs.writeFileSync(o.out, data);
        write(stdout, `Wrote ${rows.length} check-ins to ${o.out} (${format}).\n`);
      } else {
        write(stdout, data.toString('utf8'));
      }
      if (rows.length === 0) write(stderr, 'No check-ins matched.\n');
    });

  program
    .command('list')
    .description('list classes and sessions with their check-in counts')
    .action(async () => {
      const nowMs = (opts.now?.() ?? new Date()).getTime();
      write(stdout, sessionsTable(await openStore().listSessions(), nowMs) + '\n');
    });

  addRosterCommands(program, {
    store: openStore,
    out: (text) => write(stdout, text),
    now: () => (opts.now?.() ?? new Date()).getTime(),
  });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit with 0; usage errors were already printed by commander.
      return err.exitCode;
    }
    write(stderr, `error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    await store?.close();
  }
}
