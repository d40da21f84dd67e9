// POST /api/chat: the web console's channel. One request = one Incoming; the replies are merged into one JSON.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { formatCitation, locator } from '../answer/cite';
import type { ChatCore } from '../chat/core';
import type { Button, Incoming, Outgoing } from '../chat/types';
import type { Citation } from '../search/types';
import { clientKey } from './client-address';
import { contentDisposition, FileStore } from './file-store';
import type { AppEnv } from './types';

export const WEB_USER_NAME = 'Khách';
const MAX_BODY_BYTES = 32 * 1024;

export const apiErrors = {
  json: 'Yêu cầu không hợp lệ: nội dung phải là JSON.',
  contentType: 'Yêu cầu không hợp lệ: cần gửi nội dung JSON (Content-Type: application/json).',
  tooLarge: 'Yêu cầu quá lớn.',
  session: 'Thiếu mã phiên (sessionId) hoặc mã phiên không hợp lệ.',
  empty: 'Hãy nhập câu hỏi.',
  tooLong: (max: number) => `Câu hỏi quá dài (tối đa ${max} ký tự). Bạn hãy hỏi ngắn gọn, mỗi lần một ý.`,
  callback: 'Dữ liệu nút bấm không hợp lệ.',
  both: 'Chỉ gửi câu hỏi hoặc nút bấm, không gửi cả hai.',
  messageId: 'Mã tin nhắn (messageId) không hợp lệ.',
  fileGone: 'Tệp không còn nữa (liên kết chỉ dùng được trong 10 phút). Hãy xuất lại.',
};

export interface WebCitation {
  title: string;
  docNumber?: string;
  article?: string;
  clause?: string;
  section?: string;
  page?: number;
  kind: string;
  url?: string;
  /** Legal basis of a procedure (document numbers). */
  basis?: string[];
  /** One-line Vietnamese citation ("Thủ tục "…" — mục Lệ phí"). */
  label: string;
  /** "Điều 4, khoản 2" or "mục Lệ phí". */
  where: string;
}

export interface ChatReply {
  text: string;
  citations: WebCitation[];
  mode?: Outgoing['mode'];
  answerId?: string;
  buttons: Button[][];
  notice?: string;
  editButtons?: Button[][];
  files?: { filename: string; url: string }[];
}

const safeUrl = (u: string | undefined): string | undefined => (u && /^https?:\/\//i.test(u) ? u : undefined);

export function webCitation(c: Citation): WebCitation {
  return {
    title: c.title,
    docNumber: c.docNumber,
    article: c.article,
    clause: c.clause,
    section: c.section,
    page: c.page,
    kind: c.kind,
    url: safeUrl(c.url),
    basis: c.basis?.slice(0, 6),
    label: formatCitation(c),
    where: locator(c),
  };
}

/** Several Outgoing → one reply: texts joined by blank lines, citations (distinct) and buttons concatenated. */
export function mergeReplies(out: Outgoing[], files: FileStore): ChatReply {
  const reply: ChatReply = { text: out.map((o) => o.text).filter(Boolean).join('\n\n'), citations: [], buttons: [] };
  const seen = new Set<string>();
  for (const o of out) {
    for (const c of o.citations ?? []) {
      const w = webCitation(c);
      if (seen.has(w.label)) continue;
      seen.add(w.label);
      reply.citations.push(w);
    }
    if (o.buttons) reply.buttons.push(...o.buttons);
    reply.mode ??= o.mode;
    reply.answerId ??= o.answerId;
    if (o.notice) reply.notice ??= o.notice;
    if (o.editButtons) reply.editButtons ??= o.editButtons;
    for (const f of o.files ?? []) {
      const id = files.put(f);
      (reply.files ??= []).push({ filename: f.filename, url: `/api/files/${id}/${encodeURIComponent(f.filename)}` });
    }
  }
  return reply;
}

function requestSchema(maxChars: number) {
  return z
    .object({
      sessionId: z.string({ error: apiErrors.session }).regex(/^[A-Za-z0-9_-]{8,64}$/, apiErrors.session),
      text: z.string({ error: apiErrors.empty }).max(maxChars, apiErrors.tooLong(maxChars)).optional(),
      callbackData: z.string({ error: apiErrors.callback }).min(1, apiErrors.callback).max(64, apiErrors.callback).optional(),
      messageId: z.string({ error: apiErrors.messageId }).regex(/^[A-Za-z0-9_-]{1,64}$/, apiErrors.messageId).optional(),
    })
    .superRefine((v, ctx) => {
      if (v.callbackData !== undefined && v.text !== undefined) ctx.addIssue({ code: 'custom', message: apiErrors.both });
      else if (v.callbackData === undefined && !v.text?.trim()) ctx.addIssue({ code: 'custom', message: apiErrors.empty });
    });
}

export interface ChatApiDeps {
  core: ChatCore;
  /** Longest accepted text (longer questions are refused with 400; the core itself truncates above its own limit). */
  maxChars: number;
  files?: FileStore;
  /** TRUST_PROXY: how the client address is found (see client-address.ts). */
  trustProxy?: number;
}

/** application/json, optionally with parameters ("; charset=utf-8"). A form or text/plain body is refused. */
const isJson = (contentType: string | undefined): boolean => /^application\/json\s*(;|$)/i.test(contentType?.trim() ?? '');

export function chatApiRoutes(d: ChatApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const files = d.files ?? new FileStore();
  const schema = requestSchema(d.maxChars);

  app.post(
    '/api/chat',
    // A cross-site form can post text/plain or form-encoded bodies without a CORS preflight; JSON cannot.
    async (c, next) => (isJson(c.req.header('content-type')) ? next() : c.json({ error: apiErrors.contentType }, 415)),
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: apiErrors.tooLarge }, 413) }),
    async (c) => {
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        return c.json({ error: apiErrors.json }, 400);
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) return c.json({ error: parsed.error.issues[0]?.message ?? apiErrors.json }, 400);
      const { sessionId, text, callbackData, messageId } = parsed.data;
      const incoming: Incoming = {
        channel: 'web',
        chatId: sessionId,
        userId: sessionId,
        userName: WEB_USER_NAME,
        text: text ?? '',
        isGroup: false,
        messageId: messageId ?? randomUUID(),
        kind: 'text',
        callbackData,
        clientAddress: clientKey(c, d.trustProxy ?? 0),
      };
      const out = await d.core.handle(incoming);
      c.header('Cache-Control', 'no-store');
      return c.json(mergeReplies(out, files));
    },
  );

  app.get('/api/files/:id/:name?', (c) => {
    const f = files.get(c.req.param('id'));
    if (!f) return c.json({ error: apiErrors.fileGone }, 404);
    return c.body(new Uint8Array(f.data), 200, {
      'Content-Type': f.mimeType,
      'Content-Disposition': contentDisposition(f.filename),
      'Cache-Control': 'no-store',
    });
  });
  return app;
}
