// A fake Telegram Bot API on 127.0.0.1 for end-to-end tests with the real grammY client.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenLocal } from './listen';

export interface FakeFile {
  field: string;
  filename: string;
  size: number;
  data: Buffer;
}

export interface FakeCall {
  method: string;
  params: Record<string, any>;
  files: FakeFile[];
  /** What the fake answered (e.g. the sent Message), or the error. */
  result?: any;
  error?: FakeError;
}

export interface FakeError {
  ok: false;
  error_code: number;
  description: string;
  parameters?: { retry_after?: number };
}

type Json = Record<string, any>;

export const TOO_MANY_REQUESTS: FakeError = {
  ok: false,
  error_code: 429,
  description: 'Too Many Requests: retry after 1',
  parameters: { retry_after: 1 },
};

export class FakeTelegram {
  readonly calls: FakeCall[] = [];
  readonly botInfo = {
    id: 7_000_001,
    is_bot: true as const,
    first_name: 'Trợ lý Hành chính số',
    username: 'trolyhanhchinh_bot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
  };
  private readonly queue: Json[] = [];
  private nextUpdateId = 1;
  private nextMessageId = 1000;
  private readonly waiters = new Set<() => void>();
  private readonly failures = new Map<string, FakeError[]>();
  private readonly callWaiters = new Set<() => void>();
  /** Files served by getFile and GET /file/bot<token>/<file_path>. */
  private readonly files = new Map<string, { path: string; data: Buffer }>();
  private nextFileId = 1;
  /** file_path of every file downloaded, in order. */
  readonly downloads: string[] = [];

  private constructor(
    private readonly server: Server,
    readonly token: string,
    readonly apiRoot: string,
  ) {}

  static async start(token = '123456:TEST-token'): Promise<FakeTelegram> {
    let fake!: FakeTelegram;
    const server = createServer((req, res) => void fake.route(req, res));
    fake = new FakeTelegram(server, token, await listenLocal(server));
    return fake;
  }

  /** Queues an update for getUpdates; returns it with its update_id. */
  enqueue(update: Json): Json {
    const u = { update_id: this.nextUpdateId++, ...update };
    this.queue.push(u);
    for (const w of [...this.waiters]) w();
    return u;
  }

  /** Serves `data` as a file (a voice note the user sent); returns its file_id. */
  addFile(data: Buffer, filePath = `voice/file_${this.nextFileId}.oga`): string {
    const id = `AwACAgIAAxk-fake-${this.nextFileId++}`;
    this.files.set(id, { path: filePath, data });
    return id;
  }

