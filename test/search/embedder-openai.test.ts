import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig, DEFAULT_SEARCH_EF } from '../../src/config';
import { ingest } from '../../src/search/build';
import { createEmbedder } from '../../src/search/embedder';
import { EmbedderError, OpenAICompatibleEmbeddings } from '../../src/search/embedder-openai';
import { openRetriever } from '../../src/search/engine';
import { readManifest } from '../../src/search/index-store';
import { closedPort, hashVector, startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { copyMiniCorpus, tempDir } from '../fixtures/make-fixtures';

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI({ dimension: 64 });
});
afterEach(() => {
  fake.reset();
  vi.restoreAllMocks();
});
afterAll(() => fake.close());

const embedder = (o: Partial<ConstructorParameters<typeof OpenAICompatibleEmbeddings>[0]> = {}) =>
  new OpenAICompatibleEmbeddings({ baseURL: fake.baseURL, model: 'fake-embed', maxRetries: 2, timeoutMs: 5000, ...o });

const texts = (n: number) => Array.from({ length: n }, (_, i) => `đoạn văn số ${i} về thủ tục hành chính`);

describe('OpenAI-compatible embedder', () => {
  it('sends N inputs in ceil(N / B) requests of at most B, in order', async () => {
    const e = embedder({ batchSize: 4 });
    const input = texts(10);
    const vectors = await e.embedDocuments(input);
    const reqs = fake.embeddingRequests();
    expect(reqs.map((r) => r.body.input.length)).toEqual([4, 4, 2]);
    expect(reqs.flatMap((r) => r.body.input)).toEqual(input);
    expect(vectors).toHaveLength(10);
    vectors.forEach((v, i) => expect(v).toEqual(hashVector(input[i], 64)));
    expect(e.dimension).toBe(64);
  });

  it.each([
    [1, 1],
    [64, 1],
    [65, 2],
    [300, 5],
  ])('%i inputs with the default batch size (64) take %i request(s)', async (n, requests) => {
    await embedder().embedDocuments(texts(n));
    expect(fake.embeddingRequests()).toHaveLength(requests);
  });

  it('asks for encoding_format "float" and the configured model, with a bearer key', async () => {
    await embedder({ apiKey: 'sk-test' }).embedDocuments(['a', 'b']);
    await embedder().embedQuery('câu hỏi');
    const [docs, query] = fake.embeddingRequests();
    expect(docs.body).toMatchObject({ model: 'fake-embed', input: ['a', 'b'], encoding_format: 'float' });
    expect(docs.headers.authorization).toBe('Bearer sk-test');
    expect(query.body).toMatchObject({ model: 'fake-embed', input: ['câu hỏi'], encoding_format: 'float' });
    expect(query.path).toBe('/v1/embeddings');
  });

  it('embedQuery returns one vector', async () => {
    const v = await embedder().embedQuery('làm giấy khai sinh');
    expect(v).toEqual(hashVector('làm giấy khai sinh', 64));
  });

  it('retries after 429 and then succeeds', async () => {
    let n = 0;
    fake.onEmbeddings((input) =>
      ++n === 1
        ? { status: 429, error: { error: { message: 'Rate limit reached', type: 'requests' } } }
        : input.map((t) => hashVector(t, 64)),
    );
    const vectors = await embedder().embedDocuments(['một', 'hai']);
    expect(vectors).toHaveLength(2);
    expect(fake.embeddingRequests()).toHaveLength(2);
  });

  it('retries 5xx a bounded number of times, then fails with EmbedderError', async () => {
    fake.onEmbeddings(() => ({ status: 503 }));
    const err = await embedder({ maxRetries: 2 })
      .embedDocuments(['x'])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmbedderError);
    expect((err as Error).message).toMatch(/Embedding request failed: HTTP 503/);
    expect((err as Error).message).toContain('fake-embed');
    expect(fake.embeddingRequests()).toHaveLength(3);
  });

  it('does not retry a 400', async () => {
    fake.onEmbeddings(() => ({
      status: 400,
      error: { error: { message: 'input too long', type: 'invalid_request_error' } },
    }));
    const err = await embedder({ maxRetries: 3 })
      .embedDocuments(['x'])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmbedderError);
    expect((err as Error).message).toMatch(/HTTP 400/);
    expect(fake.embeddingRequests()).toHaveLength(1);
  });

  it('an unreachable server (closed port) is an EmbedderError naming the URL and OPENAI_BASE_URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/v1`;
    const err = await embedder({ baseURL: url, maxRetries: 0 })
      .embedDocuments(['x'])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmbedderError);
    expect((err as Error).message).toContain(`Embedding server unreachable at ${url}`);
    expect((err as Error).message).toContain('OPENAI_BASE_URL');
  });

  it('rejects a wrong number of vectors, empty vectors and a changing dimension', async () => {
    fake.onEmbeddings((input) => input.slice(1).map((t) => hashVector(t, 64)));
    await expect(embedder().embedDocuments(['a', 'b'])).rejects.toThrow(/returned 1 vectors for 2 inputs/);

    fake.onEmbeddings((input) => input.map(() => []));
    await expect(embedder().embedDocuments(['a'])).rejects.toThrow(/empty vector/);

    const e = embedder({ batchSize: 1 });
    let calls = 0;
    fake.onEmbeddings((input) => input.map((t) => hashVector(t, ++calls === 1 ? 64 : 32)));
    await expect(e.embedDocuments(['a', 'b'])).rejects.toThrow(/dimension changed from 64 to 32/);
  });

  it('the id names the model (so a model change forces a rebuild)', () => {
    expect(embedder().id).toBe('openai:fake-embed');
    expect(embedder({ model: 'other' }).id).toBe('openai:other');
  });
});

