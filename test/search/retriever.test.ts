import { DEFAULT_SEARCH_EF } from '../../src/config';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/search/build';
import { LocalHashEmbeddings } from '../../src/search/embedder-local';
import { Retriever } from '../../src/search/retriever';
import type { DocKind } from '../../src/domain/corpus';
import { copyMiniCorpus, tempDir } from '../fixtures/make-fixtures';

/**
 * Retrieval behaviour on the frozen mini corpus (5 procedures, 1 decree summary, 1 news digest). Ranking is tuned
 * elsewhere, so these tests check outcomes (which document comes first, which kinds are returned, which question
 * is more confidently in scope), never exact scores.
 */
const t = tempDir('retriever-');
let retriever: Retriever;

beforeAll(async () => {
  const corpusDir = path.join(t.dir, 'corpus');
  copyMiniCorpus(corpusDir);
  const embedder = new LocalHashEmbeddings();
  const { index } = await ingest({
    corpusDir,
    indexDir: path.join(t.dir, 'data/index'),
    embedder,
    ef: DEFAULT_SEARCH_EF,
  });
  retriever = new Retriever(index, embedder);
});
afterAll(() => t.cleanup());

const top = async (q: string, kind?: DocKind | DocKind[]) =>
  (await retriever.search(q, { k: 5, kind })).results[0]?.citation.docId;

describe('diacritics', () => {
  it('"làm giấy khai sinh cần giấy tờ gì" returns the khai sinh procedure first', async () => {
    expect(await top('làm giấy khai sinh cần giấy tờ gì')).toBe('dang-ky-khai-sinh');
  });

  it('the same question without diacritics also returns it first', async () => {
    expect(await top('lam giay khai sinh can giay to gi')).toBe('dang-ky-khai-sinh');
  });

  it('with and without diacritics agree on the top passage', async () => {
    const a = await retriever.search('làm giấy khai sinh cần giấy tờ gì');
    const b = await retriever.search('lam giay khai sinh can giay to gi');
    expect(b.results[0].id).toBe(a.results[0].id);
  });

  it('NFD input is the same question as NFC input', async () => {
    const q = 'đăng ký kết hôn cần giấy tờ gì';
    const a = await retriever.search(q);
    const b = await retriever.search(q.normalize('NFD'));
    expect(b.results.map((r) => r.id)).toEqual(a.results.map((r) => r.id));
  });
});

describe('abbreviations, synonyms and typos', () => {
  it('"cccd" finds the căn cước procedure', async () => {
    expect(await top('cccd')).toBe('cap-the-can-cuoc');
    expect(await top('lam cccd o dau')).toBe('cap-the-can-cuoc');
  });

  it('"khai sinnh" is corrected to "khai sinh"', async () => {
    const pq = retriever.prepare('đăng ký khai sinnh');
    expect(pq.corrections.get('sinnh')).toBe('sinh');
    expect(await top('đăng ký khai sinnh')).toBe('dang-ky-khai-sinh');
    expect(await top('dang ky khai sinnh mat bao lau')).toBe('dang-ky-khai-sinh');
  });

  // Unaccented Vietnamese is not mistaken for English (which would switch typo correction off).
  it('"khai sinnh can giay to gi" (no diacritics) gets its typo corrected', () => {
    expect(retriever.prepare('khai sinnh can giay to gi').corrections.get('sinnh')).toBe('sinh');
  });

  it('known words are not "corrected"', () => {
    expect(retriever.prepare('đăng ký kết hôn').corrections.size).toBe(0);
  });
});

describe('kind filter', () => {
  const q = 'thẩm quyền đăng ký khai sinh của UBND cấp xã';

  it.each<DocKind>(['procedure', 'regulation', 'news'])('kind=%s returns only that kind', async (kind) => {
    const { results } = await retriever.search(q, { k: 8, kind });
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r.citation.kind).toBe(kind);
  });

  it('the regulation found for khai sinh is Nghị định 120/2025 with its number', async () => {
    const { results } = await retriever.search(q, { k: 3, kind: 'regulation' });
    expect(results[0].citation).toMatchObject({ docId: 'nd-120-2025', docNumber: '120/2025/NĐ-CP' });
  });

  it('several kinds can be allowed at once', async () => {
    const { results } = await retriever.search(q, { k: 10, kind: ['regulation', 'news'] });
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(['regulation', 'news']).toContain(r.citation.kind);
  });
});

describe('confidence', () => {
  it('is clearly lower for "giá vàng hôm nay" than for an in-scope question', async () => {
    const out = await retriever.search('giá vàng hôm nay');
    const inScope = await retriever.search('làm giấy khai sinh cần giấy tờ gì');
    expect(inScope.confidence).toBeGreaterThan(out.confidence + 0.2);
    for (const c of [out.confidence, inScope.confidence]) {
      expect(c).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThanOrEqual(1);
    }
  });

  it('is also low for weather and football questions', async () => {
    const inScope = (await retriever.search('lệ phí đăng ký kết hôn')).confidence;
    for (const q of ['thời tiết Buôn Ma Thuột ngày mai', 'tối nay Việt Nam đá với Thái Lan mấy giờ']) {
      expect((await retriever.search(q)).confidence, q).toBeLessThan(inScope);
    }
  });
});

describe('result shape', () => {
  it('returns at most k results, best first, with citations and ranks', async () => {
    const { results } = await retriever.search('lệ phí đăng ký kết hôn', { k: 3 });
    expect(results).toHaveLength(3);
    for (let i = 1; i < results.length; i++) expect(results[i - 1].score).toBeGreaterThanOrEqual(results[i].score);
    const r = results[0];
    expect(r.citation).toMatchObject({
      docId: 'dang-ky-ket-hon',
      kind: 'procedure',
      source: 'thu-tuc/dang-ky-ket-hon.md',
      title: 'Đăng ký kết hôn',
    });
    expect(r.lexicalRank ?? r.vectorRank).toBeDefined();
    // Index-only fields are not leaked to callers.
    expect(r).not.toHaveProperty('keywords');
  });

  it('an empty or punctuation-only question returns nothing with confidence 0', async () => {
    for (const q of ['', '   ', '???']) {
      const r = await retriever.search(q);
      expect(r.confidence, JSON.stringify(q)).toBe(0);
      if (q.trim() === '') expect(r.results).toEqual([]);
    }
  });
});
