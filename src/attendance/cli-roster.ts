// `attendance roster import|show` and `attendance matrix` for operators (English messages).
import fs from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { formatBirthDate } from './learner';
import { matrixCsv, matrixXlsx } from './matrix';
import { classReport, learnerSummary } from './roster';
import { parseRosterFile, rosterErrorEn } from './roster-file';
import { nameKey } from './text';
import { dayRangeArgs } from './time';
import type { AttendanceStore, ClassRecord } from './types';

class RosterCliError extends Error {}

interface Io {
  store: () => AttendanceStore;
  out: (s: string) => void;
  now: () => number;
}

/** The class named `name` (folded, exact then partial), narrowed by owner; created for --owner when missing. */
async function findClass(
  store: AttendanceStore,
  name: string,
  owner: string | undefined,
  create: boolean,
  nowMs: number,
): Promise<ClassRecord> {
  const key = nameKey(name);
  let found = await store.findClasses({ owner, nameKey: key });
  if (found.length === 0) found = await store.findClasses({ owner, nameContains: key });
  if (found.length === 1) return found[0];
  if (found.length > 1) {
    const list = found.map((c) => `"${c.name}" (owner ${c.owner})`).join(', ');
    throw new RosterCliError(`several classes match "${name}": ${list}; pass --owner CHANNEL:ID`);
  }
  if (create && owner) return store.ensureClass(owner, name, nowMs);
  throw new RosterCliError(`no class matches "${name}"${create ? '; pass --owner CHANNEL:ID to create it' : ''}`);
}

const range = (o: { from?: string; to?: string }) => dayRangeArgs(o, (m) => new RosterCliError(m));

export function addRosterCommands(program: Command, io: Io): void {
  const roster = program.command('roster').description('class rosters (learner lists)');
  roster
    .command('import')
    .description('replace a class roster with a CSV or XLSX file (columns: name, phone and/or date of birth, village)')
    .argument('<file>', 'CSV (UTF-8, UTF-16 or Windows-1258) or XLSX')
    .requiredOption('--class <name>', 'class name (case and diacritics ignored)')
    .option('--owner <channel:id>', "the trainer's id, to pick among same-named classes or to create the class")
    .action(async (file: string, o: { class: string; owner?: string }) => {
      if (!fs.existsSync(file)) throw new RosterCliError(`no such file: ${file}`);
      const parsed = await parseRosterFile(fs.readFileSync(file));
      if (!parsed.ok) {
        throw new RosterCliError(
          `roster rejected, nothing imported:\n${parsed.errors.map((e) => `  ${rosterErrorEn(e)}`).join('\n')}`,
        );
      }
      const store = io.store();
      const cls = await findClass(store, o.class, o.owner, true, io.now());
      const r = await store.replaceRoster(cls.id, parsed.learners, io.now());
      io.out(
        `Imported ${parsed.learners.length} learners into "${cls.name}" (${cls.owner}): ${r.added} added, ${r.updated} updated, ` +
          `${r.removed} removed, ${r.unchanged} unchanged (${parsed.encoding}).\n`,
      );
    });
  roster
    .command('show')
    .description("print a class roster with each learner's attendance")
    .requiredOption('--class <name>', 'class name')
    .option('--owner <channel:id>', 'owner, when several classes share the name')
    .action(async (o: { class: string; owner?: string }) => {
      const store = io.store();
      const report = (await classReport(store, (await findClass(store, o.class, o.owner, false, io.now())).id))!;
      const lines = report.learners.map((l, i) => {
        const s = learnerSummary(report, l.id);
        const cells = [l.name, l.phone, formatBirthDate(l.birthDate), l.village].filter(Boolean).join(', ');
        return `${i + 1}. ${cells} - ${s.attended}/${s.held} sessions${l.removedAt !== null ? ' (removed)' : ''}`;
      });
      io.out(
        `${report.cls.name} (${report.cls.owner}): ${report.learners.length} learners, ${report.sessions.length} sessions\n${lines.join('\n')}\n`,
      );
    });

  program
    .command('matrix')
    .description('attendance matrix of one class (learners x sessions), CSV (default, stdout) or XLSX (needs --out)')
    .requiredOption('--class <name>', 'class name')
    .option('--owner <channel:id>', 'owner, when several classes share the name')
    .option('--from <date>', 'sessions opened on or after this day (dd/mm/yyyy or yyyy-mm-dd)')
    .option('--to <date>', 'sessions opened on or before this day')
    .addOption(
      new Option('--format <format>', 'csv or xlsx (default: from --out extension, else csv)').choices(['csv', 'xlsx']),
    )
    .option('--out <file>', 'output file')
    .action(async (o: { class: string; owner?: string; from?: string; to?: string; format?: string; out?: string }) => {
      const format = o.format ?? (o.out && /\.xlsx$/i.test(o.out) ? 'xlsx' : 'csv');
      if (format === 'xlsx' && !o.out)
        throw new RosterCliError('XLSX is binary: pass --out FILE.xlsx (or use --format csv)');
      const store = io.store();
      const report = (await classReport(
        store,
        (
          await findClass(store, o.class, o.owner, false, io.now())
        ).id,
        range(o),
      ))!;
      const data = format === 'xlsx' ? await matrixXlsx(report) : matrixCsv(report);
      if (!o.out) return io.out(data.toString('utf8'));
      fs.mkdirSync(path.dirname(path.resolve(o.out)), { recursive: true });
      fs.writeFileSync(o.out, data);
      io.out(
        `Wrote ${report.learners.length} learners x ${report.sessions.length} sessions to ${o.out} (${format}).\n`,
      );
    });
}
