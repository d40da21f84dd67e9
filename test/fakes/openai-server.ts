/**
 * A fake OpenAI-compatible server on 127.0.0.1 for tests: /v1/chat/completions (plain JSON or SSE streaming),
 * /v1/embeddings and /v1/audio/transcriptions (multipart), with pluggable per-test behaviour and a log of every
 * request received.
 *
 *   const fake = await startFakeOpenAI();            // fake.baseURL === 'http://127.0.0.1:PORT/v1'
 *   fake.onChat(() => 'Cần tờ khai [1].');             // string → content (streamed as SSE when body.stream)
 *   fake.onChat(() => ({ status: 429 }));             // error status (retry-after-ms: 1 by default, so retries are fast)
 *   fake.onChat(() => ({ hang: true }));              // never answers (client timeout)
 *   fake.onEmbeddings((input) => input.map(vec));     // custom vectors; default is a deterministic hash vector
 *   fake.onTranscribe((req) => 'điểm danh mã K7QX');  // transcript of the uploaded audio (req.file.data, req.model…)
 *   fake.onTranscribe(() => ({ status: 503 }) | ({ hang: true }) | ({ raw: '<html>', contentType: 'text/html' }))
 *   fake.requests / fake.chatRequests() / fake.embeddingRequests()
 *   fake.reset(); await fake.close();
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLocal } from './listen';

export interface FakeRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body (undefined when the body is empty or not JSON). */
  body: any;
  raw: string;
  at: number;
}

export interface ChatMessage {
  role: string;
  content: string;
}

export interface ChatBody {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  temperature?: number;
  max_tokens?: number;
  [k: string]: unknown;
}

/** What the fake answers to one chat request. */
export type ChatReply =
  /** The assistant content; streamed in small deltas when the request asked for `stream: true`. */
  | string
  /** Content with explicit stream deltas (their concatenation should equal `content`). */
  | { content: string; chunks?: string[]; finishReason?: string; chunkDelayMs?: number }
  /** An HTTP error. */
  | { status: number; error?: unknown; headers?: Record<string, string> }
  /** Keep the connection open and never answer (until the client gives up or the server closes). */
  | { hang: true }
  /** Drop the connection without a response. */
  | { destroy: true };

/** `n` is the 1-based number of chat requests received so far (this one included). */
export type ChatHandler = (body: ChatBody, n: number, req: FakeRequest) => ChatReply | Promise<ChatReply>;

export type EmbeddingReply =
  | number[][]
  | { status: number; error?: unknown; headers?: Record<string, string> }
  | { hang: true };
export type EmbeddingHandler = (input: string[], body: any, n: number) => EmbeddingReply | Promise<EmbeddingReply>;

export interface FakeOpenAI {
  /** `http://127.0.0.1:PORT/v1`: pass as OPENAI_BASE_URL. */
  readonly baseURL: string;
  readonly port: number;
  /** Every request received, in order. */
  readonly requests: FakeRequest[];
  chatRequests(): FakeRequest[];
  embeddingRequests(): FakeRequest[];
  /** Every transcription request, parsed (file bytes included). */
  readonly transcriptions: TranscriptionRequest[];
  /** Replace the transcription behaviour (default: DEFAULT_TRANSCRIPT). */
  onTranscribe(h: TranscriptionHandler): void;
  /** Replace the chat behaviour (default: a short Vietnamese answer citing [1]). */
  onChat(h: ChatHandler): void;
  /** Replace the embeddings behaviour (default: deterministic hash vectors of `dimension`). */
  onEmbeddings(h: EmbeddingHandler): void;
  /** Dimension of the default embedding vectors (default 64). */
  dimension: number;
  /** Clear the request log and restore default behaviours. */
  reset(): void;
  close(): Promise<void>;
}

/** One POST /audio/transcriptions as the fake parsed it. */
export interface TranscriptionRequest {
  model: string;
  language?: string;
  responseFormat?: string;
  file: { name: string; type: string; data: Buffer };
  /** Every non-file form field. */
  fields: Record<string, string>;
}

export type TranscriptionReply =
  /** The transcript (answered as {"text"}, or plain text when response_format is "text"). */
  | string
  /** The transcript after a delay. */
  | { text: string; delayMs: number }
  /** An HTTP error. */
  | { status: number; error?: unknown; headers?: Record<string, string> }
  /** Keep the connection open and never answer. */
  | { hang: true }
  /** A body of the fake's choosing (garbage, HTML, JSON without "text"). */
  | { raw: string; contentType?: string };

