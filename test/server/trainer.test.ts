// Trainers on the web without planted ids: a one-time code from the bot signs them in; they then run their own
// classes from the console and the dashboard (roster upload, absent list, fixing a match, the matrix), and an
// admin manages who is a trainer.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/server/app';
import { LOCKOUT_POLICY } from '../../src/infra/rate-limit';
import { makeFixture, textMsg, type Fixture } from '../helpers/fixture';
import { appFor, chat, REMOTE, LOCAL, peer, type TestApp } from './helpers';

let fx: Fixture;
let t: TestApp;
const HOA = '900'; // telegram:900 is a trainer by configuration
const CSV =
  'Họ và tên,Số điện thoại,Thôn\r\nNguyễn Văn An,0912345678,Thôn 3\r\nTrần Thị Bình,0905111222,Thôn 3\r\nLê Văn Cường,,Thôn 4\r\n';

beforeAll(async () => {
  fx = await makeFixture({ TRAINER_IDS: `telegram:${HOA}`, RATE_LIMIT_PER_MINUTE: '1000' });
  t = appFor(fx);
});
afterAll(() => fx?.cleanup());

/** /dangnhap in a private Telegram chat, through the real chat core; returns the 8 digits. */
async function codeFor(userId: string): Promise<string> {
  const [reply] = await fx.core().handle(textMsg('/dangnhap', { userId, chatId: userId }));
  const m = /Mã đăng nhập trang web: (\d{4}) (\d{4})/.exec(reply.text);
  if (!m) throw new Error(`no code in: ${reply.text}`);
  return m[1] + m[2];
}

const post = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

