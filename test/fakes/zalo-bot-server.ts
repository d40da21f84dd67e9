// A fake Zalo Bot Platform API on 127.0.0.1: POST /bot{TOKEN}/{method}, {ok, result} / {ok: false, error_code}.
// getUpdates long-polls for ONE queued update and answers error_code 408 when nothing arrives; it refuses to work
// while a webhook is set, like the real one.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenLocal } from './listen';

type Json = Record<string, any>;

export interface ZaloCall {
  method: string;
  params: Json;
  at: number;
  result?: unknown;
  error?: { error_code: number; description: string };
}

/** How a failed call is answered: a Bot API error, an HTTP 500 with an HTML body, or a dropped connection. */
export type ZaloFailure = { error_code: number; description: string } | 'http500' | 'drop';

let nextMessageId = 1;

/** An update as the Bot Platform delivers it (ids are strings, date in ms). */
export function zaloUpdate(o: {
  chatId: string;
  userId?: string;
  text?: string;
  name?: string;
  group?: boolean;
  event?: string;
  messageId?: string;
}): Json {
  return {
    event_name: o.event ?? 'message.text.received',
    message: {
      message_id: o.messageId ?? `zm${nextMessageId++}`,
      date: Date.now(),
      ...(o.text !== undefined ? { text: o.text } : {}),
      chat: { id: o.chatId, chat_type: o.group ? 'GROUP' : 'PRIVATE' },
      from: { id: o.userId ?? o.chatId, display_name: o.name ?? 'Nguyễn Văn An', is_bot: false },
    },
  };
}

