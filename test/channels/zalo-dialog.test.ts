// Zalo plain-text rendering and typed replies (the pieces shared by both Zalo adapters), over the real chat core.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZaloDialog, filesNote, plainText, slashForm, ZALO_MAX_MESSAGE } from '../../src/channels/zalo-dialog';
import { makeFixture, textMsg, type Fixture } from '../helpers/fixture';

let fx: Fixture;
beforeAll(async () => {
  fx = await makeFixture();
});
afterAll(() => fx?.cleanup());

describe('Zalo dialog', () => {
  it('maps bare commands to their slash forms and leaves questions alone', async () => {
    expect(slashForm('help')).toBe('/help');
    expect(slashForm(' Thủ tục ')).toBe('/thutuc');
    expect(slashForm('nguồn')).toBe('/nguon');
    expect(slashForm('văn bản')).toBe('/nguon tatca');
    expect(slashForm('Start!')).toBe('/start');
    expect(slashForm('hoi lệ phí tạm trú')).toBe('/hoi lệ phí tạm trú');
    expect(slashForm('Hỏi: lệ phí tạm trú')).toBe('/hoi lệ phí tạm trú');
    expect(slashForm('Hội nông dân xã ở đâu')).toBe('Hội nông dân xã ở đâu');
    expect(slashForm('thủ tục khai sinh cần gì')).toBe('thủ tục khai sinh cần gì');
    expect(slashForm('/ds K7QX')).toBe('/ds K7QX');
  });

  it('strips markup Zalo would show literally but keeps "<" and "&" in text', async () => {
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
    expect(await d.typedChoice('d1', '👍🏻')).toMatch(/^fb:[\w-]+:up$/);
    expect(await d.typedChoice('d1', '/-weak')).toMatch(/^fb:[\w-]+:down$/);
    expect(await d.typedChoice('d1', '1')).toBeUndefined();
    expect(await d.typedChoice('other', '👍')).toBe('fb:done');
    expect(await d.typedChoice('other', '👍', true)).toBeUndefined();
    await d.handle(msg('/thutuc'));
    expect(await d.typedChoice('d1', '2')).toBe('tt:f:1');
    expect(await d.typedChoice('d1', '99')).toBeUndefined();
    t += 31 * 60_000; // choices expire
    expect(await d.typedChoice('d1', '2')).toBeUndefined();
  });
});
