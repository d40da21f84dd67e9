// /nguon: the last answer's sources (unchanged), the document list with validity (/nguon tatca), a filtered list.
import { describe, expect, it } from 'vitest';
import { formatDocumentList, wantsDocumentList } from '../../src/chat/doc-list';
import { sourcesReply } from '../../src/chat/commands';
import type { DocumentInfo } from '../../src/domain/documents';
import { makeFixture, textMsg } from '../helpers/fixture';

const NOW = new Date('2026-12-07T05:00:00Z');

const DOCS: DocumentInfo[] = [
  {
    docId: 'l77',
    title: 'Luật Tổ chức chính quyền địa phương số 77/2015/QH13',
    docNumber: '77/2015/QH13',
    docType: 'Luật',
    source: 'van-ban/a.txt',
    kind: 'regulation',
    issued: '2015-06-19',
    effectiveFrom: '2016-01-01',
    expiredFrom: '2025-03-01',
    status: 'repealed',
    replacedBy: '65/2025/QH15',
  },
  {
    docId: 'l65',
    title: 'Luật Tổ chức chính quyền địa phương số 65/2025/QH15',
    docNumber: '65/2025/QH15',
    docType: 'Luật',
    source: 'van-ban/b.txt',
    kind: 'regulation',
    issued: '2025-02-19',
    effectiveFrom: '2025-03-01',
    expiredFrom: '2025-06-16',
    status: 'repealed',
    replacedBy: '72/2025/QH15',
  },
  {
    docId: 'l72',
    title: 'Luật Tổ chức chính quyền địa phương số 72/2025/QH15',
    docNumber: '72/2025/QH15',
    docType: 'Luật',
    source: 'phan-cap/c.md',
    kind: 'regulation',
    issued: '2025-06-16',
    effectiveFrom: '2025-06-16',
    status: 'in-force',
  },
  {
    docId: 'dd',
    title: 'Luật Đất đai số 31/2024/QH15',
    docNumber: '31/2024/QH15',
    docType: 'Luật',
    source: 'van-ban/d.txt',
    kind: 'regulation',
    issued: '2024-01-18',
    status: 'in-force',
  },
  {
    docId: 'n151',
    title: 'Nghị định số 151/2025/NĐ-CP quy định về phân định thẩm quyền trong lĩnh vực đất đai',
    docNumber: '151/2025/NĐ-CP',
    docType: 'Nghị định',
    source: 'van-ban/e.txt',
    kind: 'regulation',
    issued: '2025-06-12',
    effectiveFrom: '2025-07-01',
    expiredFrom: '2027-03-01',
    status: 'amended',
    amendedBy: ['226/2025/NĐ-CP'],
  },
  {
    docId: 'n120',
    title: 'Nghị định 120/2025/NĐ-CP về phân định thẩm quyền lĩnh vực tư pháp',
    docNumber: '120/2025/NĐ-CP',
    source: 'phan-cap/f.md',
    kind: 'regulation',
    effectiveFrom: '2025-07-01',
  },
  { docId: 'ks', title: 'Đăng ký khai sinh', source: 'thu-tuc/ks.md', kind: 'procedure' },
  { docId: 'tin', title: 'Bình dân học vụ số', source: 'tin-tuc/t.md', kind: 'news' },
];