describe('EMBEDDINGS=openai end to end', () => {
  const t = tempDir('openai-e2e-');
  afterAll(() => t.cleanup());

  it('ingests through the fake server in batches, then searches with it', async () => {
    const corpusDir = path.join(t.dir, 'corpus');
    const dataDir = path.join(t.dir, 'data');
    copyMiniCorpus(corpusDir, [
      'thu-tuc/dang-ky-khai-sinh.md',
      'thu-tuc/cap-the-can-cuoc.md',
      'thu-tuc/dang-ky-ket-hon.md',
      'phan-cap/nd-120-2025.md',
    ]);
    const config = loadConfig(
      {
        EMBEDDINGS: 'openai',
        OPENAI_BASE_URL: fake.baseURL,
        EMBEDDING_MODEL: 'fake-embed',
        EMBEDDING_BATCH: '16',
        CORPUS_DIR: corpusDir,
        DATA_DIR: dataDir,
      },
      { dotenv: false },
    );
    const e = createEmbedder(config);
    expect(e).toBeInstanceOf(OpenAICompatibleEmbeddings);

    const { report, index } = await ingest({
      corpusDir,
      indexDir: config.indexDir,
      embedder: e,
      ef: DEFAULT_SEARCH_EF,
    });
    const chunks = index.chunks.length;
    expect(report).toMatchObject({ indexed: 4, failed: 0, embedded: chunks });
    const reqs = fake.embeddingRequests();
    expect(reqs).toHaveLength(Math.ceil(chunks / 16));
    for (const r of reqs) {
      expect(r.body.input.length).toBeLessThanOrEqual(16);
      expect(r.body.encoding_format).toBe('float');
    }
    expect(readManifest(config.indexDir)!.embedder).toEqual({ id: 'openai:fake-embed', dimension: 64 });

    // Opening the engine finds the index up to date: only the query is embedded.
    fake.reset();
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const retriever = await openRetriever(config, { log: () => undefined });
    expect(fake.embeddingRequests()).toHaveLength(0);
    const { results } = await retriever.search('làm giấy khai sinh cần giấy tờ gì');
    expect(results[0].citation.docId).toBe('dang-ky-khai-sinh');
    expect(results.some((r) => r.vectorRank !== undefined)).toBe(true);
    const queryReqs = fake.embeddingRequests();
    expect(queryReqs).toHaveLength(1);
    expect(queryReqs[0].body.input).toHaveLength(1);
    expect(queryReqs[0].body.input[0]).toContain('khai sinh');
  });

  it('an unreachable embedding server fails the ingest with EmbedderError and writes no index', async () => {
    const corpusDir = path.join(t.dir, 'corpus2');
    const dataDir = path.join(t.dir, 'data2');
    copyMiniCorpus(corpusDir, ['thu-tuc/dang-ky-ket-hon.md']);
    const config = loadConfig(
      {
        EMBEDDINGS: 'openai',
        OPENAI_BASE_URL: `http://127.0.0.1:${await closedPort()}/v1`,
        CORPUS_DIR: corpusDir,
        DATA_DIR: dataDir,
      },
      { dotenv: false },
    );
    const e = new OpenAICompatibleEmbeddings({
      baseURL: config.OPENAI_BASE_URL,
      model: config.EMBEDDING_MODEL,
      maxRetries: 0,
    });
    await expect(ingest({ corpusDir, indexDir: config.indexDir, embedder: e, ef: DEFAULT_SEARCH_EF })).rejects.toThrow(
      EmbedderError,
    );
    expect(readManifest(config.indexDir)).toBeUndefined();
  });
});
