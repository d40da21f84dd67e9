import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalHashEmbeddings } from '../../src/search/embedder-local';
import { RawVectorFile } from '../../src/search/vector-file';
import { CENTRING, VectorSpace } from '../../src/search/vector-space';
import { buildGraph } from '../../src/search/vector';
import { tempDir } from '../fixtures/make-fixtures';

const t = tempDir('vector-space-');
afterAll(() => t.cleanup());

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

const embedder = new LocalHashEmbeddings({ dimension: 64 });
const texts = [
  'Đăng ký khai sinh cho trẻ em tại UBND cấp xã',
  'Thủ tục đăng ký kết hôn, hồ sơ gồm tờ khai',
  'Cấp giấy phép xây dựng nhà ở riêng lẻ',
  'Chủ tịch UBND cấp xã quyết định trợ cấp xã hội hằng tháng',
  'Đăng ký thường trú, tạm trú qua VNeID',
  'Điều 5. Thẩm quyền của Ủy ban nhân dân cấp tỉnh',
];

function fitted(vectors: Float32Array[]): VectorSpace {
  const sum = new Float64Array(vectors[0].length);
  for (const v of vectors) for (let i = 0; i < v.length; i++) sum[i] += v[i];
  return VectorSpace.fit(sum, vectors.length);
}

describe('centred vector space', () => {
  it('recovers the raw cosine of a query and every point exactly from their centred similarity', async () => {
    const raw = (await embedder.embedDocuments(texts)).map((v) => VectorSpace.unit(v));
    const space0 = fitted(raw);
    const { graph, stats } = buildGraph(raw.length, 64, (l) => raw[l], space0);
    const space = new VectorSpace(space0.origin, stats);
    for (const question of ['làm giấy khai sinh ở đâu', 'ai cấp phép xây dựng', 'thường trú']) {
      const qRaw = VectorSpace.unit(await embedder.embedQuery(question));
      const q = space.centre(qRaw);
      const res = graph.searchKnn(q.vector, raw.length);
      res.neighbors.forEach((label, i) => {
        expect(space.rawSimilarity(q, label, 1 - res.distances[i])).toBeCloseTo(dot(qRaw, raw[label]), 5);
      });
    }
  });

  it('centres on the mean: centred points are unit vectors that no longer all lean the same way', async () => {
    const raw = (await embedder.embedDocuments(texts)).map((v) => VectorSpace.unit(v));
    const space = fitted(raw);
    const centred = raw.map((r) => space.centre(r).vector);
    for (const c of centred) expect(Math.hypot(...c)).toBeCloseTo(1, 6);
    // Raw passages all lean the same way; centred ones do not.
    const meanSim = (vs: ArrayLike<number>[]) => {
      let s = 0;
      for (let i = 0; i < vs.length; i++) for (let j = i + 1; j < vs.length; j++) s += dot(vs[i], vs[j]);
      return s / ((vs.length * (vs.length - 1)) / 2);
    };
    expect(meanSim(raw)).toBeGreaterThan(0.05);
    expect(meanSim(centred)).toBeLessThan(meanSim(raw) / 2);
  });

  it('a one-passage corpus still searches and scores by raw cosine', async () => {
    const [r] = (await embedder.embedDocuments([texts[0]])).map((v) => VectorSpace.unit(v));
    const space0 = fitted([r]);
    const { graph, stats } = buildGraph(1, 64, () => r, space0);
    expect(stats[0]).toBeCloseTo(1 - CENTRING, 6); // the passage minus CENTRING x itself
    const space = new VectorSpace(space0.origin, stats);
    const qRaw = VectorSpace.unit(await embedder.embedQuery('khai sinh'));
    const q = space.centre(qRaw);
    const res = graph.searchKnn(q.vector, 1);
    expect(res.neighbors).toEqual([0]);
    expect(space.rawSimilarity(q, 0, 1 - res.distances[0])).toBeCloseTo(dot(qRaw, r), 5);
  });

  it('a zero origin is plain cosine, and a zero embedding still gets a direction', () => {
    const space = new VectorSpace(new Float32Array(3), new Float32Array([1, 0]));
    const q = space.centre([3, 4, 0]);
    q.vector.forEach((x, i) => expect(x).toBeCloseTo([0.6, 0.8, 0][i], 6));
    expect(space.rawSimilarity(q, 0, 0.25)).toBeCloseTo(0.25, 6);
    expect(space.centre([0, 0, 0])).toEqual({ vector: [1, 0, 0], norm: 0, dotMean: 0 });
  });
});

describe('raw vector file', () => {
  it('writes vectors at their labels in any order and reads any range back', () => {
    const file = path.join(t.dir, 'vectors.f32');
    const w = RawVectorFile.create(file);
    const v = (k: number) => Float32Array.from({ length: 4 }, (_, i) => k + i / 10);
    for (const label of [2, 0, 3, 1]) w.write(label, v(label));
    expect(() => w.write(4, new Float32Array(3))).toThrow(/dimension changed from 4 to 3/);
    w.close();
    const r = RawVectorFile.open(file, 4);
    expect(Array.from(r.read(1, 2))).toEqual([...v(1), ...v(2)]);
    expect(Array.from(r.read(3, 1))).toEqual(Array.from(v(3)));
    expect(() => r.read(3, 2)).toThrow(/truncated/);
    r.close();
  });
});
