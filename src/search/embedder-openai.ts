import { Embeddings } from '@langchain/core/embeddings';
import OpenAI from 'openai';

export class EmbedderError extends Error {}

interface OpenAIEmbedderOptions {
  apiKey?: string;
  baseURL?: string;
  model: string;
  batchSize?: number;
  maxRetries?: number;
  timeoutMs?: number;
}

/**
 * Embeddings from any OpenAI-compatible server (OpenAI, vLLM, Ollama) through the `openai` package.
 * Always asks for `encoding_format: "float"`: with the default base64, openai 6 silently yields empty vectors
 * from servers that answer with plain arrays.
 */
export class OpenAICompatibleEmbeddings extends Embeddings {
  private readonly client: OpenAI;
  private readonly model: string;
  private readonly batchSize: number;
  private readonly baseURL: string;
  dimension?: number;

  constructor(opts: OpenAIEmbedderOptions) {
    super({});
    this.model = opts.model;
    this.batchSize = opts.batchSize ?? 64;
    this.baseURL = opts.baseURL ?? 'https://api.openai.com/v1';
    // The client retries 408/409/429/5xx and connection errors with exponential backoff, bounded here.
    this.client = new OpenAI({
      apiKey: opts.apiKey ?? 'not-needed',
      baseURL: this.baseURL,
      maxRetries: opts.maxRetries ?? 3,
      timeout: opts.timeoutMs ?? 60_000,
    });
  }

  get id(): string {
    return `openai:${this.model}`;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      out.push(...(await this.embedBatch(texts.slice(i, i + this.batchSize))));
    }
    return out;
  }

  async embedQuery(text: string): Promise<number[]> {
    return (await this.embedBatch([text]))[0];
  }

  private async embedBatch(input: string[]): Promise<number[][]> {
    let res: OpenAI.Embeddings.CreateEmbeddingResponse;
    try {
      res = await this.client.embeddings.create({ model: this.model, input, encoding_format: 'float' });
    } catch (err) {
      if (err instanceof OpenAI.APIConnectionError) {
        throw new EmbedderError(
          `Embedding server unreachable at ${this.baseURL} (${err.message}). Check OPENAI_BASE_URL.`,
        );
      }
      if (err instanceof OpenAI.APIError) {
        throw new EmbedderError(
          `Embedding request failed: HTTP ${err.status ?? '?'} ${err.message} (model ${this.model} at ${this.baseURL})`,
        );
      }
      throw err;
    }
    const data = [...res.data].sort((a, b) => a.index - b.index);
    if (data.length !== input.length) {
      throw new EmbedderError(`Embedding server returned ${data.length} vectors for ${input.length} inputs`);
    }
    const vectors = data.map((d) => d.embedding as number[]);
    for (const v of vectors) {
      if (!Array.isArray(v) || v.length === 0) throw new EmbedderError('Embedding server returned an empty vector');
      if (this.dimension === undefined) this.dimension = v.length;
      else if (v.length !== this.dimension)
        throw new EmbedderError(`Embedding dimension changed from ${this.dimension} to ${v.length}`);
    }
    return vectors;
  }
}
