// npm run cli -- attendance roster import FILE --class NAME, roster show, matrix.
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAttendanceCli } from '../../src/attendance';
import { cleanupTmp, harness, T0, tmpDir } from './helpers';

afterAll(cleanupTmp);

let dbPath: string;
let dir: string;

beforeAll(async () => {
  const h = harness();
  dbPath = h.dbPath;
  dir = tmpDir();
  const code = await h.open('/mo Lớp kỹ năng số thôn 3 60');
  await h.say('u1', `dd ${code} Nguyen Van An`);
  await h.say('u2', `dd ${code} Khách Lạ`);
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

const file = (name: string, text: string): string => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
};

describe('attendance roster CLI', () => {
  it('rejects a bad file with its row numbers and imports nothing', async () => {
    const bad = file('bad.csv', 'Họ và tên,SĐT\r\nNguyễn Văn An,0912345678\r\n,0911\r\nNguyễn Văn An,0912345678\r\n');
    const r = await cli(['roster', 'import', bad, '--class', 'lop ky nang so thon 3']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('roster rejected, nothing imported:');
    expect(r.stderr).toContain('row 3: name is empty');
    expect(r.stderr).toContain('row 4: same learner as row 2');
    expect((await cli(['roster', 'show', '--class', 'lop ky nang so thon 3'])).stdout).toContain('0 learners');
  });

  it('imports a CSV into a class found by folded name, shows it, and exports the matrix', async () => {
    const good = file(
      'lop.csv',
      '\uFEFFHọ và tên;Số điện thoại;Thôn\r\nNguyễn Văn An;0912345678;Thôn 3\r\nTrần Thị Bình;;Thôn 3\r\n',
    );
    const r = await cli(['roster', 'import', good, '--class', 'lop ky nang so thon 3']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(
      'Imported 2 learners into "Lớp kỹ năng số thôn 3" (telegram:trainer1): 2 added, 0 updated, 0 removed, 0 unchanged (utf-8).\n',
    );
    const show = await cli(['roster', 'show', '--class', 'thon 3']);
    expect(show.stdout).toContain('1. Nguyễn Văn An, 0912345678, Thôn 3 - 1/1 sessions');
    expect(show.stdout).toContain('2. Trần Thị Bình, Thôn 3 - 0/1 sessions');

    const csv = await cli(['matrix', '--class', 'thon 3']);
    const lines = csv.stdout
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines.slice(1)).toEqual([
      '1,Nguyễn Văn An,0912345678,,Thôn 3,Có,1,1,100%',
      '2,Trần Thị Bình,,,Thôn 3,Vắng,0,1,0%',
      ',Khách Lạ (ngoài danh sách),,,,Có,1,,',
    ]);
    const out = path.join(dir, 'm', 'matrix.xlsx');
    expect((await cli(['matrix', '--class', 'thon 3', '--out', out])).stdout).toBe(
      `Wrote 2 learners x 1 sessions to ${out} (xlsx).\n`,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.getWorksheet('Bảng điểm danh')!.getCell('F3').value).toBe('Vắng');
  });

  it('needs --owner to create a class, and fails clearly otherwise', async () => {
    const good = file('b.csv', 'Họ và tên,Ngày sinh\r\nLê Văn C,1980\r\n');
    expect(await cli(['roster', 'import', good, '--class', 'Lớp mới'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('pass --owner'),
    });
    expect((await cli(['roster', 'import', good, '--class', 'Lớp mới', '--owner', 'zalo:77'])).stdout).toContain(
      'into "Lớp mới" (zalo:77)',
    );
    expect(await cli(['roster', 'import', path.join(dir, 'none.csv'), '--class', 'x'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no such file'),
    });
    expect(await cli(['matrix', '--class', 'thon 3', '--format', 'xlsx'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('pass --out'),
    });
    expect(await cli(['matrix', '--class', 'thon 3', '--from', '40/40/2025'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('invalid --from'),
    });
  });
});
