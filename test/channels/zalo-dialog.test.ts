// Zalo plain-text rendering and typed replies (the pieces shared by both Zalo adapters), over the real chat core.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZaloDialog, filesNote, plainText, ZALO_MAX_MESSAGE } from '../../src/channels/zalo-dialog';
import { makeFixture, textMsg, type Fixture } from '../helpers/fixture';

let fx: Fixture;
beforeAll(async () => {
  fx = await makeFixture();
});
afterAll(() => fx?.cleanup());

describe('Zalo dialog', () => {
  it('strips markup Zalo would show literally but keeps "<" and "&" in text', () => {
    expect(plainText('**Lệ phí**: <b>miễn</b> cho biển < 20 m² & nhỏ<br>hơn')).toBe(
      'Lệ phí: miễn cho biển < 20 m² & nhỏ\nhơn',
    );
  });

  it('sends a small CSV inline and points elsewhere for a large one', async () => {
    const small = filesNote([
      { filename: 'ds.csv', mimeType: 'text/csv', data: Buffer.from('\uFEFFHọ tên\nAn\n') },
      { filename: 'ds.xlsx', mimeType: 'application/octet-stream', data: Buffer.alloc(10) },
    ]);
    expect(small).toContain('ds.csv, ds.xlsx');
    expect(small).toContain('Nội dung CSV:\n\nHọ tên\nAn');
    expect(small).not.toContain('\uFEFF');
    const big = filesNote([{ filename: 'ds.csv', mimeType: 'text/csv', data: Buffer.from('x,'.repeat(2000)) }]);
    expect(big.length).toBeLessThanOrEqual(ZALO_MAX_MESSAGE);
    expect(big).toContain('/xuat trên Telegram');
  });

  it("maps 👍/👎 (and Zalo's /-strong) to the last answer, numbers only to offered choices", async () => {
    let t = 0;
    const d = createZaloDialog(fx.core(), { now: () => t });
    const msg = (text: string, o = {}) => textMsg(text, { channel: 'zalo', chatId: 'd1', userId: 'd1', ...o });
    const [answer] = await d.handle(msg('đăng ký tạm trú cần gì'));
    expect(answer).toContain('Gõ 👍 hoặc 👎');
    expect(await d.typedChoice('d1', '👍🏻')).toMatchObject({ type: 'vote', vote: 'up' });
    expect(await d.typedChoice('d1', '/-weak')).toMatchObject({ type: 'vote', vote: 'down' });
    expect(await d.typedChoice('d1', '1')).toBeUndefined();
    expect(await d.typedChoice('other', '👍')).toEqual({ type: 'voted' });
    expect(await d.typedChoice('other', '👍', true)).toBeUndefined();
    await d.handle(msg('/thutuc'));
    expect(await d.typedChoice('d1', '2')).toEqual({ type: 'field', field: 1 });
    expect(await d.typedChoice('d1', '99')).toBeUndefined();
    t += 31 * 60_000; // choices expire
    expect(await d.typedChoice('d1', '2')).toBeUndefined();
  });
});
