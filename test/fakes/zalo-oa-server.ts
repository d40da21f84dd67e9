// A fake Zalo OA on 127.0.0.1 serving both roots: the OpenAPI (POST /v3.0/oa/message/cs with an access_token
// header; errors as HTTP 200 {error: <negative>, message}) and OAuth (POST /v4/oa/access_token, form-encoded,
// secret_key header). Refresh tokens work once and are replaced on every refresh, like the real ones.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenLocal } from './listen';

type Json = Record<string, any>;

export interface OACall {
  path: string;
  headers: IncomingMessage['headers'];
  /** JSON body (message/cs) or form fields (access_token). */
  body: Json;
  at: number;
  /** What the fake answered. */
  answer: Json;
}

export class FakeZaloOA {
  readonly calls: OACall[] = [];
  readonly appId = '4321987654321';
  readonly secretKey = 'oa-secret-key-for-tests';
  accessToken = 'at-0';
  refreshToken = 'rt-0';
  /** Access tokens that Zalo now answers with -220 (expired). */
  readonly expired = new Set<string>();
  /** expires_in of refreshed tokens, in seconds (a string, like Zalo). */
  expiresIn = '90000';
  /** Delay before answering a refresh (to overlap concurrent callers). */
  refreshDelayMs = 100;
  /** Users answered with this error code on message/cs (e.g. -230: no interaction within the window). */
  readonly blocked = new Map<string, number>();
  /** The next N message/cs calls are answered with -32 (rate limited). */
  rateLimitNext = 0;
  /** Media served at GET /media/<name> (the URLs in user_send_audio events). */
  private readonly media = new Map<string, Buffer>();
  /** Names of the media files downloaded, in order. */
  readonly downloads: string[] = [];
  private generation = 0;
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    readonly root: string,
  ) {}

  static async start(): Promise<FakeZaloOA> {
    let fake!: FakeZaloOA;
    const server = createServer((req, res) => void fake.route(req, res));
    fake = new FakeZaloOA(server, await listenLocal(server));
    return fake;
  }

  /** Environment for the adapter: both roots point here. */
  env(): Record<string, string> {
    return {
      ZALO_OA_APP_ID: this.appId,
      ZALO_OA_SECRET_KEY: this.secretKey,
      ZALO_OA_ACCESS_TOKEN: 'at-0',
      ZALO_OA_REFRESH_TOKEN: 'rt-0',
      ZALO_OA_API_ROOT: this.root,
      ZALO_OA_OAUTH_ROOT: this.root,
    };
  }

  /** Serves `data` like Zalo's CDN serves a voice note; returns its URL. */
  addMedia(name: string, data: Buffer): string {
    this.media.set(name, data);
    return `${this.root}/media/${encodeURIComponent(name)}`;
  }

  /** The current access token starts answering -220. */
  expireAccessToken(): void {
    this.expired.add(this.accessToken);
  }

  sends(pred: (c: OACall) => boolean = () => true): OACall[] {
    return this.calls.filter((c) => c.path === '/v3.0/oa/message/cs' && pred(c));
  }

  /** Texts delivered (error 0) to a user. */
  textsTo(userId: string): string[] {
    return this.sends((c) => c.body.recipient?.user_id === userId && c.answer.error === 0).map(
      (c) => c.body.message.text,
    );
  }

  refreshes(): OACall[] {
    return this.calls.filter((c) => c.path === '/v4/oa/access_token');
  }

  async waitFor(pred: (c: OACall) => boolean, count = 1, timeoutMs = 10_000): Promise<OACall[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.calls.filter(pred).length < count) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out waiting for ${count} matching OA calls; got ${this.calls.filter(pred).length}`);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          this.waiters.delete(done);
          resolve();
        };
        const t = setTimeout(done, left);
        this.waiters.add(done);
      });
    }
    return this.calls.filter(pred);
  }

  /** Waits for `count` delivered texts to a user. */
  async waitForTexts(userId: string, count = 1): Promise<string[]> {
    await this.waitFor(
      (c) => c.path === '/v3.0/oa/message/cs' && c.body.recipient?.user_id === userId && c.answer.error === 0,
      count,
    );
    return this.textsTo(userId);
  }

  async settle(quietMs = 150): Promise<void> {
    let n = -1;
    while (n !== this.calls.length) {
      n = this.calls.length;
      await new Promise((r) => setTimeout(r, quietMs));
    }
  }

  /** A webhook event as Zalo posts it: raw body and headers with a valid (or given) X-ZEvent-Signature. */
  event(
    body: Json,
    opts: { signature?: string | null; prefix?: boolean; key?: string } = {},
  ): { raw: string; headers: Record<string, string> } {
    const raw = JSON.stringify(body);
    const mac = createHash('sha256')
      .update(this.appId + raw + String(body.timestamp) + (opts.key ?? this.secretKey))
      .digest('hex');
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const sig = opts.signature === undefined ? mac : opts.signature;
    if (sig !== null) headers['x-zevent-signature'] = opts.prefix === false ? sig : `mac=${sig}`;
    return { raw, headers };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const media = /^\/media\/([^/?]+)/.exec(req.url ?? '');
    if (req.method === 'GET' && media) {
      const name = decodeURIComponent(media[1]);
      const data = this.media.get(name);
      if (data) this.downloads.push(name);
      res.writeHead(data ? 200 : 404, {
        'content-type': data ? 'audio/aac' : 'text/plain',
        'content-length': data ? data.length : 9,
      });
      res.end(data ?? 'not found');
      return;
    }
    const parts: Buffer[] = [];
    for await (const c of req) parts.push(c as Buffer);
    const raw = Buffer.concat(parts).toString('utf8');
    const path = (req.url ?? '').split('?')[0];
    const form = String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    const body: Json = form ? Object.fromEntries(new URLSearchParams(raw)) : raw ? JSON.parse(raw) : {};
    const call: OACall = { path, headers: req.headers, body, at: Date.now(), answer: {} };
    if (req.method === 'POST' && path === '/v3.0/oa/message/cs') call.answer = this.send(req, body);
    else if (req.method === 'POST' && path === '/v4/oa/access_token') call.answer = await this.refresh(req, body);
    else call.answer = { error: -404, message: 'fake: no such endpoint' };
    this.calls.push(call);
    for (const w of [...this.waiters]) w();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(call.answer));
  }

  private send(req: IncomingMessage, body: Json): Json {
    const token = req.headers['access_token'];
    if (this.expired.has(String(token))) return { error: -220, message: 'Access token has expired' };
    if (token !== this.accessToken) return { error: -216, message: 'Access token is invalid' };
    const userId = body.recipient?.user_id;
    const text = body.message?.text;
    if (typeof userId !== 'string' || typeof text !== 'string' || text.length < 1 || text.length > 2000) {
      return { error: -201, message: 'fake: invalid parameters' };
    }
    if (this.rateLimitNext > 0) {
      this.rateLimitNext--;
      return { error: -32, message: 'fake: rate limited' };
    }
    const blocked = this.blocked.get(userId);
    if (blocked) return { error: blocked, message: 'fake: user has not interacted with the OA recently' };
    return { error: 0, message: 'Success', data: { message_id: `oam${this.calls.length}`, user_id: userId } };
  }

  private async refresh(req: IncomingMessage, body: Json): Promise<Json> {
    await new Promise((r) => setTimeout(r, this.refreshDelayMs));
    if (
      req.headers['secret_key'] !== this.secretKey ||
      body.app_id !== this.appId ||
      body.grant_type !== 'refresh_token'
    ) {
      return { error: -14002, error_name: 'fake: invalid app credentials' };
    }
    if (body.refresh_token !== this.refreshToken)
      return { error: -14014, error_name: 'fake: refresh token is invalid or already used' };
    this.generation++;
    this.accessToken = `at-${this.generation}`;
    this.refreshToken = `rt-${this.generation}`;
    return { access_token: this.accessToken, refresh_token: this.refreshToken, expires_in: this.expiresIn };
  }
}

/** A user_send_text event body. */
let nextMsg = 1;
export function oaText(fake: FakeZaloOA, userId: string, text: string, msgId = `oamsg${nextMsg++}`): Json {
  return {
    app_id: fake.appId,
    user_id_by_app: `app-${userId}`,
    event_name: 'user_send_text',
    timestamp: String(Date.now()),
    sender: { id: userId },
    recipient: { id: 'oa-1' },
    message: { text, msg_id: msgId },
  };
}

/** A user_send_audio event body: a voice note recorded in Zalo, delivered as a URL. */
export function oaAudio(fake: FakeZaloOA, userId: string, url: string | undefined, msgId = `oamsg${nextMsg++}`): Json {
  return {
    app_id: fake.appId,
    user_id_by_app: `app-${userId}`,
    event_name: 'user_send_audio',
    timestamp: String(Date.now()),
    sender: { id: userId },
    recipient: { id: 'oa-1' },
    message: { msg_id: msgId, attachments: url === undefined ? [] : [{ type: 'audio', payload: { url } }] },
  };
}
