// Rosters end to end through the attendance service: matching check-ins, absent lists, late learners, the
// roster commands, removed learners keeping their past, and the matrix export.
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { matrixCells, matrixCsv, matrixXlsx } from '../../src/attendance/matrix';
import { classReport, learnerSummary } from '../../src/attendance/roster';
import { cleanupTmp, harness, type Harness } from './helpers';

afterAll(cleanupTmp);

const CLASS = 'Lớp kỹ năng số thôn 3';
const ROSTER = [
  { name: 'Nguyễn Văn An', phone: '0912345678', birthDate: null, village: 'Thôn 3' },
  { name: 'Trần Thị Bình', phone: null, birthDate: '1965', village: 'Thôn 3' },
  { name: 'Lê Văn Cường', phone: '0905111222', birthDate: null, village: null },
  { name: 'Phạm Thị Dung', phone: null, birthDate: '1970-05-03', village: 'Thôn 4' },
];

/** A class with the roster above and one open session; returns its code and class id. */
async function setUp(h: Harness): Promise<{ code: string; classId: number }> {
  const code = await h.open(`/mo ${CLASS} 60`);
  const classId = h.a.store.getSessionByCode(code)!.classId;
  h.a.store.replaceRoster(classId, ROSTER, h.clock.ms);
  return { code, classId };
}

describe('matching check-ins to the roster', () => {
  it('matches names without diacritics or case, and phones; keeps the unmatched; lists the absent', async () => {
    const h = harness();
    const { code } = await setUp(h);
    expect(await h.say('u1', `dd ${code} nguyen van an`)).toMatch(/^✅/);
    expect(await h.say('u2', `dd ${code} Cuong 0905 111 222`)).toMatch(/^✅/);
    expect(await h.say('u3', `dd ${code} Hoàng Văn Em`)).toMatch(/^✅/);
    h.clock.advanceMinutes(20); // past the default 15-minute grace
    expect(await h.say('u4', `dd ${code} TRẦN THỊ BÌNH`)).toMatch(/^✅/);

    const absent = await h.say('trainer1', '/vang', 'trainer');
    expect(absent).toContain(`Vắng mặt — "${CLASS}"`);
    expect(absent).toContain(': 1/4 người.');
    expect(absent).toContain('1. Phạm Thị Dung — sinh 03/05/1970 — Thôn 4');
    expect(absent).toContain('Có mặt 3/4 (1 muộn), vắng 1.');
    expect(absent).toContain('Không khớp danh sách lớp: 1 lượt (Hoàng Văn Em 09:00)');
    expect(absent).not.toContain('Nguyễn Văn An');
    const ds = await h.say('trainer1', '/ds', 'trainer');
    expect(ds).toContain('Tổng: 4 người.\nCó mặt 3/4 (1 muộn), vắng 1.');
    expect(ds).toContain('Gửi /vang để xem ai vắng.');
  });

  it('leaves namesakes unmatched until the trainer fixes the match, and the fix sticks', async () => {
    const h = harness();
    const { code, classId } = await setUp(h);
    h.a.store.addLearners(
      classId,
      [{ name: 'Nguyễn Văn An', phone: '0977000111', birthDate: null, village: 'Thôn 5' }],
      h.clock.ms,
    );
    await h.say('u1', `dd ${code} Nguyễn Văn An`);
    let r = classReport(h.a.store, classId)!.sessions[0];
    expect(r.present).toHaveLength(0);
    expect(r.unmatched.map((c) => c.name)).toEqual(['Nguyễn Văn An']);

    const second = h.a.store.listLearners(classId).find((l) => l.phone === '0977000111')!;
    h.a.store.linkCheckin(r.unmatched[0].id, second.id, 'telegram:trainer1', h.clock.ms);
    r = classReport(h.a.store, classId)!.sessions[0];
    expect(r.present.map((p) => p.learner.id)).toEqual([second.id]);
    expect(r.unmatched).toEqual([]);

    // "Not this roster": the check-in stays listed, unmatched.
    h.a.store.linkCheckin(r.present[0].checkin.id, null, 'telegram:trainer1', h.clock.ms);
    r = classReport(h.a.store, classId)!.sessions[0];
    expect(r.present).toEqual([]);
    expect(r.unmatched).toHaveLength(1);
  });

  it('adds a late learner by hand with /them, once, matched to the roster', async () => {
    const h = harness();
    const { code, classId } = await setUp(h);
    await h.say('u1', `dd ${code} Nguyễn Văn An`);
    h.clock.advanceMinutes(40);
    const reply = await h.say('trainer1', '/them tran thi binh; Nguyễn Văn An; Người Lạ', 'trainer');
    expect(reply).toContain('✅ Đã thêm: Trần Thị Bình — 09:40 (muộn)');
    expect(reply).toContain('• Nguyễn Văn An đã có mặt lúc 09:00.');
    expect(reply).toContain('✅ Đã thêm: Người Lạ — 09:40 (muộn) (không có trong danh sách lớp)');
    expect(await h.say('trainer1', '/them Trần Thị Bình', 'trainer')).toContain('Trần Thị Bình đã có mặt lúc 09:40.');
    const r = classReport(h.a.store, classId)!.sessions[0];
    expect(r.present.map((p) => [p.learner.name, p.late])).toEqual([
      ['Nguyễn Văn An', false],
      ['Trần Thị Bình', true],
    ]);
    expect(r.unmatched.map((c) => c.name)).toEqual(['Người Lạ']);
    expect(await h.say('u9', '/them Ai Đó')).toContain('chỉ giảng viên');
  });

  it('uses the grace period the trainer sets', async () => {
    const h = harness();
    const { code } = await setUp(h);
    expect(await h.say('trainer1', `/lop ${CLASS} muon 5`, 'trainer')).toContain(
      'sau 5 phút kể từ lúc mở buổi sẽ tính là muộn',
    );
    h.clock.advanceMinutes(10);
    await h.say('u1', `dd ${code} Nguyễn Văn An`);
    expect(await h.say('trainer1', '/vang', 'trainer')).toContain('Có mặt 1/4 (1 muộn), vắng 3.');
  });

  it('says so when the class has no roster', async () => {
    const h = harness();
    await h.open('/mo Lớp không danh sách 30');
    expect(await h.say('trainer1', '/vang', 'trainer')).toContain('chưa có danh sách học viên');
  });
});

