import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/ingest/chunk';
import { loadFile } from '../../src/ingest/loaders';
import { procedureSection } from '../../src/ingest/detect';
import { MAX_CHUNK_CHARS, paragraphs } from '../../src/ingest/split-common';
import { splitPlain } from '../../src/ingest/split-plain';
import { splitProcedure } from '../../src/ingest/split-procedure';
import type { Line } from '../../src/ingest/types';
import { indexTextOf } from '../../src/search/index-store';
import { tempDir } from '../fixtures/make-fixtures';

const lines = (s: string, page?: number): Line[] => s.split('\n').map((text) => ({ text, page }));

const PROCEDURE_MD = `---
title: Đăng ký tạm trú
linh_vuc: Cư trú
can_cu: ["Luật Cư trú 2020", "154/2024/NĐ-CP"]
tu_khoa: ["tạm trú", "khai báo tạm trú"]
nguon: ["https://dichvucong.gov.vn/tam-tru"]
---
# Đăng ký tạm trú

Người đến ở nơi khác ngoài nơi thường trú từ 30 ngày trở lên phải đăng ký tạm trú.

## Cơ quan thực hiện
Công an cấp xã nơi dự kiến tạm trú.

## Thành phần hồ sơ
- Tờ khai thay đổi thông tin cư trú (mẫu CT01).
- Giấy tờ chứng minh chỗ ở hợp pháp.

THỜI HẠN GIẢI QUYẾT:
03 ngày làm việc.

## Câu hỏi thường gặp
Có thể đăng ký tạm trú trực tuyến trên Cổng Dịch vụ công quốc gia.
`;

describe('procedure splitter', () => {
  const chunks = chunkDocument({
    source: 'thu-tuc/dang-ky-tam-tru.md',
    format: 'md',
    metadata: {},
    pages: [{ text: PROCEDURE_MD.replace(/^---[\s\S]*?---\n/, '') }],
  });

  it('makes one chunk per section, headed by the section name', () => {
    expect(chunks.map((c) => c.citation.section)).toEqual([
      'Giới thiệu',
      'Cơ quan thực hiện',
      'Thành phần hồ sơ',
      'Thời hạn giải quyết',
      'Câu hỏi thường gặp',
    ]);
    for (const c of chunks) expect(c.text.split('\n')[0]).toBe(c.citation.section);
  });

  it('recognises a known section written as a capitalised line with a colon', () => {
    const c = chunks.find((x) => x.citation.section === 'Thời hạn giải quyết')!;
    expect(c.text).toBe('Thời hạn giải quyết\n03 ngày làm việc.');
  });

  it('headingPath is [title, section] and citations carry kind and section', () => {
    const c = chunks.find((x) => x.citation.section === 'Thành phần hồ sơ')!;
    expect(c.headingPath).toEqual(['Đăng ký tạm trú', 'Thành phần hồ sơ']);
    expect(c.citation).toMatchObject({
      docId: 'dang-ky-tam-tru',
      title: 'Đăng ký tạm trú',
      kind: 'procedure',
      source: 'thu-tuc/dang-ky-tam-tru.md',
    });
    expect(c.citation.article).toBeUndefined();
    // List items stay on their own lines.
    expect(c.text).toBe(
      'Thành phần hồ sơ\n- Tờ khai thay đổi thông tin cư trú (mẫu CT01).\n- Giấy tờ chứng minh chỗ ở hợp pháp.',
    );
  });

  it('procedureSection matches headings in any case, numbered, with or without diacritics, but not sentences', () => {
    expect(procedureSection('## Thành phần hồ sơ')).toBe('Thành phần hồ sơ');
    expect(procedureSection('2. THÀNH PHẦN HỒ SƠ:')).toBe('Thành phần hồ sơ');
    expect(procedureSection('thanh phan ho so')).toBe('Thành phần hồ sơ');
    expect(procedureSection('Lệ phí (nếu có)')).toBe('Lệ phí');
    expect(procedureSection('Lệ phí đăng ký thường trú do Hội đồng nhân dân cấp tỉnh quy định.')).toBeUndefined();
  });

  it('packs a long section into several chunks, each repeating the section name', () => {
    const items = Array.from(
      { length: 40 },
      (_, i) => `- Giấy tờ số ${i + 1}: bản sao có chứng thực hoặc bản chính để đối chiếu.`,
    ).join('\n');
    const out = splitProcedure(lines(`## Thành phần hồ sơ\n${items}`), 'Thủ tục X');
    expect(out.length).toBeGreaterThan(1);
    for (const c of out) {
      expect(c.text.startsWith('Thành phần hồ sơ\n- Giấy tờ số')).toBe(true);
      expect(c.text.length).toBeLessThanOrEqual(MAX_CHUNK_CHARS);
      expect(c.section).toBe('Thành phần hồ sơ');
    }
    expect(
      out
        .map((c) => c.text)
        .join('\n')
        .match(/Giấy tờ số \d+/g),
    ).toHaveLength(40);
  });
});