async function signIn(userId: string): Promise<string> {
  const res = await t.app.request('/admin/login/code', post({ code: await codeFor(userId) }), REMOTE);
  expect(res.status).toBe(303);
  const setCookie = res.headers.get('set-cookie')!;
  expect(setCookie).toMatch(/^tlhc_trainer=[A-Za-z0-9_-]{43};/);
  expect(setCookie).toMatch(/HttpOnly/);
  expect(setCookie).toMatch(/SameSite=Strict/);
  expect(setCookie).toMatch(/Path=\//);
  return setCookie.split(';')[0];
}

const chatAs = async (cookie: string, body: Record<string, unknown>) => {
  const res = await t.app.request('/api/chat', {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify(body),
  });
  return (await res.json()) as { text: string; prompt?: unknown };
};

describe("web sign-in with the bot's code", () => {
  it('signs a trainer in from another machine; the console then acts as that trainer', async () => {
    const cookie = await signIn(HOA);
    const me = await (await t.app.request('/api/me', { headers: { cookie } })).json();
    expect(me).toEqual({ signedIn: true, identity: `telegram:${HOA}`, role: 'trainer' });
    expect(await (await t.app.request('/api/me')).json()).toEqual({ signedIn: false });

    const opened = await chatAs(cookie, { sessionId: 'browser-of-hoa-01', text: '/mo Lớp kỹ năng số thôn 3 60' });
    expect(opened.text).toContain('Đã mở điểm danh "Lớp kỹ năng số thôn 3"');
    const id = await chatAs(cookie, { sessionId: 'browser-of-hoa-01', text: '/id' });
    expect(id.text).toBe(`Mã người dùng của bạn: telegram:${HOA}\nVai trò: giảng viên.`);
    // The class belongs to the Telegram identity: /ds on Telegram sees it.
    const [ds] = await fx.core().handle(textMsg('/ds', { userId: HOA, chatId: HOA }));
    expect(ds.text).toContain('Lớp kỹ năng số thôn 3');

    const page = await t.app.request('/admin', { headers: { cookie } }, REMOTE);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`Giảng viên telegram:${HOA}`);
    expect(html).toContain('Lớp kỹ năng số thôn 3');
    expect(html).not.toContain('Góp ý về câu trả lời');
    expect((await t.app.request('/admin/trainers', { headers: { cookie } }, REMOTE)).status).toBe(403);

    const out = await t.app.request('/admin/logout', { method: 'POST', headers: { cookie } }, REMOTE);
    expect(out.headers.get('location')).toBe('/admin/login');
    expect((await t.app.request('/admin', { headers: { cookie } }, REMOTE)).status).toBe(403);
  });

  it('refuses wrong, reused codes and ordinary users, and slows down guessing', async () => {
    const code = await codeFor(HOA);
    expect((await t.app.request('/admin/login/code', post({ code }), REMOTE)).status).toBe(303);
    const again = await t.app.request('/admin/login/code', post({ code }), REMOTE);
    expect(again.status).toBe(401);
    expect(await again.text()).toContain('Mã đăng nhập không đúng, đã dùng hoặc đã hết hạn');
    const [user] = await fx.core().handle(textMsg('/dangnhap', { userId: '5', chatId: '5' }));
    expect(user.text).toContain('chỉ giảng viên');
    // The admin login's lockout: a few free tries per address, then a lock that grows with every failure.
    const guesser = peer('198.51.100.50');
    for (let i = 0; i < LOCKOUT_POLICY.freeTries; i++) {
      expect((await t.app.request('/admin/login/code', post({ code: `1234567${i}` }), guesser)).status).toBe(401);
    }
    const locked = await t.app.request('/admin/login/code', post({ code: await codeFor(HOA) }), guesser);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Counted per address: a trainer elsewhere still signs in.
    expect((await t.app.request('/admin/login/code', post({ code: await codeFor(HOA) }), REMOTE)).status).toBe(303);
  });

  it('lets an admin add a trainer by their /id, and removing them ends their web session', async () => {
    const [id] = await fx.core().handle(textMsg('/id', { channel: 'zalo', userId: 'z77', chatId: 'z77' }));
    expect(id.text).toContain('Mã người dùng của bạn: zalo:z77\nVai trò: người dùng.');
    const add = await t.app.request('/admin/trainers', post({ identity: 'zalo:z77', name: 'Cô Hoa' }), LOCAL);
    expect(add.status).toBe(303);
    const list = await (await t.app.request('/admin/trainers', {}, LOCAL)).text();
    expect(list).toContain('Cô Hoa');
    expect(list).toContain(`telegram:${HOA}`); // from TRAINER_IDS, read-only
    const bad = await t.app.request('/admin/trainers', post({ identity: 'z77', name: 'X' }), LOCAL);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('kênh:mã');

    const [reply] = await fx.core().handle(textMsg('/dangnhap', { channel: 'zalo', userId: 'z77', chatId: 'z77' }));
    const code = /(\d{4}) (\d{4})/.exec(reply.text)!.slice(1).join('');
    const res = await t.app.request('/admin/login/code', post({ code }), REMOTE);
    const cookie = res.headers.get('set-cookie')!.split(';')[0];
    expect(await (await t.app.request('/admin', { headers: { cookie } }, REMOTE)).text()).toContain(
      'Giảng viên Cô Hoa (zalo:z77)',
    );
    expect((await t.app.request('/admin/trainers/remove', post({ identity: 'zalo:z77' }), LOCAL)).status).toBe(303);
    expect((await t.app.request('/admin', { headers: { cookie } }, REMOTE)).status).toBe(403);
  });
});

