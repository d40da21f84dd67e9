// Attendance end to end over Telegram: open, check in (one person twice), list, export files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramBot, type TelegramBot } from '../../src/channels/telegram';
import { FakeTelegram, textUpdate, type FakeCall } from '../fakes/telegram-server';
import { makeFixture, type Fixture } from '../helpers/fixture';

const TRAINER = 900;
let fake: FakeTelegram;
let fx: Fixture;
let tg: TelegramBot;

beforeAll(async () => {
  fake = await FakeTelegram.start();
  fx = await makeFixture({
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TRAINER_IDS: `telegram:${TRAINER}`,
  });
  tg = createTelegramBot(fx.config, fx.core());
  await tg.start();
});

afterAll(async () => {
  await tg?.stop();
  await fake?.close();
  fx?.cleanup();
});

async function say(userId: number, text: string, firstName = 'An', lastName?: string): Promise<FakeCall> {
  const toChat = (c: FakeCall) => Number(c.params.chat_id) === userId;
  const before = fake.callsTo('sendMessage').filter(toChat).length;
  fake.enqueue(textUpdate({ chatId: userId, userId, text, firstName, lastName }));
  const all = await fake.waitFor('sendMessage', toChat, before + 1);
  return all[before];
}

describe('attendance over Telegram', () => {
  it('a trainer opens a session, three people check in, /ds lists them and /xuat sends the files', async () => {
    const opened = await say(TRAINER, '/mo Lớp kỹ năng số thôn 3 30');
    expect(opened.params.text).toContain('Đã mở điểm danh "Lớp kỹ năng số thôn 3"');
    const code = /Mã điểm danh: (\S+)/.exec(opened.params.text)![1];

    expect((await say(801, `diemdanh ${code} Nguyễn Văn An`)).params.text).toContain('✅ Đã điểm danh: Nguyễn Văn An');
    expect((await say(802, `dd ${code.toLowerCase()} Trần Thị Bình`)).params.text).toContain(
      '✅ Đã điểm danh: Trần Thị Bình',
    );
    expect((await say(803, `/diemdanh ${code} Lê Văn Cường`)).params.text).toContain('✅ Đã điểm danh: Lê Văn Cường');
    expect((await say(801, `diemdanh ${code} Nguyễn Văn An`)).params.text).toMatch(/^Bạn đã điểm danh lúc/);

    const list = (await say(TRAINER, '/ds')).params.text as string;
    for (const name of ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường']) expect(list).toContain(name);
    expect(list).toContain('Tổng: 3 người.');

    const before = fake.callsTo('sendDocument').length;
    const exported = await say(TRAINER, `/xuat ${code}`);
    expect(exported.params.text).toContain('3');
    const docs = (await fake.waitFor('sendDocument', () => true, before + 2)).slice(before);
    const files = docs.flatMap((d) => d.files);
    expect(files.map((f) => f.filename.split('.').pop()).sort()).toEqual(['csv', 'xlsx']);
    for (const f of files) expect(f.size).toBeGreaterThan(100);
    const csv = files.find((f) => f.filename.endsWith('.csv'))!.data.toString('utf8');
    expect(csv).toContain('Trần Thị Bình');
    expect(docs.every((d) => Number(d.params.chat_id) === TRAINER)).toBe(true);
  });

  it('refuses trainer commands from ordinary users', async () => {
    const m = await say(804, '/mo Lớp tin học 30');
    expect(m.params.text).toContain('chỉ giảng viên');
  });
});
