// The conversation topic in the chat core: a question without a subject asks which procedure (with buttons), a tap
// or an opened procedure card sets the topic, and the next section-only question binds to it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAction } from '../../src/chat/actions';
import { PROCEDURE_SECTIONS } from '../../src/domain/procedure';
import type { Button, Outgoing } from '../../src/domain/chat';
import { makeFixture, textMsg, type Fixture } from '../helpers/fixture';

let fx: Fixture;
beforeAll(async () => {
  fx = await makeFixture();
}, 120_000);
afterAll(() => fx.cleanup());

let chat = 7000;
/** A fresh private chat: each test has a conversation of its own. */
function newChat() {
  const id = String(chat++);
  return { chatId: id, userId: id };
}

const flat = (o: Outgoing): Button[] => (o.buttons ?? []).flat();
const hasFeedback = (o: Outgoing) => flat(o).some((b) => b.action.type === 'vote');

describe('chat core: conversation topic', () => {
  it('"lệ phí bao nhiêu?" as a first message asks which procedure, with buttons that open its fee section', async () => {
    const core = fx.core();
    const who = newChat();
    const [out] = await core.handle(textMsg('lệ phí bao nhiêu?', who));
    expect(out.mode).toBe('clarify');
    expect(out.text).toMatch(/thủ tục nào/);
    expect(out.citations ?? []).toEqual([]);
    expect(hasFeedback(out)).toBe(false);
    expect(out.answerId).toBeUndefined();

    const buttons = flat(out);
    expect(buttons.length).toBeGreaterThan(1);
    const fee = PROCEDURE_SECTIONS.indexOf('Lệ phí');
    expect(fee).toBeGreaterThanOrEqual(0);
    for (const b of buttons) {
      expect(b.action).toMatchObject({ type: 'section', section: fee });
      expect(Buffer.byteLength(encodeAction(b.action))).toBeLessThanOrEqual(64);
    }
    // One procedure per row, named by its title, each once.
    expect((out.buttons ?? []).every((row) => row.length === 1)).toBe(true);
    expect(new Set(buttons.map((b) => b.text)).size).toBe(buttons.length);
    expect(buttons.map((b) => b.text)).toContain('Đăng ký tạm trú, gia hạn tạm trú');
  });

  it('tapping a procedure answers with its fee section, and "nộp ở đâu" then asks about that procedure', async () => {
    const core = fx.core();
    const who = newChat();
    const [clarify] = await core.handle(textMsg('lệ phí bao nhiêu?', who));
    const tamTru = flat(clarify).find((b) => b.text === 'Đăng ký tạm trú, gia hạn tạm trú')!;

    const [section] = await core.handle(textMsg('', { ...who, action: tamTru.action }));
    expect(section.text.startsWith('Đăng ký tạm trú, gia hạn tạm trú — lệ phí:')).toBe(true);
    expect(section.text).toContain('15.000 đồng');
    expect(section.citations?.[0]).toMatchObject({ docId: 'dang-ky-tam-tru', section: 'Lệ phí' });

    const [where] = await core.handle(textMsg('nộp ở đâu', who));
    expect(where.mode).toBe('extractive');
    expect(where.citations?.[0].docId).toBe('dang-ky-tam-tru');
    expect(where.text).toMatch(/tạm trú/i);
    expect(hasFeedback(where)).toBe(true);
  });

  it('without a topic "nộp ở đâu" asks which procedure instead', async () => {
    const [out] = await fx.core().handle(textMsg('nộp ở đâu', newChat()));
    expect(out.mode).toBe('clarify');
    expect(out.citations ?? []).toEqual([]);
  });

  it('the topic is per chat: a tap in one chat does not answer another', async () => {
    const core = fx.core();
    const a = newChat();
    const b = newChat();
    const [clarify] = await core.handle(textMsg('lệ phí bao nhiêu?', a));
    await core.handle(textMsg('', { ...a, action: flat(clarify)[0].action }));
    const [other] = await core.handle(textMsg('nộp ở đâu', b));
    expect(other.mode).toBe('clarify');
  });

  it('opening a procedure card from /thutuc sets the topic, so "lệ phí bao nhiêu?" is about it', async () => {
    const core = fx.core();
    const who = newChat();
    const [home] = await core.handle(textMsg('/thutuc', who));
    const hoTich = flat(home).find((b) => b.text.startsWith('Hộ tịch'))!;
    const [list] = await core.handle(textMsg('', { ...who, action: hoTich.action }));
    const khaiSinh = flat(list).find((b) => b.text === 'Đăng ký khai sinh')!;
    const [card] = await core.handle(textMsg('', { ...who, action: khaiSinh.action }));
    expect(card.text).toContain('📋 Đăng ký khai sinh');

    const [fee] = await core.handle(textMsg('lệ phí bao nhiêu?', who));
    expect(fee.mode).toBe('extractive');
    expect(fee.citations?.[0].docId).toBe('dang-ky-khai-sinh');
    expect(fee.text).toMatch(/lệ phí/i);
    expect(fee.text).toContain('khai sinh');
  });

  it('browsing the fields alone sets no topic', async () => {
    const core = fx.core();
    const who = newChat();
    const [home] = await core.handle(textMsg('/thutuc', who));
    await core.handle(textMsg('', { ...who, action: flat(home)[0].action }));
    const [out] = await core.handle(textMsg('lệ phí bao nhiêu?', who));
    expect(out.mode).toBe('clarify');
  });

  it('a question that names another procedure after a tap switches topic', async () => {
    const core = fx.core();
    const who = newChat();
    const [clarify] = await core.handle(textMsg('lệ phí bao nhiêu?', who));
    await core.handle(
      textMsg('', { ...who, action: flat(clarify).find((b) => b.text === 'Đăng ký tạm trú, gia hạn tạm trú')!.action }),
    );
    const [out] = await core.handle(textMsg('đăng ký khai sinh thì lệ phí bao nhiêu', who));
    expect(out.citations?.[0].docId).toBe('dang-ky-khai-sinh');
  });

  it.each(['xin chào', 'cảm ơn nhiều nhé', 'tạm biệt'])(
    'small talk ("%s") gets a friendly reply without feedback buttons',
    async (t) => {
      const [out] = await fx.core().handle(textMsg(t, newChat()));
      expect(out.mode).toBe('smalltalk');
      expect(out.text.length).toBeGreaterThan(0);
      expect(out.text).not.toContain('Xin lỗi');
      expect(hasFeedback(out)).toBe(false);
      expect(out.answerId).toBeUndefined();
    },
  );
});