describe('running a class from the dashboard', () => {
  let cookie: string;
  let classId: number;
  let code: string;

  beforeAll(async () => {
    cookie = await signIn(HOA);
    const opened = await chatAs(cookie, { sessionId: 'browser-of-hoa-02', text: '/mo Lớp an toàn mạng 60' });
    code = /Mã điểm danh: (\S+)/.exec(opened.text)![1];
    classId = (await fx.attendance.store.getSessionByCode(code))!.classId;
  });

  const upload = (bytes: string, name: string) => {
    const form = new FormData();
    form.set('file', new File([bytes], name));
    return t.app.request(
      `/admin/classes/${classId}/roster`,
      { method: 'POST', body: form, headers: { cookie } },
      REMOTE,
    );
  };

  it('rejects a bad roster file with its row numbers and imports nothing', async () => {
    const res = await upload('Họ và tên,SĐT\r\nNguyễn Văn An,0912345678\r\nAn Nguyễn,0912345678\r\n', 'lop.csv');
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Không nhập tệp <strong>lop.csv</strong>');
    expect(html).toContain('Dòng 3: trùng học viên ở dòng 2');
    expect(await fx.attendance.store.listLearners(classId)).toEqual([]);
  });

  it('imports a roster, shows who is absent, fixes a match, marks someone present and exports the matrix', async () => {
    const res = await upload(CSV, 'lop.csv');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/admin/classes/${classId}?imported=3.0.0.0`);
    const cls = await (await t.app.request(res.headers.get('location')!, { headers: { cookie } }, REMOTE)).text();
    expect(cls).toContain('Đã nhập danh sách: thêm 3');
    expect(cls).toContain('Trần Thị Bình');

    await chat(t.app, { sessionId: 'trainee-an-00001', text: `dd ${code} nguyen van an` });
    await chat(t.app, { sessionId: 'trainee-binh-0001', text: `dd ${code} Bình` });
    let page = await (await t.app.request(`/admin/sessions/${code}`, { headers: { cookie } }, REMOTE)).text();
    expect(page).toContain('Có mặt 1/3 (33%)');
    expect(page).toMatch(/id="absent"[\s\S]*Trần Thị Bình[\s\S]*Lê Văn Cường[\s\S]*<\/table>/);
    expect(page).toMatch(/id="unmatched"[\s\S]*Bình[\s\S]*<\/table>/);

    const checkin = (
      await fx.attendance.store.listCheckins((await fx.attendance.store.getSessionByCode(code))!.id)
    ).find((c) => c.name === 'Bình')!;
    const binh = (await fx.attendance.store.listLearners(classId)).find((l) => l.name === 'Trần Thị Bình')!;
    const cuong = (await fx.attendance.store.listLearners(classId)).find((l) => l.name === 'Lê Văn Cường')!;
    expect(
      (
        await t.app.request(
          `/admin/sessions/${code}/link`,
          {
            ...post({ checkin: String(checkin.id), learner: String(binh.id) }),
            headers: { ...post({}).headers, cookie },
          },
          REMOTE,
        )
      ).status,
    ).toBe(303);
    expect(
      (
        await t.app.request(
          `/admin/sessions/${code}/present`,
          { ...post({ learner: String(cuong.id) }), headers: { ...post({}).headers, cookie } },
          REMOTE,
        )
      ).status,
    ).toBe(303);
    page = await (await t.app.request(`/admin/sessions/${code}`, { headers: { cookie } }, REMOTE)).text();
    expect(page).toContain('Có mặt 3/3 (100%)');
    expect(page).toContain('Không ai vắng.');

    const xlsx = await t.app.request(
      `/admin/classes/${classId}/matrix.xlsx?from=01/01/2020`,
      { headers: { cookie } },
      REMOTE,
    );
    expect(xlsx.headers.get('content-disposition')).toMatch(/filename="bang-diem-danh-lop-an-toan-mang-\d{8}\.xlsx"/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    const ws = wb.getWorksheet('Bảng điểm danh')!;
    expect([2, 3, 4].map((r) => [ws.getRow(r).getCell(2).value, ws.getRow(r).getCell(6).value])).toEqual([
      ['Nguyễn Văn An', 'Có'],
      ['Trần Thị Bình', 'Có'],
      ['Lê Văn Cường', 'Có'],
    ]);
    expect(
      (await t.app.request(`/admin/classes/${classId}/matrix.csv?from=40/40/2020`, { headers: { cookie } }, REMOTE))
        .status,
    ).toBe(400);

    const dash = await (await t.app.request('/admin', { headers: { cookie } }, REMOTE)).text();
    expect(dash).toContain('Tỉ lệ có mặt theo buổi (%)');
    expect(dash).toContain('>100%</text>');
  });

  it('takes a roster file larger than the 64 KB every other form gets, only from someone signed in', async () => {
    const big = await fx.attendance.store.ensureClass(`telegram:${HOA}`, 'Lớp đông học viên', Date.now());
    const [ho, dem, ten] = [
      ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng'],
      ['Văn', 'Thị', 'Hữu', 'Minh', 'Thanh', 'Ngọc', 'Đức', 'Quốc', 'Gia', 'Bảo'],
      [
        'An',
        'Bình',
        'Cường',
        'Dũng',
        'Giang',
        'Hà',
        'Hải',
        'Hòa',
        'Khánh',
        'Lan',
        'Long',
        'Mai',
        'Nam',
        'Nga',
        'Phúc',
        'Quân',
        'Sơn',
        'Tâm',
        'Thảo',
        'Vy',
      ],
    ];
    const name = (i: number) => `${ho[i % 10]} ${dem[Math.floor(i / 10) % 10]} ${ten[Math.floor(i / 100)]}`;
    const rows = Array.from({ length: 1800 }, (_, i) => `${name(i)},09${String(10_000_000 + i)},Thôn Đông Hòa Phước`);
    const csv = `Họ và tên,Số điện thoại,Thôn\r\n${rows.join('\r\n')}\r\n`;
    expect(Buffer.byteLength(csv)).toBeGreaterThan(MAX_BODY_BYTES);
    const form = () => {
      const f = new FormData();
      f.set('file', new File([csv], 'lop-dong.csv'));
      return f;
    };
    const url = `/admin/classes/${big.id}/roster`;
    expect((await t.app.request(url, { method: 'POST', body: form() }, REMOTE)).status).toBe(403);
    expect(await fx.attendance.store.listLearners(big.id)).toEqual([]);
    const res = await t.app.request(url, { method: 'POST', body: form(), headers: { cookie } }, REMOTE);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/admin/classes/${big.id}?imported=1800.0.0.0`);
    // Any other form keeps the general limit.
    const grace = await t.app.request(
      `/admin/classes/${big.id}/grace`,
      { ...post({ minutes: '1'.repeat(MAX_BODY_BYTES) }), headers: { ...post({}).headers, cookie } },
      REMOTE,
    );
    expect(grace.status).toBe(413);
  });

  it("keeps trainers out of other trainers' classes", async () => {
    const other = await fx.attendance.store.ensureClass('telegram:someone-else', 'Lớp của người khác', Date.now());
    expect((await t.app.request(`/admin/classes/${other.id}`, { headers: { cookie } }, REMOTE)).status).toBe(404);
    expect((await t.app.request(`/admin/classes/${other.id}`, {}, LOCAL)).status).toBe(200);
  });
});