export type TranscriptionHandler = (
  req: TranscriptionRequest,
  n: number,
) => TranscriptionReply | Promise<TranscriptionReply>;

export const DEFAULT_TRANSCRIPT = 'Làm giấy khai sinh cho con cần những gì?';

export const DEFAULT_CHAT_CONTENT = 'Theo tài liệu, bạn cần chuẩn bị tờ khai và giấy tờ tùy thân [1].';

/** Deterministic unit vector for a text (bag of words hashed into `dim` buckets), so similar texts are close. */
export function hashVector(text: string, dim: number): number[] {
  const v = new Array<number>(dim).fill(0);
  const words =
    text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const w of words) {
    let h = 0x811c9dc5;
    for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 0x01000193) >>> 0;
    v[h % dim] += h & 0x10000 ? 1 : -1;
  }
  if (!v.some((x) => x !== 0)) v[0] = 1; // no words: a fixed unit vector
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/** Split content into stream deltas of a few characters (whole code points). */
export function splitDeltas(content: string, size = 7): string[] {
  const cps = [...content];
  const out: string[] = [];
  for (let i = 0; i < cps.length; i += size) out.push(cps.slice(i, i + size).join(''));
  return out;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

/** multipart/form-data through the platform's own parser (the openai client sends well-formed parts). */
async function parseTranscription(contentType: string, body: Buffer): Promise<TranscriptionRequest> {
  const form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
  const fields: Record<string, string> = {};
  let file: TranscriptionRequest['file'] | undefined;
  const entries: [string, FormDataEntryValue][] = [];
  form.forEach((v, k) => entries.push([k, v]));
  for (const [k, v] of entries) {
    if (typeof v === 'string') fields[k] = v;
    else if (k === 'file') file = { name: v.name, type: v.type, data: Buffer.from(await v.arrayBuffer()) };
  }
  if (!file) throw new Error('no file part');
  return { model: fields.model, language: fields.language, responseFormat: fields.response_format, file, fields };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const s = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(s), ...headers });
  res.end(s);
}

function sendError(
  res: ServerResponse,
  r: { status: number; error?: unknown; headers?: Record<string, string> },
): void {
  const headers = { 'retry-after-ms': '1', ...(r.headers ?? {}) };
  sendJson(
    res,
    r.status,
    r.error ?? { error: { message: `fake error ${r.status}`, type: 'fake_error', code: null } },
    headers,
  );
}

