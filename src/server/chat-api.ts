// POST /api/chat: the web console's channel. One request = one Incoming; the replies are merged into one JSON.
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import {
  type Button,
  type Citation,
  formatCitation,
  type Incoming,
  locator,
  type Outgoing,
  validityTag,
} from '../domain';
import { actionSchema, type ChatCore } from '../chat';
import { MAX_NAME_CHARS } from '../attendance';
import { clientKey } from './client-address';
import { contentDisposition, type ExportFileStore, FILE_TTL_MS, FileStore } from './file-store';
import type { AppEnv } from './types';

const MAX_BODY_BYTES = 32 * 1024;

const apiErrors = {
  json: 'Yêu cầu không hợp lệ: nội dung phải là JSON.',
  contentType: 'Yêu cầu không hợp lệ: cần gửi nội dung JSON (Content-Type: application/json).',
  tooLarge: 'Yêu cầu quá lớn.',
  session: 'Thiếu mã phiên (sessionId) hoặc mã phiên không hợp lệ.',
  empty: 'Hãy nhập câu hỏi.',
  tooLong: (max: number) => `Câu hỏi quá dài (tối đa ${max} ký tự). Bạn hãy hỏi ngắn gọn, mỗi lần một ý.`,
  callback: 'Dữ liệu nút bấm không hợp lệ.',
  both: 'Chỉ gửi câu hỏi hoặc nút bấm, không gửi cả hai.',
  messageId: 'Mã tin nhắn (messageId) không hợp lệ.',
  userName: `Họ tên quá dài (tối đa ${MAX_NAME_CHARS} ký tự).`,
  fileGone: `Tệp không còn nữa (liên kết chỉ dùng được trong ${FILE_TTL_MS / 60_000} phút). Hãy xuất lại.`,
};

interface WebCitation {
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
  /** The [n] an LLM answer uses for this source, so the list can be numbered the same way. */
  ref?: number;
  /** "Chương IV, Mục 2" / "Phần V, C": where the article or appendix item sits. */
  chapter?: string;
  /** Validity when the document is not simply in force today ("hết hiệu lực từ 01/3/2025"); absent otherwise. */
  status?: string;
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
  prompt?: Outgoing['prompt'];
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
    chapter: c.chapter,
    status: validityTag(c) || undefined,
  };
}

/**
 * The console lists an answer's sources itself, so the "Nguồn:" block that ends the text of an answer with
 * citations (for chat apps) is cut off; an LLM answer's "[n] label" lines give each source its [n].
 */
function splitSources(text: string): { body: string; refs: Map<string, number> } {
  const at = text.lastIndexOf('\n\nNguồn:');
  if (at < 0) return { body: text, refs: new Map() };
  const refs = new Map<string, number>();
  for (const m of text.slice(at).matchAll(/^\[(\d{1,2})\] (.+)$/gmu)) refs.set(m[2].trim(), Number(m[1]));
  return { body: text.slice(0, at).trimEnd(), refs };
}

/** Several Outgoing → one reply: texts joined by blank lines, citations (distinct) and buttons concatenated. */
export async function mergeReplies(out: Outgoing[], files: ExportFileStore): Promise<ChatReply> {
  const texts: string[] = [];
  const reply: ChatReply = { text: '', citations: [], buttons: [] };
  const seen = new Set<string>();
  for (const o of out) {
    const { body, refs } = o.citations?.length
      ? splitSources(o.text)
      : { body: o.text, refs: new Map<string, number>() };
    if (body) texts.push(body);
    for (const c of o.citations ?? []) {
      const w = webCitation(c);
      if (seen.has(w.label)) continue;
      seen.add(w.label);
      const ref = refs.get(w.label);
      reply.citations.push(ref !== undefined ? { ...w, ref } : w);
    }
    if (o.prompt) reply.prompt ??= o.prompt;
    if (o.buttons) reply.buttons.push(...o.buttons);
    reply.mode ??= o.mode;
    reply.answerId ??= o.answerId;
    if (o.notice) reply.notice ??= o.notice;
    if (o.editButtons) reply.editButtons ??= o.editButtons;
    for (const f of o.files ?? []) {
      const id = await files.put(f);
      (reply.files ??= []).push({ filename: f.filename, url: `/api/files/${id}/${encodeURIComponent(f.filename)}` });
    }
  }
  reply.text = texts.join('\n\n');
  return reply;
}

