import { PromptTemplate } from '@langchain/core/prompts';
import { RunnablePassthrough, RunnableSequence } from '@langchain/core/runnables';
import type { Document } from '@langchain/core/documents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorpusRetriever } from '../../src/search/langchain-retriever';
import { makeFixture, type Fixture } from '../helpers/fixture';

let fx: Fixture;
beforeAll(async () => {
  fx = await makeFixture();
});
afterAll(() => fx.cleanup());

const formatDocs = (docs: Document[]) =>
  docs.map((d, i) => `[${i + 1}] ${d.metadata.citation.title}\n${d.pageContent}`).join('\n\n');

describe('CorpusRetriever (LangChain)', () => {
  it('returns the hybrid search results as LangChain documents with their citations', async () => {
    const retriever = new CorpusRetriever({ retriever: fx.retriever, k: 3 });
    const docs = await retriever.invoke('đăng ký khai sinh cần giấy tờ gì');
    expect(docs.length).toBeGreaterThan(0);
    expect(docs.length).toBeLessThanOrEqual(3);
    const { results } = await fx.retriever.search('đăng ký khai sinh cần giấy tờ gì', { k: 3 });
    expect(docs.map((d) => d.id)).toEqual(results.map((r) => r.id));
    expect(docs[0].metadata.citation.title).toMatch(/khai sinh/i);
    expect(docs[0].pageContent).toBe(results[0].text);
  });

  it('runs inside a LangChain runnable chain (retriever -> prompt)', async () => {
    const prompt = PromptTemplate.fromTemplate('Trả lời dựa trên:\n{context}\n\nCâu hỏi: {question}');
    const chain = RunnableSequence.from([
      {
        context: new CorpusRetriever({ retriever: fx.retriever, k: 2, kind: 'procedure' }).pipe(formatDocs),
        question: new RunnablePassthrough(),
      },
      prompt,
    ]);
    const out = await chain.invoke('tạm trú cần giấy tờ gì?');
    const text = out.toString();
    expect(text).toContain('Câu hỏi: tạm trú cần giấy tờ gì?');
    expect(text).toMatch(/\[1\] [^\n]*tạm trú/i);
    expect(text).not.toContain('{context}');
  });
});
