import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChunkWriter, loadChunks } from '../../src/search/chunk-store';
import type { Chunk } from '../../src/domain/corpus';
import { tempDir } from '../fixtures/make-fixtures';

const t = tempDir('chunk-store-');
afterAll(() => t.cleanup());

const base = {
  source: 'thu-tuc/dang-ky-khai-sinh.md',
  kind: 'procedure' as const,
  title: 'Đăng ký khai sinh',
  docId: 'dang-ky-khai-sinh',
};
const chunks: Chunk[] = [
  {
    id: 'dang-ky-khai-sinh#0',
    text: 'Hồ sơ gồm: Tờ khai đăng ký khai sinh; Giấy chứng sinh.',
    keywords: ['làm giấy khai sinh', 'khai sinh cho con'],
    citation: { ...base, section: 'Thành phần hồ sơ', basis: ['123/2015/NĐ-CP'] },
    headingPath: ['Đăng ký khai sinh', 'Thành phần hồ sơ'],
  },
  {
    id: 'dang-ky-khai-sinh#1',
    text: '', // an empty passage survives as an empty string
    keywords: ['làm giấy khai sinh', 'khai sinh cho con'],
    citation: { ...base, section: 'Lệ phí', basis: ['123/2015/NĐ-CP'] },
    headingPath: ['Đăng ký khai sinh', 'Lệ phí'],
  },
  {
    id: 'nd-118#0',
    text: 'Điều 5. Tiếp nhận hồ sơ 🏛️ — “một cửa” ở cấp xã.\nKhoản 2 …',
    citation: {
      docId: 'nd-118',
      title: 'Nghị định 118/2025/NĐ-CP',
      docNumber: '118/2025/NĐ-CP',
      article: 'Điều 5',
      clause: 'khoản 2',
      page: 3,
      source: 'phan-cap/nd-118.pdf',
      kind: 'regulation',
    },
    headingPath: ['Nghị định 118/2025/NĐ-CP', 'Điều 5. Tiếp nhận hồ sơ'],
  },
];

function saved(name: string): string {
  const dir = path.join(t.dir, name);
  mkdirSync(dir, { recursive: true });
  const w = new ChunkWriter(dir);
  for (const c of chunks) w.add(c);
  w.close();
  return dir;
}

describe('chunk store', () => {
  it('loads back every chunk as it was saved, Unicode and empty texts included', () => {
    const loaded = loadChunks(saved('roundtrip'), chunks.length);
    expect(loaded).toEqual(chunks);
    expect(loaded.map((c) => c.text)).toEqual(chunks.map((c) => c.text));
  });

  it('keeps texts on disk: a loaded chunk reads its text when asked, and spreading or JSON keeps it', () => {
    const dir = saved('lazy');
    const loaded = loadChunks(dir, chunks.length);
    expect(Object.getOwnPropertyDescriptor(loaded[0], 'text')?.get).toBeTypeOf('function');
    expect({ ...loaded[2] }.text).toBe(chunks[2].text);
    expect(JSON.parse(JSON.stringify(loaded[0])).text).toBe(chunks[0].text);
    // texts.bin is the UTF-8 of the passages one after the other; metadata does not repeat them.
    expect(statSync(path.join(dir, 'texts.bin')).size).toBe(
      Buffer.byteLength(chunks.map((c) => c.text).join(''), 'utf8'),
    );
    expect(readFileSync(path.join(dir, 'chunks.jsonl'), 'utf8')).not.toContain('Giấy chứng sinh');
  });

  it('stores document fields once per document', () => {
    const dir = saved('dedupe');
    const meta = JSON.parse(readFileSync(path.join(dir, 'docs.json'), 'utf8')) as { docs: unknown[]; count: number };
    expect(meta.docs).toHaveLength(2);
    expect(meta.count).toBe(3);
    expect(readFileSync(path.join(dir, 'chunks.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('still reads texts after the directory is swapped away by a re-ingest', () => {
    const dir = saved('swapped');
    const loaded = loadChunks(dir, chunks.length);
    renameSync(dir, `${dir}.old`);
    rmSync(`${dir}.old`, { recursive: true, force: true });
    expect(existsSync(dir)).toBe(false);
    expect(loaded[2].text).toBe(chunks[2].text);
  });

  it('rejects a store that does not match the manifest, a newer version, or a truncated texts file', () => {
    const dir = saved('broken');
    expect(() => loadChunks(dir, 4)).toThrow(/has 3 chunks, the manifest 4/);
    const texts = path.join(dir, 'texts.bin');
    writeFileSync(texts, readFileSync(texts).subarray(0, 20));
    expect(() => loadChunks(dir, 3)[2].text).toThrow(/truncated/);
    const rows = path.join(dir, 'chunks.jsonl');
    writeFileSync(rows, readFileSync(rows, 'utf8').split('\n').slice(1).join('\n'));
    expect(() => loadChunks(dir, 3)).toThrow(/has 2 rows, the manifest 3 chunks/);
    const meta = path.join(dir, 'docs.json');
    writeFileSync(meta, readFileSync(meta, 'utf8').replace('"version":1', '"version":9'));
    expect(() => loadChunks(dir, 3)).toThrow(/Unsupported chunk store version 9/);
  });
});
