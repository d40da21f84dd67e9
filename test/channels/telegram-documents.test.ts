// Documents sent to the Telegram bot: the real grammY bot long-polls the fake Telegram server, downloads an admin's
// PDF through getFile, and the corpus manager builds it in a child process; the admin hears back when it is
// searchable. Anyone else gets a polite refusal and nothing is downloaded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnswerer } from '../../src/answer/index';
import { createTelegramBot, type TelegramBot } from '../../src/channels/telegram';
import { createChatCore } from '../../src/chat/core';
import { CorpusManager } from '../../src/corpus/manager';
import { LiveIndex } from '../../src/search/live-index';
import { documentUpdate, FakeTelegram, textUpdate, type FakeCall } from '../fakes/telegram-server';
import { docxFromLines } from '../fixtures/make-fixtures';
import { makeFixture, type Fixture } from '../helpers/fixture';

const ADMIN = 4242;
let fake: FakeTelegram;
let fx: Fixture;
let tg: TelegramBot;
let live: LiveIndex;

beforeAll(async () => {
  fake = await FakeTelegram.start();
  fx = await makeFixture({
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    ADMIN_IDS: `telegram:${ADMIN}`,
    RATE_LIMIT_PER_MINUTE: '1000',
  });
  live = new LiveIndex(fx.retriever);
  const corpus = new CorpusManager({ config: fx.config, live });
  const core = createChatCore({
    config: fx.config,
    answerer: createAnswerer(fx.config, live),
    attendance: fx.attendance,
    retriever: live,
    feedback: fx.feedback,
    documents: corpus,
  });
  tg = createTelegramBot(fx.config, core);
  await tg.start();
}, 60_000);

afterAll(async () => {
  await tg?.stop();
  await fake?.close();
  fx?.cleanup();
});

const toChat = (chatId: number) => (c: FakeCall) => Number(c.params.chat_id) === chatId;

async function exchange(
  chatId: number,
  update: Record<string, unknown>,
  n: number,
  timeoutMs = 10_000,
): Promise<string[]> {
  const before = fake.callsTo('sendMessage').filter(toChat(chatId)).length;
  fake.enqueue(update);
  return (await fake.waitFor('sendMessage', toChat(chatId), before + n, timeoutMs))
    .slice(before)
    .map((c) => String(c.params.text));
}

describe('documents sent to the bot', () => {
  it("an admin's DOCX is ingested: a reply at once, another when it is searchable, and questions find it", async () => {
    const data = await docxFromLines('Quy định giờ làm việc của Bộ phận một cửa', [
      '## Thời gian làm việc',
      'Bộ phận một cửa xã Ea Kao làm việc sáng thứ Bảy từ 7 giờ 30 đến 11 giờ 30.',
    ]);
    const fileId = fake.addFile(data, 'documents/file_1.docx');
    const [received, done] = await exchange(
      ADMIN,
      documentUpdate({
        chatId: ADMIN,
        userId: ADMIN,
        fileId,
        fileName: 'Giờ làm việc một cửa.docx',
        mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        fileSize: data.length,
      }),
      2,
      60_000,
    );
    expect(received).toBe(
      '📥 Đã nhận tệp "Giờ làm việc một cửa.docx". Đang kiểm tra và lập chỉ mục; tôi sẽ báo khi văn bản tra cứu được.',
    );
    expect(done).toMatch(/^✅ Văn bản "Giờ làm việc một cửa\.docx" đã tra cứu được \(\d+ đoạn\)\.$/);
    expect(fake.downloads).toEqual(['documents/file_1.docx']);
    expect(live.version).toBe(2);
    const [answer] = await exchange(
      ADMIN,
      textUpdate({ chatId: ADMIN, userId: ADMIN, text: 'bộ phận một cửa xã Ea Kao làm việc sáng thứ Bảy mấy giờ?' }),
      1,
    );
    expect(answer).toContain('7 giờ 30');
  }, 90_000);

  it('a file that is not a document is refused with the reason, without a build', async () => {
    const fileId = fake.addFile(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(500)]), 'documents/file_2.pdf');
    const [reply] = await exchange(
      ADMIN,
      documentUpdate({ chatId: ADMIN, userId: ADMIN, fileId, fileName: 'quyet-dinh.pdf', fileSize: 502 }),
      1,
    );
    expect(reply).toBe(
      '❌ Không thêm được "quyet-dinh.pdf": Không nhận ra loại tệp: chỉ nhận PDF, Word (.docx), Markdown, TXT và HTML.',
    );
    expect(live.version).toBe(2);
  });

  it('over 20 MB is refused before downloading (the Bot API would not serve it)', async () => {
    const fileId = fake.addFile(Buffer.from('%PDF-1.7'), 'documents/file_3.pdf');
    const [reply] = await exchange(
      ADMIN,
      documentUpdate({ chatId: ADMIN, userId: ADMIN, fileId, fileName: 'lon.pdf', fileSize: 25 * 1024 * 1024 }),
      1,
    );
    expect(reply).toMatch(/^Tệp lớn hơn 20 MB: Telegram không cho bot tải tệp lớn như vậy/);
    expect(fake.downloads).not.toContain('documents/file_3.pdf');
  });

  it('a citizen who sends a file is told, kindly, that only officials add documents', async () => {
    const fileId = fake.addFile(Buffer.from('%PDF-1.7'), 'documents/file_4.pdf');
    const [reply] = await exchange(
      777,
      documentUpdate({ chatId: 777, userId: 777, fileId, fileName: 'don.pdf', fileSize: 8 }),
      1,
    );
    expect(reply).toBe(
      'Cảm ơn bạn đã gửi tệp. Chỉ cán bộ quản trị mới có thể thêm văn bản vào kho tra cứu; bạn hãy gõ câu hỏi để được giải đáp nhé.',
    );
    expect(fake.downloads).not.toContain('documents/file_4.pdf');
  });
});