  /** Makes the next call to `method` fail with `error` (default: 429 retry_after 1). */
  failNext(method: string, error: FakeError = TOO_MANY_REQUESTS): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
  }

  callsTo(method: string): FakeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Waits until `count` calls to `method` (matching `pred`) have been made. */
  async waitFor(
    method: string,
    pred: (c: FakeCall) => boolean = () => true,
    count = 1,
    timeoutMs = 10_000,
  ): Promise<FakeCall[]> {
    const matching = () => this.callsTo(method).filter(pred);
    const deadline = Date.now() + timeoutMs;
    while (matching().length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${count} × ${method}; got ${matching().length}`);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          this.callWaiters.delete(done);
          resolve();
        };
        const t = setTimeout(done, left);
        this.callWaiters.add(done);
      });
    }
    return matching();
  }

  /** Waits until no call has been made for `quietMs`. */
  async settle(quietMs = 150): Promise<void> {
    let n = -1;
    while (n !== this.calls.length) {
      n = this.calls.length;
      await new Promise((r) => setTimeout(r, quietMs));
    }
  }

  async close(): Promise<void> {
    for (const w of [...this.waiters]) w();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.routeUnsafe(req, res);
    } catch (err) {
      if (!res.headersSent)
        reply(res, 500, { ok: false, error_code: 500, description: `fake: ${(err as Error).message}` });
    }
  }

  private async routeUnsafe(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(req.url ?? '');
    if (file && req.method === 'GET') return this.serveFile(file[1], decodeURIComponent(file[2]), res);
    const m = /^\/bot([^/]+)\/(\w+)/.exec(req.url ?? '');
    const body = await readBody(req);
    if (!m || m[1] !== this.token) return reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const method = m[2];
    const { params, files } = parseParams(req.headers['content-type'] ?? '', body);
    const call: FakeCall = { method, params, files };
    const failure = this.failures.get(method)?.shift();
    if (failure) {
      call.error = failure;
      this.record(call);
      return reply(res, failure.error_code, failure);
    }
    try {
      const result = method === 'getUpdates' ? await this.getUpdates(params, req) : this.result(method, params);
      call.result = result;
      if (method !== 'getUpdates') this.record(call);
      reply(res, 200, { ok: true, result });
    } catch (err) {
      call.error = { ok: false, error_code: 400, description: `Bad Request: ${(err as Error).message}` };
      this.record(call);
      reply(res, 400, call.error);
    }
  }

  private serveFile(token: string, filePath: string, res: ServerResponse): void {
    const f = [...this.files.values()].find((x) => x.path === filePath);
    if (token !== this.token || !f) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' }));
      return;
    }
    this.downloads.push(filePath);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': f.data.length });
    res.end(f.data);
  }

  private record(call: FakeCall): void {
    this.calls.push(call);
    for (const w of [...this.callWaiters]) w();
  }

  private async getUpdates(params: Json, req: IncomingMessage): Promise<Json[]> {
    const offset = Number(params.offset ?? 0);
    // Updates below the offset are confirmed: forget them.
    while (this.queue.length && this.queue[0].update_id < offset) this.queue.shift();
    const limit = Number(params.limit ?? 100);
    const timeoutMs = Math.min(Number(params.timeout ?? 0), 30) * 1000;
    if (this.queue.length === 0 && timeoutMs > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          this.waiters.delete(done);
          req.off('close', done);
          resolve();
        };
        const t = setTimeout(done, timeoutMs);
        this.waiters.add(done);
        req.on('close', done);
      });
    }
    return this.queue.slice(0, limit);
  }

  private message(chatId: number | string, extra: Json): Json {
    const id = Number(chatId);
    return {
      message_id: this.nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: id < 0 ? { id, type: 'supergroup', title: 'Nhóm thử' } : { id, type: 'private', first_name: 'Người dùng' },
      from: { id: this.botInfo.id, is_bot: true, first_name: this.botInfo.first_name, username: this.botInfo.username },
      ...extra,
    };
  }

  private result(method: string, p: Json): unknown {
    switch (method) {
      case 'getMe':
        return this.botInfo;
      case 'deleteWebhook':
      case 'setWebhook':
      case 'setMyCommands':
      case 'sendChatAction':
      case 'answerCallbackQuery':
        return true;
      case 'sendMessage':
        if (typeof p.text !== 'string' || p.text.length === 0) throw new Error('message text is empty');
        if (p.text.length > 4096) throw new Error('message is too long');
        return this.message(p.chat_id, { text: p.text, reply_markup: p.reply_markup });
      case 'editMessageText':
        if (typeof p.text !== 'string' || p.text.length === 0) throw new Error('message text is empty');
        return this.message(p.chat_id, {
          message_id: Number(p.message_id),
          text: p.text,
          reply_markup: p.reply_markup,
        });
      case 'deleteMessage':
        return true;
      case 'getFile': {
        const f = this.files.get(String(p.file_id));
        if (!f) throw new Error('invalid file_id');
        return { file_id: p.file_id, file_unique_id: `u-${p.file_id}`, file_size: f.data.length, file_path: f.path };
      }
      case 'editMessageReplyMarkup':
        return this.message(p.chat_id, { message_id: Number(p.message_id), text: '', reply_markup: p.reply_markup });
      case 'sendDocument':
        return this.message(p.chat_id, {
          document: { file_id: `f${this.nextMessageId}`, file_unique_id: 'u', file_name: 'x' },
        });
      default:
        throw new Error(`method ${method} is not implemented by the fake`);
    }
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/** JSON or multipart parameters; JSON-looking multipart fields are decoded like Telegram does. */
function parseParams(contentType: string, body: Buffer): { params: Json; files: FakeFile[] } {
  if (body.length === 0) return { params: {}, files: [] };
  if (contentType.startsWith('application/json')) return { params: JSON.parse(body.toString('utf8')), files: [] };
  if (contentType.startsWith('multipart/form-data')) return parseMultipart(contentType, body);
  return { params: Object.fromEntries(new URLSearchParams(body.toString('utf8'))), files: [] };
}

/**
 * A small multipart/form-data parser. grammY writes `filename=name.csv` without quotes, which the platform's
 * FormData parser rejects, so the fake parses parts itself.
 */
function parseMultipart(contentType: string, body: Buffer): { params: Json; files: FakeFile[] } {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  if (!boundary) throw new Error('multipart without boundary');
  const params: Json = {};
  const files: FakeFile[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    const start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const part = body.subarray(start + 2, next - 2); // skip CRLF after the delimiter and before the next one
    const split = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, split).toString('utf8');
    const data = part.subarray(split + 4);
    const name = /name="([^"]*)"/i.exec(head)?.[1] ?? '';
    const filename = /filename=(?:"([^"]*)"|([^;\r\n]+))/i.exec(head);
    if (filename) {
      files.push({
        field: name,
        filename: (filename[1] ?? filename[2]).trim(),
        size: data.length,
        data: Buffer.from(data),
      });
    } else {
      const value = data.toString('utf8');
      try {
        params[name] = JSON.parse(value);
      } catch {
        params[name] = value;
      }
    }
    pos = next;
  }
  return { params, files };
}

export {
  callbackUpdate,
  textUpdate,
  voiceUpdate,
  type TextUpdateOptions,
  type VoiceUpdateOptions,
} from '../helpers/telegram-updates';
