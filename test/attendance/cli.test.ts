import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAttendanceCli } from '../../src/attendance';
import { cleanupTmp, harness, T0, tmpDir } from './helpers';

afterAll(cleanupTmp);

let dbPath: string;
let codeA: string;

beforeAll(async () => {
  const h = harness();
  dbPath = h.dbPath;
  codeA = await h.open('/mo Lớp kỹ năng số thôn 3 60');
  await h.say('u1', `dd ${codeA} Nguyễn Văn An`);
  await h.say('u2', `dd ${codeA} Trần, Thị "Bé"`);
  h.clock.ms = T0 + 2 * 24 * 3600_000;
  const codeB = await h.open('/mo Lớp B 60', 'trainer2');
  await h.say('u3', `dd ${codeB} Lê Văn C`);
  h.a.close();
});

async function cli(argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (d: Buffer) => out.push(d));
  stderr.on('data', (d: Buffer) => err.push(d));
  const code = await runAttendanceCli(argv, { dbPath, stdout, stderr, now: () => new Date(T0) });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

describe('attendance CLI', () => {
  it('lists classes, sessions and counts', async () => {
    const r = await cli(['list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^CLASS\s+OWNER\s+CODE/);
    expect(r.stdout).toMatch(
      new RegExp(
        `Lớp kỹ năng số thôn 3\\s+telegram:trainer1\\s+${codeA}\\s+21/11/2025 09:00\\s+21/11/2025 10:00\\s+open\\s+2`,
      ),
    );
    expect(r.stdout).toContain('2 classes, 2 sessions, 3 check-ins.');
  });

  it('writes CSV to stdout by class name, ignoring case and diacritics', async () => {
    const r = await cli(['export', '--class', 'lop ky nang so thon 3']);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain('"Trần, Thị ""Bé"""');
  });

  it('filters by code and dates and writes XLSX to a file', async () => {
    const out = path.join(tmpDir(), 'x', 'a.xlsx');
    const r = await cli(['export', '--from', '22/11/2025', '--to', '2025-11-30', '--format', 'xlsx', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Wrote 1 check-ins to ${out} (xlsx).`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.getWorksheet('Điểm danh')!.getCell('D2').value).toBe('Lê Văn C');
    const byCode = await cli(['export', '--code', codeA.toLowerCase()]);
    expect(byCode.stdout).toContain('Nguyễn Văn An');
    expect(byCode.stdout).not.toContain('Lê Văn C');
  });

  it('fails clearly on bad input', async () => {
    expect(await cli(['export', '--format', 'xlsx'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('pass --out'),
    });
    expect(await cli(['export', '--class', 'Không có'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no class matches'),
    });
    expect(await cli(['export', '--code', 'ZZ99'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no session has code'),
    });
    expect(await cli(['export', '--from', '31/02/2025'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('invalid --from'),
    });
    expect((await cli(['export', '--format', 'pdf'])).code).not.toBe(0);
    expect((await cli(['nope'])).code).not.toBe(0);
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('export');
    expect(fs.existsSync(dbPath)).toBe(true);
  });
});