describe('the web console API', () => {
  it('leaves the sources to the structured list, not the text', async () => {
    const { json } = await chat(t.app, { sessionId: 'citizen-0000001', text: 'đăng ký tạm trú cần giấy tờ gì' });
    expect(json.citations.length).toBeGreaterThan(0);
    expect(json.text).not.toContain('Nguồn:');
    const [telegram] = await fx.core().handle(textMsg('đăng ký tạm trú cần giấy tờ gì'));
    expect(telegram.text).toContain('Nguồn:');
  });

  it('answers every rate-limited web message, not only the first', async () => {
    const limited = appFor(fx, { config: { ...fx.config, RATE_LIMIT_PER_MINUTE: 1 } as typeof fx.config });
    await chat(limited.app, { sessionId: 'fast-typist-0001', text: '/start' });
    for (let i = 0; i < 3; i++)
      expect((await chat(limited.app, { sessionId: 'fast-typist-0001', text: '/start' })).json.text).toContain(
        'gửi hơi nhanh',
      );
  });

  it('serves an HTML 404 page to browsers and JSON to programs', async () => {
    const page = await t.app.request('/khong-co', { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('Không tìm thấy trang này');
    const api = await t.app.request('/api/khong-co', { headers: { accept: 'text/html' } });
    expect(await api.json()).toEqual({ error: 'Không tìm thấy trang này.' });
  });
});