function requestSchema(maxChars: number) {
  return z
    .object({
      sessionId: z.string({ error: apiErrors.session }).regex(/^[A-Za-z0-9_-]{8,64}$/, apiErrors.session),
      text: z.string({ error: apiErrors.empty }).max(maxChars, apiErrors.tooLong(maxChars)).optional(),
      /** The action of the tapped button, as the console received it. */
      action: z.unknown().optional(),
      messageId: z
        .string({ error: apiErrors.messageId })
        .regex(/^[A-Za-z0-9_-]{1,64}$/, apiErrors.messageId)
        .optional(),
      /** The name this browser remembers (asked once at the first check-in). */
      userName: z.string({ error: apiErrors.userName }).max(MAX_NAME_CHARS, apiErrors.userName).optional(),
    })
    .superRefine((v, ctx) => {
      if (v.action !== undefined && v.text !== undefined) ctx.addIssue({ code: 'custom', message: apiErrors.both });
      else if (v.action === undefined && !v.text?.trim()) ctx.addIssue({ code: 'custom', message: apiErrors.empty });
      else if (v.action !== undefined && !actionSchema.safeParse(v.action).success)
        ctx.addIssue({ code: 'custom', message: apiErrors.callback });
    });
}

interface ChatApiDeps {
  core: ChatCore;
  /** Longest accepted text (longer questions are refused with 400; the core itself truncates above its own limit). */
  maxChars: number;
  files?: ExportFileStore;
  /** The signed-in trainer behind the request's cookie, if any ("telegram:123"), and their display name. */
  signedIn?: (c: Context<AppEnv>) => Promise<{ identity: string; role: string; name?: string } | undefined>;
  /** TRUST_PROXY: how the client address is found (see client-address.ts). */
  trustProxy?: number;
}

/** application/json, optionally with parameters ("; charset=utf-8"). A form or text/plain body is refused. */
const isJson = (contentType: string | undefined): boolean =>
  /^application\/json\s*(;|$)/i.test(contentType?.trim() ?? '');

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
      const { sessionId, text, action, messageId, userName } = parsed.data;
      const incoming: Incoming = {
        channel: 'web',
        chatId: sessionId,
        userId: sessionId,
        // No profile name on the web: a check-in without a typed name asks for one (the console remembers it).
        userName: userName?.trim() ?? '',
        signedInAs: (await d.signedIn?.(c))?.identity,
        text: text ?? '',
        isGroup: false,
        messageId: messageId ?? randomUUID(),
        oneDelivery: messageId === undefined,
        kind: 'text',
        action: action === undefined ? undefined : actionSchema.parse(action),
        clientAddress: clientKey(c, d.trustProxy ?? 0),
      };
      const out = await d.core.handle(incoming);
      c.header('Cache-Control', 'no-store');
      return c.json(await mergeReplies(out, files));
    },
  );

  // Who the console is talking as: shown in its header ("Giảng viên …") so a trainer knows the sign-in worked.
  app.get('/api/me', async (c) => {
    c.header('Cache-Control', 'no-store');
    const me = await d.signedIn?.(c);
    return c.json(me ? { signedIn: true, ...me } : { signedIn: false });
  });

  app.get('/api/files/:id/:name?', async (c) => {
    const f = await files.get(c.req.param('id'));
    if (!f) return c.json({ error: apiErrors.fileGone }, 404);
    return c.body(new Uint8Array(f.data), 200, {
      'Content-Type': f.mimeType,
      'Content-Disposition': contentDisposition(f.filename),
      'Cache-Control': 'no-store',
    });
  });
  return app;
}