describe('roster commands', () => {
  it('adds, shows, removes learners and shows one record; a removed learner keeps their past', async () => {
    const h = harness();
    const add = await h.say(
      'trainer1',
      `/lop Lớp tin học them Nguyễn Văn An, 0912345678, Thôn 3\nTrần Thị Bình, 03/05/1965`,
      'trainer',
    );
    expect(add).toContain('Đã thêm 2 học viên vào lớp "Lớp tin học" (tổng 2):');
    expect(add).toContain('1. Nguyễn Văn An — 0912345678 — Thôn 3');
    expect(add).toContain('2. Trần Thị Bình — sinh 03/05/1965');
    expect(await h.say('trainer1', '/lop Lớp tin học them nguyen van an, 0912345678', 'trainer')).toContain(
      'đã có trong danh sách lớp',
    );
    expect(await h.say('trainer1', '/lop Lớp tin học them Lê Văn C, 12ab', 'trainer')).toContain(
      'số điện thoại không hợp lệ',
    );

    const code1 = await h.open('/mo Lớp tin học 30');
    await h.say('u1', `dd ${code1} Nguyễn Văn An`);
    await h.say('u2', `dd ${code1} Trần Thị Bình`);
    await h.say('trainer1', '/dong', 'trainer');
    h.clock.advanceMinutes(60 * 24 * 7);
    expect(await h.say('trainer1', '/lop tin hoc xoa 2', 'trainer')).toContain(
      'Các lượt điểm danh trước đây của người này vẫn được giữ',
    );
    const code2 = await h.open('/mo Lớp tin học 30');
    await h.say('u1', `dd ${code2} Nguyễn Văn An`);

    const show = await h.say('trainer1', '/lop Lớp tin học', 'trainer');
    expect(show).toContain('Lớp "Lớp tin học" — 1 học viên, 2 buổi');
    expect(show).toContain('1. Nguyễn Văn An — 0912345678 — Thôn 3 — có mặt 2/2');
    expect(show).not.toContain('Trần Thị Bình');
    expect(await h.say('trainer1', '/lop tin hoc xem 1', 'trainer')).toContain(
      'Có mặt 2/2 buổi.\nCác buổi có mặt: 21/11/2025, 28/11/2025',
    );
    expect(await h.say('trainer1', '/lop', 'trainer')).toContain('1. Lớp tin học — 1 học viên, 2 buổi');
    expect(await h.say('trainer1', '/lop Lớp không có', 'trainer')).toContain('Không tìm thấy lớp "Lớp không có"');

    const classId = h.a.store.getSessionByCode(code1)!.classId;
    const report = classReport(h.a.store, classId)!;
    const binh = report.learners.find((l) => l.name === 'Trần Thị Bình')!;
    expect(binh.removedAt).not.toBeNull();
    expect(report.marks.get(binh.id)).toEqual(['present', 'none']);
    expect(learnerSummary(report, binh.id)).toMatchObject({ held: 1, attended: 1 });
  });

  it('replaces a roster from a file: keeps the same people, adds, removes, and brings back the removed', () => {
    const h = harness();
    const cls = h.a.store.ensureClass('telegram:trainer1', 'Lớp A', h.clock.ms);
    expect(h.a.store.replaceRoster(cls.id, ROSTER, h.clock.ms)).toEqual({
      added: 4,
      updated: 0,
      removed: 0,
      unchanged: 0,
    });
    const ids = h.a.store.listLearners(cls.id).map((l) => l.id);
    const next = [
      ROSTER[1],
      { ...ROSTER[0], name: 'Nguyễn Văn Ân' },
      { name: 'Võ Thị Giang', phone: null, birthDate: '1990', village: null },
    ];
    expect(h.a.store.replaceRoster(cls.id, next, h.clock.ms)).toEqual({
      added: 1,
      updated: 1,
      removed: 2,
      unchanged: 1,
    });
    const now = h.a.store.listLearners(cls.id);
    expect(now.map((l) => [l.position, l.name])).toEqual([
      [1, 'Trần Thị Bình'],
      [2, 'Nguyễn Văn Ân'],
      [3, 'Võ Thị Giang'],
    ]);
    expect(now[1].id).toBe(ids[0]); // same phone: the same person, renamed
    expect(h.a.store.replaceRoster(cls.id, ROSTER, h.clock.ms)).toMatchObject({ added: 0, removed: 1 });
    expect(
      h.a.store
        .listLearners(cls.id)
        .map((l) => l.id)
        .sort(),
    ).toEqual([...ids].sort());
  });
});