export class FakeZaloBot {
  readonly calls: ZaloCall[] = [];
  readonly botInfo = { id: 'bot-42', account_name: 'trolyhanhchinh', account_type: 'BASIC', can_join_groups: true };
  webhook: { url: string; secret_token: string } | undefined;
  /** getUpdates calls answered with 408 (nothing arrived). */
  idlePolls = 0;
  /** getUpdates calls received (counted on arrival; calls are recorded when answered). */
  pollsStarted = 0;
  private readonly queue: Json[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly callWaiters = new Set<() => void>();
  private readonly failures = new Map<string, ZaloFailure[]>();

  private constructor(
    private readonly server: Server,
    readonly token: string,
    readonly apiRoot: string,
  ) {}

  static async start(token = '1234567890:zalo-test-token'): Promise<FakeZaloBot> {
    let fake!: FakeZaloBot;
    const server = createServer((req, res) => void fake.route(req, res));
    fake = new FakeZaloBot(server, token, await listenLocal(server));
    return fake;
  }

  enqueue(update: Json): Json {
    this.queue.push(update);
    for (const w of [...this.waiters]) w();
    return update;
  }

  failNext(method: string, failure: ZaloFailure = { error_code: 500, description: 'Internal error' }): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), failure]);
  }

  callsTo(method: string, pred: (c: ZaloCall) => boolean = () => true): ZaloCall[] {
    return this.calls.filter((c) => c.method === method && pred(c));
  }

  /** Successful sendMessage texts to a chat. */
  textsTo(chatId: string): string[] {
    return this.callsTo('sendMessage', (c) => c.params.chat_id === chatId && c.result !== undefined).map(
      (c) => c.params.text,
    );
  }

  async waitFor(
    method: string,
    pred: (c: ZaloCall) => boolean = () => true,
    count = 1,
    timeoutMs = 10_000,
  ): Promise<ZaloCall[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.callsTo(method, pred).length < count) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out waiting for ${count} × ${method}; got ${this.callsTo(method, pred).length}`);
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
    return this.callsTo(method, pred);
  }

  /** Waits until `cond` holds (checked every 20 ms). */
  async until(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Waits until no call (other than getUpdates) has been made for `quietMs`. */
  async settle(quietMs = 150): Promise<void> {
    const count = () => this.calls.filter((c) => c.method !== 'getUpdates').length;
    let n = -1;
    while (n !== count()) {
      n = count();
      await new Promise((r) => setTimeout(r, quietMs));
    }
  }

  async close(): Promise<void> {
    for (const w of [...this.waiters]) w();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private record(call: ZaloCall): void {
    this.calls.push(call);
    for (const w of [...this.callWaiters]) w();
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parts: Buffer[] = [];
    for await (const c of req) parts.push(c as Buffer);
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !m || m[1] !== this.token)
      return reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const raw = Buffer.concat(parts).toString('utf8');
    const call: ZaloCall = { method: m[2], params: raw ? JSON.parse(raw) : {}, at: Date.now() };
    const failure = this.failures.get(call.method)?.shift();
    if (call.method === 'getUpdates') this.pollsStarted++;
    if (failure === 'drop') {
      call.error = { error_code: 0, description: 'connection dropped' };
      this.record(call);
      return void res.socket?.destroy();
    }
    if (failure === 'http500') {
      call.error = { error_code: 500, description: 'HTTP 500 (HTML body)' };
      this.record(call);
      res.writeHead(500, { 'content-type': 'text/html' });
      return void res.end('<html><body>Internal Server Error</body></html>');
    }
    if (failure) return this.fail(res, call, failure.error_code, failure.description);
    try {
      const result = await this.result(call, req);
      if (result === undefined) return; // client went away
      call.result = result;
      this.record(call);
      reply(res, 200, { ok: true, result });
    } catch (err) {
      const [code, description] = (err as Error).message.split('|');
      this.fail(res, call, Number(code), description);
    }
  }

  private fail(res: ServerResponse, call: ZaloCall, error_code: number, description: string): void {
    call.error = { error_code, description };
    this.record(call);
    reply(res, 200, { ok: false, error_code, description });
  }

  private async result(call: ZaloCall, req: IncomingMessage): Promise<unknown> {
    const p = call.params;
    switch (call.method) {
      case 'getMe':
        return this.botInfo;
      case 'getUpdates':
        return this.getUpdates(p, req);
      case 'setWebhook':
        if (typeof p.url !== 'string' || typeof p.secret_token !== 'string' || p.secret_token.length < 8)
          throw new Error('400|Bad Request');
        this.webhook = { url: p.url, secret_token: p.secret_token };
        return { url: p.url, updated_at: Date.now() };
      case 'deleteWebhook':
        this.webhook = undefined;
        return { url: '', updated_at: Date.now() };
      case 'getWebhookInfo':
        return { url: this.webhook?.url ?? '' };
      case 'sendChatAction':
        if (typeof p.chat_id !== 'string' || p.action !== 'typing') throw new Error('400|Bad Request');
        return true;
      case 'sendMessage':
        if (typeof p.chat_id !== 'string') throw new Error('400|chat_id is required');
        if (typeof p.text !== 'string' || p.text.length < 1 || p.text.length > 2000)
          throw new Error('400|text must be 1-2000 characters');
        return { message_id: `bm${nextMessageId++}`, date: Date.now() };
      default:
        throw new Error(`404|method ${call.method} is not implemented by the fake`);
    }
  }

  private async getUpdates(p: Json, req: IncomingMessage): Promise<unknown> {
    if (this.webhook) throw new Error('409|Conflict: webhook is active');
    if (typeof p.timeout !== 'string') throw new Error('400|timeout must be a string');
    const timeoutMs = Math.min(Number(p.timeout), 60) * 1000;
    let gone = false;
    if (this.queue.length === 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          this.waiters.delete(done);
          req.socket.off('close', onClose);
          resolve();
        };
        const onClose = () => {
          gone = true;
          done();
        };
        const t = setTimeout(done, timeoutMs);
        this.waiters.add(done);
        req.socket.on('close', onClose);
      });
    }
    if (gone) return undefined;
    const update = this.queue.shift();
    if (!update) {
      this.idlePolls++;
      throw new Error('408|Request timeout');
    }
    return update;
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