describe('frontmatter becomes metadata', () => {
  it('title, keywords, field, url and legal basis reach the chunks', async () => {
    const t = tempDir();
    try {
      mkdirSync(path.join(t.dir, 'thu-tuc'));
      const file = path.join(t.dir, 'thu-tuc/dang-ky-tam-tru.md');
      writeFileSync(file, PROCEDURE_MD);
      const raw = await loadFile(file, 'thu-tuc/dang-ky-tam-tru.md');
      expect(raw.metadata).toMatchObject({ title: 'Đăng ký tạm trú', linh_vuc: 'Cư trú' });
      const chunks = chunkDocument(raw);
      const c = chunks[1];
      expect(c.citation).toMatchObject({
        title: 'Đăng ký tạm trú',
        field: 'Cư trú',
        url: 'https://dichvucong.gov.vn/tam-tru',
        basis: ['Luật Cư trú 2020', '154/2024/NĐ-CP'],
      });
      expect(indexTextOf(c)).toContain('tạm trú, khai báo tạm trú');
      // The "# Title" line is not body text.
      expect(chunks[0].text).toBe(
        'Giới thiệu\nNgười đến ở nơi khác ngoài nơi thường trú từ 30 ngày trở lên phải đăng ký tạm trú.',
      );
    } finally {
      t.cleanup();
    }
  });

  it('frontmatter so_hieu and id override detection; kind can be declared', () => {
    const chunks = chunkDocument({
      source: 'khac/x.md',
      format: 'md',
      metadata: { id: 'nd-999', so_hieu: '999/2025/NĐ-CP', kind: 'regulation', title: 'Nghị định 999' },
      pages: [{ text: '## Phạm vi\nNghị định này quy định về thử nghiệm.' }],
    });
    expect(chunks[0].citation).toMatchObject({
      docId: 'nd-999',
      docNumber: '999/2025/NĐ-CP',
      kind: 'regulation',
      title: 'Nghị định 999',
      section: 'Phạm vi',
    });
  });
});

describe('plain splitter', () => {
  const sentences = Array.from({ length: 30 }, (_, i) => `Câu số ${i + 1} nói về chuyển đổi số ở cấp xã và người dân.`);
  const paras = Array.from({ length: 10 }, (_, i) => sentences.slice(i * 3, i * 3 + 3).join(' '));

  it('packs paragraphs into windows that overlap', () => {
    const out = splitPlain(lines(paras.join('\n\n')), ['Tin tức']);
    expect(out.length).toBeGreaterThan(1);
    for (let i = 1; i < out.length; i++) {
      const prev = out[i - 1].text;
      // The next window starts with the tail of the previous one.
      const head = out[i].text.split('\n')[0];
      expect(head.length).toBeGreaterThan(20);
      expect(prev.endsWith(head) || prev.includes(head)).toBe(true);
    }
    for (const c of out) {
      expect(c.text.length).toBeLessThanOrEqual(MAX_CHUNK_CHARS);
      expect(c.headingPath).toEqual(['Tin tức']);
    }
    // Nothing is lost.
    const all = out.map((c) => c.text).join('\n');
    for (const s of sentences) expect(all).toContain(s);
  });

  it('restarts windows at "##" headings and records them as sections', () => {
    const out = splitPlain(lines(`## Mở đầu\n${paras[0]}\n\n## Kết quả\n${paras[1]}`), ['Bài']);
    expect(out.map((c) => c.section)).toEqual(['Mở đầu', 'Kết quả']);
    expect(out[1].headingPath).toEqual(['Bài', 'Kết quả']);
    expect(out[1].text).not.toContain('Câu số 1 ');
  });

  it('splits a single over-long paragraph at sentence boundaries', () => {
    const out = splitPlain(lines(sentences.join(' ').repeat(2)));
    expect(out.length).toBeGreaterThan(1);
    for (const c of out) expect(c.text.length).toBeLessThanOrEqual(MAX_CHUNK_CHARS);
  });

  it('paragraphs() unwraps hard-wrapped prose but keeps list items and clauses apart', () => {
    const out = paragraphs(
      lines('Dòng một được\nngắt giữa chừng.\n- mục a\n- mục b\n1. khoản một\na) điểm a\n\nĐoạn mới.'),
    );
    expect(out.map((p) => p.text)).toEqual([
      'Dòng một được ngắt giữa chừng.',
      '- mục a',
      '- mục b',
      '1. khoản một',
      'a) điểm a',
      'Đoạn mới.',
    ]);
  });
});