describe('the attendance matrix', () => {
  it('has learners x sessions with present / late / absent, totals, and unmatched check-ins at the end', async () => {
    const h = harness();
    const { code, classId } = await setUp(h);
    await h.say('u1', `dd ${code} Nguyễn Văn An`);
    await h.say('u3', `dd ${code} Hoàng Văn Em`);
    h.clock.advanceMinutes(30);
    await h.say('u2', `dd ${code} Trần Thị Bình`);
    await h.say('trainer1', '/dong', 'trainer');
    h.clock.advanceMinutes(60 * 24);
    const code2 = await h.open(`/mo ${CLASS} 60`);
    await h.say('u1', `dd ${code2} Nguyễn Văn An`);

    const report = classReport(h.a.store, classId)!;
    const cells = matrixCells(report);
    expect(cells[0]).toEqual([
      'STT',
      'Họ và tên',
      'Số điện thoại',
      'Ngày sinh',
      'Thôn/xóm',
      `21/11/2025 09:00 (${code})`,
      `22/11/2025 09:30 (${code2})`,
      'Số buổi có mặt',
      'Số buổi',
      'Tỉ lệ',
    ]);
    expect(cells.slice(1)).toEqual([
      ['1', 'Nguyễn Văn An', '0912345678', '', 'Thôn 3', 'Có', 'Có', '2', '2', '100%'],
      ['2', 'Trần Thị Bình', '', '1965', 'Thôn 3', 'Muộn', 'Vắng', '1', '2', '50%'],
      ['3', 'Lê Văn Cường', '0905111222', '', '', 'Vắng', 'Vắng', '0', '2', '0%'],
      ['4', 'Phạm Thị Dung', '', '03/05/1970', 'Thôn 4', 'Vắng', 'Vắng', '0', '2', '0%'],
      ['', 'Hoàng Văn Em (ngoài danh sách)', '', '', '', 'Có', '', '1', '', ''],
    ]);
    // Only the sessions of a date range.
    const range = classReport(h.a.store, classId, { fromMs: h.clock.ms - 3600_000 })!;
    expect(matrixCells(range)[0]).toHaveLength(9);

    const csv = matrixCsv(report);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.subarray(3).toString('utf8').split('\r\n')[2]).toBe('2,Trần Thị Bình,,1965,Thôn 3,Muộn,Vắng,1,2,50%');

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await matrixXlsx(report)) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Bảng điểm danh')!;
    expect(ws.getRow(3).getCell(2).value).toBe('Trần Thị Bình');
    expect(ws.getRow(3).getCell(6).value).toBe('Muộn');
    expect(ws.getRow(3).getCell(7).value).toBe('Vắng');
    expect(ws.rowCount).toBe(6);
  });
});