export async function startFakeOpenAI(opts: { dimension?: number } = {}): Promise<FakeOpenAI> {
  const requests: FakeRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const defaultChat: ChatHandler = () => DEFAULT_CHAT_CONTENT;
  let chat: ChatHandler = defaultChat;
  const defaultTranscribe: TranscriptionHandler = () => DEFAULT_TRANSCRIPT;
  let transcribe: TranscriptionHandler = defaultTranscribe;
  let sttCount = 0;
  const transcriptions: TranscriptionRequest[] = [];
  let chatCount = 0;
  let embCount = 0;
  let embeddings: EmbeddingHandler | undefined;

  const fake: FakeOpenAI = {
    baseURL: '',
    port: 0,
    requests,
    dimension: opts.dimension ?? 64,
    chatRequests: () => requests.filter((r) => r.path.endsWith('/chat/completions')),
    embeddingRequests: () => requests.filter((r) => r.path.endsWith('/embeddings')),
    transcriptions,
    onTranscribe(h) {
      transcribe = h;
    },
    onChat(h) {
      chat = h;
    },
    onEmbeddings(h) {
      embeddings = h;
    },
    reset() {
      requests.length = 0;
      chat = defaultChat;
      embeddings = undefined;
      transcribe = defaultTranscribe;
      transcriptions.length = 0;
      sttCount = 0;
      chatCount = 0;
      embCount = 0;
    },
    close: async () => {
      for (const r of hanging) r.destroy();
      hanging.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  async function handleChat(req: FakeRequest, res: ServerResponse): Promise<void> {
    const body = req.body as ChatBody;
    const reply = await chat(body, ++chatCount, req);
    if (typeof reply !== 'string' && 'hang' in reply) {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (typeof reply !== 'string' && 'destroy' in reply) {
      res.socket?.destroy();
      return;
    }
    if (typeof reply !== 'string' && 'status' in reply) return sendError(res, reply);
    const content = typeof reply === 'string' ? reply : reply.content;
    const finish = (typeof reply !== 'string' && reply.finishReason) || 'stop';
    const id = `chatcmpl-fake-${chatCount}`;
    const created = Math.floor(Date.now() / 1000);
    const model = body?.model ?? 'fake';
    if (body?.stream) {
      const deltas = typeof reply !== 'string' && reply.chunks ? reply.chunks : splitDeltas(content);
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      const event = (delta: Record<string, unknown>, finish_reason: string | null) =>
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason }] })}\n\n`;
      res.write(event({ role: 'assistant', content: '' }, null));
      const delay = typeof reply !== 'string' ? (reply.chunkDelayMs ?? 0) : 0;
      for (const d of deltas) {
        res.write(event({ content: d }, null));
        if (delay) await new Promise((r) => setTimeout(r, delay));
      }
      res.write(event({}, finish));
      res.end('data: [DONE]\n\n');
      return;
    }
    sendJson(res, 200, {
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [
        { index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: finish, logprobs: null },
      ],
      usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
    });
  }

  async function handleEmbeddings(req: FakeRequest, res: ServerResponse): Promise<void> {
    const body = req.body ?? {};
    const input: string[] = Array.isArray(body.input) ? body.input : [body.input];
    const reply = embeddings
      ? await embeddings(input, body, ++embCount)
      : input.map((t) => hashVector(String(t), fake.dimension));
    if (!Array.isArray(reply) && 'hang' in reply) {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (!Array.isArray(reply)) return sendError(res, reply);
    const base64 = body.encoding_format === 'base64';
    const data = reply.map((v, index) => ({
      object: 'embedding',
      index,
      embedding: base64 ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v,
    }));
    sendJson(res, 200, {
      object: 'list',
      data,
      model: body.model ?? 'fake',
      usage: { prompt_tokens: input.length, total_tokens: input.length },
    });
  }

  async function handleTranscription(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    let parsed: TranscriptionRequest;
    try {
      parsed = await parseTranscription(String(req.headers['content-type'] ?? ''), body);
    } catch (err) {
      return sendJson(res, 400, { error: { message: `fake: bad multipart: ${(err as Error).message}` } });
    }
    transcriptions.push(parsed);
    const reply = await transcribe(parsed, ++sttCount);
    if (typeof reply !== 'string' && 'hang' in reply) {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (typeof reply !== 'string' && 'status' in reply) return sendError(res, reply);
    if (typeof reply !== 'string' && 'raw' in reply) {
      res.writeHead(200, { 'content-type': reply.contentType ?? 'application/json' });
      res.end(reply.raw);
      return;
    }
    if (typeof reply !== 'string') await new Promise((r) => setTimeout(r, reply.delayMs));
    const text = typeof reply === 'string' ? reply : reply.text;
    if (parsed.responseFormat === 'text') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(text);
      return;
    }
    sendJson(res, 200, { text });
  }

  const server = http.createServer(async (req, res) => {
    try {
      const bytes = await readBody(req);
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'POST' && path.endsWith('/audio/transcriptions')) {
        requests.push({ method: 'POST', path, headers: req.headers, body: undefined, raw: '', at: Date.now() });
        return await handleTranscription(req, bytes, res);
      }
      const raw = bytes.toString('utf8');
      let body: any;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = undefined;
      }
      const entry: FakeRequest = { method: req.method ?? 'GET', path, headers: req.headers, body, raw, at: Date.now() };
      requests.push(entry);
      if (req.method === 'POST' && path.endsWith('/chat/completions')) return await handleChat(entry, res);
      if (req.method === 'POST' && path.endsWith('/embeddings')) return await handleEmbeddings(entry, res);
      if (req.method === 'GET' && path.endsWith('/models'))
        return sendJson(res, 200, { object: 'list', data: [{ id: 'fake-chat', object: 'model' }] });
      sendJson(res, 404, { error: { message: `no route ${req.method} ${path}` } });
    } catch (err) {
      if (!res.headersSent) sendJson(res, 500, { error: { message: (err as Error).message } });
      else res.end();
    }
  });

  const origin = await listenLocal(server);
  Object.assign(fake, { port: Number(new URL(origin).port), baseURL: `${origin}/v1` });
  return fake;
}

/** A port on 127.0.0.1 that nothing listens on (bound then released). */
export async function closedPort(): Promise<number> {
  const s = http.createServer();
  const port = Number(new URL(await listenLocal(s)).port);
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
