// Zalo Bot Platform HTTP client (global fetch): every method is POST {root}/bot{TOKEN}/{method} with a JSON body,
// answered by {ok: true, result} or {ok: false, error_code, description}.
import { timeoutSignal } from './common';

const DEFAULT_TIMEOUT_MS = 15_000;

export class ZaloBotError extends Error {
  override name = 'ZaloBotError';
  constructor(
    readonly method: string,
    /** error_code of the answer, or the HTTP status when the answer was not JSON. */
    readonly code: number,
    readonly description: string,
  ) {
    super(`${method}: ${code} ${description}`);
  }

  /** getUpdates found nothing within its timeout: poll again. */
  get isPollTimeout(): boolean {
    return this.code === 408;
  }
}

export interface ZaloBotInfo {
  id: string;
  account_name?: string;
  account_type?: string;
  can_join_groups?: boolean;
}

interface ZaloMessage {
  message_id: string;
  /** Milliseconds since the epoch. */
  date?: number;
  text?: string;
  chat: { id: string; chat_type?: string };
  from?: { id: string; display_name?: string; first_name?: string; name?: string; is_bot?: boolean };
}

export interface ZaloUpdate {
  event_name: string;
  message?: ZaloMessage;
}

export interface ZaloBotApi {
  call<T = unknown>(
    method: string,
    body?: Record<string, unknown>,
    opts?: { signal?: AbortSignal; timeoutMs?: number },
  ): Promise<T>;
}

export function createZaloBotApi(apiRoot: string, token: string): ZaloBotApi {
  const base = `${apiRoot.replace(/\/+$/, '')}/bot${token}`;
  return {
    async call<T>(
      method: string,
      body?: Record<string, unknown>,
      opts: { signal?: AbortSignal; timeoutMs?: number } = {},
    ): Promise<T> {
      const res = await fetch(`${base}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: timeoutSignal(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.signal),
      });
      const raw = await res.text();
      let data: { ok?: unknown; result?: unknown; error_code?: unknown; description?: unknown } | undefined;
      try {
        data = JSON.parse(raw);
      } catch {
        data = undefined;
      }
      if (data && data.ok === true) return data.result as T;
      if (data && typeof data === 'object') {
        const code = Number(data.error_code ?? res.status);
        throw new ZaloBotError(method, Number.isFinite(code) ? code : res.status, String(data.description ?? ''));
      }
      throw new ZaloBotError(method, res.status, `HTTP ${res.status} ${res.statusText}`.trim());
    },
  };
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;

/** One update from a webhook body or a getUpdates result: bare `{event_name, message}` or wrapped `{ok, result}`. */
export function parseUpdate(body: unknown): ZaloUpdate | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  let b = body as Record<string, unknown>;
  // One level of {ok, result} wrapping at most: no recursion on a body that nests "result" thousands deep.
  if (typeof b.event_name !== 'string' && typeof b.result === 'object' && b.result !== null)
    b = b.result as Record<string, unknown>;
  if (typeof b.event_name !== 'string') return undefined;
  if (b.message === undefined) return { event_name: b.event_name };
  const m = b.message as Record<string, any> | null;
  const messageId = str(m?.message_id);
  const chatId = str(m?.chat?.id);
  if (!m || !messageId || !chatId) return undefined;
  // Only the fields we use, as strings: anything else in the update (nested objects included) is dropped.
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const from =
    m.from && str(m.from.id)
      ? {
          id: str(m.from.id)!,
          display_name: text(m.from.display_name),
          first_name: text(m.from.first_name),
          name: text(m.from.name),
          is_bot: m.from.is_bot === true,
        }
      : undefined;
  return {
    event_name: b.event_name,
    message: {
      message_id: messageId,
      date: typeof m.date === 'number' ? m.date : Number(m.date) || undefined,
      text: typeof m.text === 'string' ? m.text : undefined,
      chat: { id: chatId, chat_type: typeof m.chat.chat_type === 'string' ? m.chat.chat_type : undefined },
      from,
    },
  };
}

/** getUpdates answers one update; tolerate an array too. */
export function parseUpdates(result: unknown): ZaloUpdate[] {
  const items = Array.isArray(result) ? result : [result];
  return items.map(parseUpdate).filter((u): u is ZaloUpdate => u !== undefined);
}
