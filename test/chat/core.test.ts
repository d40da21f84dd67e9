import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAction } from '../../src/chat/actions';
import type { AnswerOptions, Answerer, Turn } from '../../src/answer/types';
import { DISCLAIMER } from '../../src/chat/messages';
import { roleOf } from '../../src/chat/roles';
import { makeFixture, textMsg, type Fixture } from '../helpers/fixture';

let fx: Fixture;
beforeAll(async () => {
  fx = await makeFixture({ TRAINER_IDS: 'telegram:900', ADMIN_IDS: 'telegram:1' });
});
afterAll(() => fx.cleanup());

/** The real answerer, with the options of each call recorded. */
function recording(real: Answerer): { answerer: Answerer; calls: { question: string; history: Turn[] }[] } {
  const calls: { question: string; history: Turn[] }[] = [];
  return {
    calls,
    answerer: {
      answer(question: string, opts?: AnswerOptions) {
        calls.push({ question, history: opts?.history ?? [] });
        return real.answer(question, opts);
      },
    },
  };
}

describe('chat core: commands', () => {
  it('greets with what the bot does and the disclaimer', async () => {
    const [out] = await fx.core().handle(textMsg('/start'));
    expect(out.text).toContain('Trợ lý Hành chính số');
    expect(out.text).toContain(DISCLAIMER);
    expect(out.text.normalize('NFC')).toBe(out.text);
  });

  it('shows trainer commands in /help only to trainers', async () => {
    const core = fx.core();
    const [user] = await core.handle(textMsg('/help'));
    const [trainer] = await core.handle(textMsg('/help', { userId: '900' }));
    expect(user.text).toContain('/thutuc');
    expect(user.text).not.toContain('/mo <tên lớp>');
    expect(trainer.text).toContain('/mo <tên lớp>');
  });

  it('answers /hoi and asks for a question when it is empty', async () => {
    const core = fx.core();
    const [usage] = await core.handle(textMsg('/hoi'));
    expect(usage.text).toContain('/hoi');
    const [a] = await core.handle(textMsg('/hoi@trolyhanhchinh_bot đăng ký tạm trú cần giấy tờ gì'));
    expect(a.mode).toBe('extractive');
    expect(a.text).toContain('tạm trú');
  });

  it('replies to unknown commands with a hint', async () => {
    const [out] = await fx.core().handle(textMsg('/abcxyz'));
    expect(out.text).toContain('/help');
  });

  it('/nguon lists the full sources of the last answer', async () => {
    const core = fx.core();
    const [before] = await core.handle(textMsg('/nguon', { chatId: '777' }));
    expect(before.text).toContain('Chưa có câu trả lời');
    await core.handle(textMsg('làm giấy khai sinh cho con cần những gì', { chatId: '777' }));
    const [after] = await core.handle(textMsg('/nguon', { chatId: '777' }));
    expect(after.text).toContain('Nguồn của câu trả lời gần nhất');
    expect(after.text).toContain('1. Thủ tục "Đăng ký khai sinh"');
    expect(after.text).toMatch(/https?:\/\//);
  });
});

describe('chat core: questions', () => {
  it('answers with citations, sources in the text and feedback buttons', async () => {
    const [out] = await fx.core().handle(textMsg('làm giấy khai sinh cho con cần những gì'));
    expect(out.mode).toBe('extractive');
    expect(out.text).toContain('Nguồn:');
    expect(out.citations?.[0].docId).toBe('dang-ky-khai-sinh');
    expect(out.answerId).toBeTruthy();
    expect(out.buttons).toEqual([
      [
        { text: '👍', action: { type: 'vote', answerId: out.answerId, vote: 'up' } },
        { text: '👎', action: { type: 'vote', answerId: out.answerId, vote: 'down' } },
      ],
    ]);
  });

  it('passes declined answers through and has no sources for them', async () => {
    const core = fx.core();
    const [out] = await core.handle(textMsg('giá vàng hôm nay bao nhiêu', { chatId: '778' }));
    expect(out.mode).toBe('declined');
    expect(out.text).toContain('«giá vàng»');
    const [sources] = await core.handle(textMsg('/nguon', { chatId: '778' }));
    expect(sources.text).toContain('không dựa trên văn bản nào');
  });

  it('passes the chat memory as history for follow-ups, per chat and bounded by MEMORY_TURNS', async () => {
    const rec = recording(fx.answerer);
    const core = fx.core({ answerer: rec.answerer, config: { ...fx.config, MEMORY_TURNS: 2 } });
    await core.handle(textMsg('làm giấy khai sinh cho con cần những gì', { chatId: '501' }));
    const [follow] = await core.handle(textMsg('còn lệ phí thì sao', { chatId: '501' }));
    expect(rec.calls[1].history).toHaveLength(1);
    expect(rec.calls[1].history[0].topic?.docId).toBe('dang-ky-khai-sinh');
    expect(follow.text).toContain('khai sinh');
    expect(follow.citations?.[0].docId).toBe('dang-ky-khai-sinh');
    await core.handle(textMsg('thời hạn bao lâu', { chatId: '501' }));
    await core.handle(textMsg('đăng ký tạm trú cần gì', { chatId: '501' }));
    expect(rec.calls[3].history.map((t) => t.question)).toEqual(['còn lệ phí thì sao', 'thời hạn bao lâu']);
    // Another chat starts with an empty memory.
    await core.handle(textMsg('lệ phí bao nhiêu', { chatId: '502' }));
    expect(rec.calls[4].history).toEqual([]);
  });

  it('truncates long questions and says so', async () => {
    const rec = recording(fx.answerer);
    const core = fx.core({ answerer: rec.answerer, config: { ...fx.config, MAX_QUESTION_CHARS: 60 } });
    const long = `đăng ký tạm trú cần giấy tờ gì ${'xin cảm ơn rất nhiều '.repeat(20)}`;
    const [out] = await core.handle(textMsg(long));
    expect(rec.calls[0].question.length).toBeLessThanOrEqual(60);
    expect(out.text).toContain('dài hơn 60 ký tự');
    expect(out.text).toContain('tạm trú');
  });

  it('gives hints for stickers, photos and empty messages', async () => {
    const core = fx.core();
    const [sticker] = await core.handle(textMsg('', { kind: 'sticker' }));
    const [photo] = await core.handle(textMsg('', { kind: 'photo' }));
    const [empty] = await core.handle(textMsg('   '));
    expect(sticker.text).toContain('tin nhắn chữ');
    expect(photo.text).toContain('hình ảnh');
    expect(empty.text).toContain('câu hỏi bằng chữ');
  });

  it('processes each message id once per chat', async () => {
    const core = fx.core();
    const m = textMsg('/start');
    expect(await core.handle(m)).toHaveLength(1);
    expect(await core.handle({ ...m })).toEqual([]);
    expect(await core.handle({ ...m, chatId: '999' })).toHaveLength(1);
  });

  it('rate-limits each user with a sliding window and warns once', async () => {
    let t = Date.parse('2026-03-02T02:00:00Z');
    const core = fx.core({ config: { ...fx.config, RATE_LIMIT_PER_MINUTE: 3 }, now: () => new Date(t) });
    for (let i = 0; i < 3; i++)
      expect((await core.handle(textMsg('/start', { userId: '42' })))[0].text).toContain('Xin chào');
    const [limited] = await core.handle(textMsg('/start', { userId: '42' }));
    expect(limited.text).toMatch(/gửi hơi nhanh.*\d+ giây/);
    expect(await core.handle(textMsg('/start', { userId: '42' }))).toEqual([]);
    expect((await core.handle(textMsg('/start', { userId: '43' })))[0].text).toContain('Xin chào');
    t += 61_000;
    expect((await core.handle(textMsg('/start', { userId: '42' })))[0].text).toContain('Xin chào');
  });

  it('apologizes when answering fails and keeps working', async () => {
    const broken: Answerer = { answer: async () => Promise.reject(new Error('index unavailable')) };
    const core = fx.core({ answerer: broken });
    const [out] = await core.handle(textMsg('đăng ký tạm trú cần gì'));
    expect(out.text).toBe('Xin lỗi, đã có lỗi khi xử lý yêu cầu. Vui lòng thử lại sau.');
    expect((await core.handle(textMsg('/start')))[0].text).toContain('Xin chào');
  });
});

describe('chat core: groups and roles', () => {
  const group = { chatId: '-100', isGroup: true };

  it('answers in groups only when addressed or asked with /hoi', async () => {
    const core = fx.core();
    expect(await core.handle(textMsg('đăng ký tạm trú cần gì', group))).toEqual([]);
    const [mention] = await core.handle(textMsg('đăng ký tạm trú cần gì', { ...group, addressedToBot: true }));
    expect(mention.mode).toBe('extractive');
    const [hoi] = await core.handle(textMsg('/hoi đăng ký tạm trú cần gì', group));
    expect(hoi.mode).toBe('extractive');
    expect(await core.handle(textMsg('', { ...group, kind: 'sticker' }))).toEqual([]);
  });

  it('maps ADMIN_IDS and TRAINER_IDS to roles', async () => {
    expect(await roleOf(fx.config, 'telegram', '1')).toBe('admin');
    expect(await roleOf(fx.config, 'telegram', '900')).toBe('trainer');
    expect(await roleOf(fx.config, 'zalo', '900')).toBe('user');
    expect(await roleOf(fx.config, 'telegram', '5')).toBe('user');
  });

  it('routes attendance: trainers open sessions, users cannot, check-ins work in private chats', async () => {
    const core = fx.core();
    const [refused] = await core.handle(textMsg('/mo Lớp kỹ năng số thôn 3 30', { userId: '5' }));
    expect(refused.text).toContain('chỉ giảng viên');
    const [opened] = await core.handle(textMsg('/mo Lớp kỹ năng số thôn 3 30', { userId: '900', chatId: '900' }));
    const code = /Mã điểm danh: (\S+)/.exec(opened.text)?.[1];
    expect(code).toBeTruthy();
    const [ok] = await core.handle(textMsg(`dd ${code!.toLowerCase()} Trần Thị Bình`, { userId: '6', chatId: '6' }));
    expect(ok.text).toContain('✅ Đã điểm danh: Trần Thị Bình');
  });

  it('accepts "có mặt" check-ins in a group with an open session without addressing the bot', async () => {
    const core = fx.core();
    const g = { chatId: '-300', isGroup: true };
    const [opened] = await core.handle(textMsg('/mo Lớp tin học cơ bản 30', { ...g, userId: '900' }));
    expect(opened.text).toContain('Đã mở điểm danh');
    const [ok] = await core.handle(textMsg('có mặt', { ...g, userId: '7', userName: 'Phạm Thị Dung' }));
    expect(ok.text).toContain('✅ Đã điểm danh: Phạm Thị Dung');
    const [list] = await core.handle(textMsg('/ds', { ...g, userId: '900' }));
    expect(list.text).toContain('Phạm Thị Dung');
  });
});

describe('chat core: feedback and catalog', () => {
  it('stores a vote with the question and answer, and acknowledges it', async () => {
    const core = fx.core();
    const [a] = await core.handle(textMsg('đăng ký tạm trú cần gì', { chatId: '321', userId: '321' }));
    const [ack] = await core.handle(
      textMsg('', { chatId: '321', userId: '321', action: { type: 'vote', answerId: a.answerId!, vote: 'down' } }),
    );
    expect(ack.text).toBe('');
    expect(ack.notice).toContain('Cảm ơn');
    expect(ack.editButtons).toEqual([[{ text: 'Đã ghi nhận: 👎', action: { type: 'voted' } }]]);
    const [vote] = await fx.feedback.list({ limit: 1 });
    expect(vote).toMatchObject({
      answerId: a.answerId,
      vote: 'down',
      question: 'đăng ký tạm trú cần gì',
      mode: 'extractive',
      channel: 'telegram',
      chatId: '321',
    });
    expect(vote.answer).toBe(a.text);
    expect((await fx.feedback.stats()).down).toBeGreaterThanOrEqual(1);
  });

  it('browses procedures by field and shows a card with the main sections and the source', async () => {
    const core = fx.core();
    const [home] = await core.handle(textMsg('/thutuc'));
    const fields = home.buttons!.flat();
    expect(fields.map((b) => b.text)).toEqual(['Chứng thực (1)', 'Cư trú (1)', 'Hộ tịch (1)', 'Xây dựng (1)']);
    const hoTich = fields.find((b) => b.text.startsWith('Hộ tịch'))!;
    const [list] = await core.handle(textMsg('', { action: hoTich.action }));
    expect(list.text).toContain('Hộ tịch');
    const proc = list.buttons!.flat().find((b) => b.text === 'Đăng ký khai sinh')!;
    expect(Buffer.byteLength(encodeAction(proc.action))).toBeLessThanOrEqual(64);
    const [card] = await core.handle(textMsg('', { action: proc.action }));
    for (const s of ['Cơ quan thực hiện', 'Thời hạn giải quyết', 'Lệ phí', 'Cách thức thực hiện', 'Thành phần hồ sơ'])
      expect(card.text).toContain(s);
    expect(card.text).toContain('Nguồn: Thủ tục "Đăng ký khai sinh"');
    expect(card.text).toContain('Tờ khai đăng ký khai sinh');
    const [stale] = await core.handle(textMsg('', { action: { type: 'procedure', docId: 'khong-ton-tai' } }));
    expect(stale.notice).toContain('hết hạn');
  });
});