describe('document list', () => {
  it('groups legal documents by validity today with their dates and replacements', () => {
    const text = formatDocumentList(DOCS, '', NOW);
    expect(text.split('\n')[0]).toBe('Văn bản pháp luật trong dữ liệu (6), theo tình trạng hiệu lực hôm nay:');
    const section = (h: string) => text.slice(text.indexOf(`${h}:`)).split('\n\n')[0];
    expect(section('Còn hiệu lực')).toContain(
      '• Luật Tổ chức chính quyền địa phương số 72/2025/QH15 — ban hành 16/6/2025; hiệu lực từ 16/6/2025',
    );
    // Unknown dates are said to be unknown, not invented.
    expect(section('Còn hiệu lực')).toContain(
      '• Luật Đất đai số 31/2024/QH15 — ban hành 18/01/2024; ngày hiệu lực: chưa rõ',
    );
    expect(section('Còn hiệu lực, đã được sửa đổi, bổ sung')).toContain(
      'hiệu lực từ 01/7/2025; áp dụng đến trước 01/3/2027; sửa đổi, bổ sung bởi Nghị định 226/2025/NĐ-CP',
    );
    expect(section('Hết hiệu lực')).toContain(
      '• Luật Tổ chức chính quyền địa phương số 77/2015/QH13 — ban hành 19/6/2015; hiệu lực từ 01/01/2016; hết hiệu lực từ 01/3/2025; thay thế bởi Luật 65/2025/QH15; hiện áp dụng Luật 72/2025/QH15',
    );
    expect(section('Chưa ghi tình trạng (xem ngày hiệu lực)')).toContain(
      'Nghị định 120/2025/NĐ-CP về phân định thẩm quyền lĩnh vực tư pháp — hiệu lực từ 01/7/2025',
    );
    expect(text).not.toContain('Đăng ký khai sinh');
    expect(text.split('\n').at(-1)).toBe(
      'Ngoài ra có 1 thủ tục hành chính (gõ /thutuc) và 1 tin bài. Văn bản hết hiệu lực chỉ dùng để tra cứu quy định cũ.',
    );
  });

  it('moves a document whose end date has passed to "Hết hiệu lực"', () => {
    const later = formatDocumentList(DOCS, '', new Date('2027-03-02T05:00:00Z'));
    expect(later.slice(later.indexOf('Hết hiệu lực:'))).toContain('Nghị định số 151/2025/NĐ-CP');
  });

  it('filters by words of the name or number, with or without diacritics', () => {
    expect(formatDocumentList(DOCS, 'dat dai', NOW)).toMatch(/^Văn bản khớp với "dat dai" \(2\):/);
    expect(formatDocumentList(DOCS, '77/2015', NOW)).toContain('Luật Tổ chức chính quyền địa phương số 77/2015/QH13');
    expect(formatDocumentList(DOCS, 'giá vàng', NOW)).toBe(
      'Không có văn bản nào khớp với "giá vàng". Gõ /nguon tatca để xem toàn bộ danh sách.',
    );
  });

  it('/nguon keeps showing the last answer\'s sources; "tatca", words, or no answer yet give the list', () => {
    for (const a of ['tatca', 'tất cả', 'all', 'văn bản']) expect(wantsDocumentList(a)).toBe(true);
    expect(wantsDocumentList('đất đai')).toBe(false);
    const last = {
      question: 'q',
      mode: 'extractive' as const,
      citations: [
        {
          docId: 'ks',
          title: 'Đăng ký khai sinh',
          source: 'thu-tuc/ks.md',
          kind: 'procedure' as const,
          section: 'Lệ phí',
        },
      ],
    };
    expect(sourcesReply('', last, DOCS, NOW)).toMatch(
      /^Nguồn của câu trả lời gần nhất:\n1\. Thủ tục "Đăng ký khai sinh"/,
    );
    expect(sourcesReply('tatca', last, DOCS, NOW)).toMatch(/^Văn bản pháp luật trong dữ liệu \(6\)/);
    expect(sourcesReply('đất đai', last, DOCS, NOW)).toMatch(/^Văn bản khớp với "đất đai"/);
    const none = sourcesReply('', undefined, DOCS, NOW);
    expect(none).toMatch(/^Chưa có câu trả lời nào để xem nguồn\./);
    expect(none).toContain('Văn bản pháp luật trong dữ liệu (6)');
  });
});

describe('/nguon through the chat core', () => {
  it('answers /nguon tatca over a corpus without legal documents', async () => {
    const fx = await makeFixture();
    try {
      const [out] = await fx.core().handle(textMsg('/nguon tatca', { chatId: '990' }));
      expect(out.text).toBe('Dữ liệu chưa có văn bản pháp luật nào.');
      const [help] = await fx.core().handle(textMsg('/help'));
      expect(help.text).toContain('/nguon tatca');
    } finally {
      fx.cleanup();
    }
  });
});
