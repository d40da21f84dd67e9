// The live index: a swap serves the new index to the next question at once, while a question already being
// answered finishes on the index it started with (its passages stay readable after the old directory is replaced).
import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnswerer } from '../../src/answer/index';
import { ingest } from '../../src/search/build';
import { createEmbedder } from '../../src/search/embedder';
import { LiveIndex, retrieverOf } from '../../src/search/live-index';
import type { SearchIndex } from '../../src/search/index-store';
import { makeFixture, type Fixture } from '../helpers/fixture';

let fx: Fixture;
let other: SearchIndex;

beforeAll(async () => {
  fx = await makeFixture();
  // A second corpus without the birth-registration procedure, built into the same index directory (as a job does).
  const corpus = path.join(fx.dir, 'corpus2/thu-tuc');
  mkdirSync(corpus, { recursive: true });
  cpSync(path.join(fx.config.corpusDir, 'thu-tuc/dang-ky-tam-tru.md'), path.join(corpus, 'dang-ky-tam-tru.md'));
  ({ index: other } = await ingest({
    corpusDir: path.dirname(corpus),
    indexDir: fx.config.indexDir,
    embedder: createEmbedder(fx.config),
    ef: fx.config.SEARCH_EF,
  }));
});
afterAll(() => fx?.cleanup());

describe('LiveIndex', () => {
  it('a question in flight keeps the index it started with; the next one uses the new index', async () => {
    const live = new LiveIndex(fx.retriever);
    const swaps: number[] = [];
    live.onSwap((next, prev) => swaps.push(next.index.chunks.length, prev.index.chunks.length));
    const answerer = createAnswerer(fx.config, live);
    const inFlight = answerer.answer('đăng ký khai sinh cần giấy tờ gì');
    const previous = live.swapIndex(other);
    expect(previous).toBe(fx.retriever);
    expect(live.version).toBe(2);
    expect(swaps).toEqual([other.chunks.length, fx.retriever.index.chunks.length]);

    const a = await inFlight;
    expect(a.mode).not.toBe('declined');
    expect(a.citations[0].docId).toBe('dang-ky-khai-sinh');
    // Its text was read from the replaced directory's file, still open.
    expect(a.text).toContain('khai sinh');

    const after = await answerer.answer('đăng ký khai sinh cần giấy tờ gì');
    expect(after.citations.some((c) => c.docId === 'dang-ky-khai-sinh')).toBe(false);
    expect(live.index).toBe(other);
    expect(retrieverOf(live).index).toBe(other);
    expect(retrieverOf(fx.retriever)).toBe(fx.retriever);
  });
});
