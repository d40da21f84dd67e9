// Small pieces shared by the channel adapters (Telegram, Zalo Bot Platform, Zalo Official Account).
import { timingSafeEqual } from 'node:crypto';

/** Constant-time string comparison (false for a missing value or a length mismatch). */
export function safeEqual(a: string | null | undefined, b: string): boolean {
  if (a === null || a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Largest webhook body accepted (bytes). Platform updates are a few KB (a Telegram text is at most 4,096
 * characters); anything bigger is refused with 413 by the server (app.ts) before it is buffered.
 */
export const WEBHOOK_MAX_BYTES = 256 * 1024;

/** JSON.parse that yields undefined instead of throwing: a malformed webhook body is answered 200 and logged. */
export function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** A signal that aborts after `ms` or when `outer` aborts. */
export function timeoutSignal(ms: number, outer?: AbortSignal): AbortSignal {
  const t = AbortSignal.timeout(ms);
  return outer ? AbortSignal.any([outer, t]) : t;
}

/** Loggable error without payloads (request bodies carry message text, URLs carry the bot token). */
export function errInfo(err: unknown): object {
  if (err instanceof Error) {
    const extra = err as Error & { code?: unknown; method?: unknown; status?: unknown };
    return { name: err.name, message: err.message, code: extra.code, method: extra.method, status: extra.status };
  }
  return { value: String(err) };
}

/**
 * Runs tasks one after another per chat (so replies keep their order) and concurrently across chats, and keeps
 * track of what is still running so that stop() can wait for it.
 */
export class ChatQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly running = new Set<Promise<void>>();

  /** Queues `task` behind the chat's previous task; `task` handles its own errors (a rejection is swallowed). */
  run(key: string, task: () => Promise<void>): Promise<void> {
    const next = (this.tails.get(key) ?? Promise.resolve()).then(task).catch(() => undefined);
    this.tails.set(key, next);
    this.running.add(next);
    void next.then(() => {
      this.running.delete(next);
      if (this.tails.get(key) === next) this.tails.delete(key);
    });
    return next;
  }

  get size(): number {
    return this.running.size;
  }

  /** Waits until every queued task (including ones queued meanwhile) has finished, or `timeoutMs` has passed. */
  async drain(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.running.size > 0 && Date.now() < deadline) {
      const stop = new AbortController();
      await Promise.race([Promise.allSettled([...this.running]), sleep(deadline - Date.now(), stop.signal)]);
      stop.abort();
    }
  }
}

/** Platforms clear a "typing…" indicator after about 5 seconds. */
const TYPING_EVERY_MS = 4500;

/** Calls `ping` now and every TYPING_EVERY_MS until `work` settles (a platform's "typing…" indicator). */
export async function whileTyping<T>(ping: () => void, work: Promise<T>): Promise<T> {
  ping();
  const timer = setInterval(ping, TYPING_EVERY_MS);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

/**
 * What the server needs from a chat platform: an optional webhook route and a lifecycle. Each adapter only
 * translates platform updates to Incoming and Outgoing back; no business logic lives here.
 */
export interface ChannelRunner {
  name: string;
  /** POST route on the project's HTTP server, when the channel receives webhooks. */
  webhookPath?: string;
  webhookHandler?: (req: Request) => Promise<Response>;
  /** Starts polling or registers the webhook; resolves once running. */
  start(): Promise<void>;
  stop(): Promise<void>;
}
