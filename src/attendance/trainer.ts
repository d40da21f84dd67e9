// Trainer/admin commands: open, close, list, export.
import type { Incoming, OutFile, Outgoing, Role } from '../domain';
import { normalizeCode, pickCode } from './code';
import { CSV_MIME, XLSX_MIME, exportCsv, exportFileStem, exportXlsx } from './export';
import type { Command } from './grammar';
import { msg } from './messages';
import { classMsg } from './messages-class';
import { sessionReport } from './roster';
import { nameKey } from './text';
import { compactDate, localDayEndMs, localDayStartMs } from './time';
import { CodeTakenError, type AttendanceStore, type ExportQuery, type SessionRecord } from './types';

export interface TrainerContext {
  store: AttendanceStore;
  nowMs: number;
  msg: Incoming;
  role: Role;
}

/** Who is acting: the web console's signed-in trainer, else the platform user. */
export const ownerKey = (m: Pick<Incoming, 'channel' | 'userId' | 'signedInAs'>): string =>
  m.signedInAs ?? `${m.channel}:${m.userId}`;

export function canManage(ctx: TrainerContext, s: SessionRecord): boolean {
  const me = ownerKey(ctx.msg);
  return ctx.role === 'admin' || s.classOwner === me || s.openedBy === me;
}

export async function openSession(ctx: TrainerContext, cmd: Extract<Command, { kind: 'open' }>): Promise<Outgoing> {
  const { store, nowMs } = ctx;
  const owner = ownerKey(ctx.msg);
  const cls = await store.ensureClass(owner, cmd.className, nowMs);
  for (let attempt = 0; ; attempt++) {
    const code = await pickCode((c) => store.isCodeTaken(c));
    try {
      const session = await store.createSession({
        classId: cls.id,
        code,
        openedBy: owner,
        channel: ctx.msg.channel,
        chatId: ctx.msg.chatId,
        isGroup: ctx.msg.isGroup,
        openedAt: nowMs,
        expiresAt: nowMs + cmd.minutes * 60_000,
        capacity: cmd.capacity,
      });
      return { text: msg.opened(session, nowMs) };
    } catch (err) {
      // Another process took the code between the check and the insert: draw again.
      if (!(err instanceof CodeTakenError) || attempt >= 5) throw err;
    }
  }
}

/** Resolves the session named by a code; a reply when it cannot be used, null for "not an attendance message". */
async function sessionByCode(
  ctx: TrainerContext,
  code: string,
  explicit: boolean,
): Promise<SessionRecord | Outgoing | null> {
  const s = await ctx.store.getSessionByCode(code);
  if (!s) return explicit ? { text: msg.unknownCode(code) } : null;
  if (!canManage(ctx, s)) return { text: msg.notYours(code) };
  return s;
}

const isSession = (x: SessionRecord | Outgoing): x is SessionRecord => 'code' in x;

/** The session a /dong or /ds names by code, else the trainer's own latest one (`fallback`). */
async function targetSession(
  ctx: TrainerContext,
  cmd: { code?: string; explicit: boolean },
  fallback: () => Promise<SessionRecord | undefined>,
  none: string,
): Promise<SessionRecord | Outgoing | null> {
  if (cmd.code) return sessionByCode(ctx, cmd.code, cmd.explicit);
  return (await fallback()) ?? { text: none };
}

export async function closeSession(
  ctx: TrainerContext,
  cmd: Extract<Command, { kind: 'close' }>,
): Promise<Outgoing | null> {
  const { store, nowMs } = ctx;
  const s = await targetSession(ctx, cmd, () => store.latestOpenSession(ownerKey(ctx.msg), nowMs), msg.noOpenSession);
  if (!s || !isSession(s)) return s;
  if (s.closedAt !== null) return { text: msg.alreadyClosed(s, nowMs) };
  await store.closeSession(s.id, Math.min(nowMs, s.expiresAt));
  return { text: msg.closed(s, await store.countCheckins(s.id)) };
}

export async function listSession(
  ctx: TrainerContext,
  cmd: Extract<Command, { kind: 'list' }>,
): Promise<Outgoing | null> {
  const s = await targetSession(ctx, cmd, () => ctx.store.latestSession(ownerKey(ctx.msg)), msg.noSession);
  if (!s || !isSession(s)) return s;
  const text = msg.list(s, await ctx.store.listCheckins(s.id), ctx.nowMs);
  // With a roster, say how that compares to the class list (the names are in /vang).
  const report = (await sessionReport(ctx.store, s))?.report;
  if (!report?.expected.length) return { text };
  return { text: `${text}\n${classMsg.summary(report, ctx.nowMs)} Gửi /vang để xem ai vắng.` };
}

/** Builds the export query; an Outgoing when the request cannot be served, null when it is not ours. */
async function exportQuery(
  ctx: TrainerContext,
  cmd: Extract<Command, { kind: 'export' }>,
): Promise<{ query: ExportQuery; label: string } | Outgoing | null> {
  const owner = ctx.role === 'admin' ? undefined : ownerKey(ctx.msg);
  const query: ExportQuery = { owner };
  if (cmd.from) query.fromMs = localDayStartMs(cmd.from);
  if (cmd.to) query.toMs = localDayEndMs(cmd.to);
  let label = '';
  if (cmd.target) {
    const code = normalizeCode(cmd.target);
    const session = code ? await ctx.store.getSessionByCode(code) : undefined;
    if (session) {
      if (!canManage(ctx, session)) return { text: msg.notYours(session.code) };
      query.code = session.code;
      label = `${session.className}, mã ${session.code}`;
    } else {
      const key = nameKey(cmd.target);
      let classes = await ctx.store.findClasses({ owner, nameKey: key });
      if (classes.length === 0) classes = await ctx.store.findClasses({ owner, nameContains: key });
      if (classes.length === 0) {
        if (!cmd.explicit) return null;
        return { text: code && /\d/.test(code) ? msg.unknownCode(code) : msg.classNotFound(cmd.target) };
      }
      query.classIds = classes.map((c) => c.id);
      label = [...new Set(classes.map((c) => c.name))].join('; ');
    }
  }
  return { query, label };
}

export async function exportSessions(
  ctx: TrainerContext,
  cmd: Extract<Command, { kind: 'export' }>,
): Promise<Outgoing | null> {
  const q = await exportQuery(ctx, cmd);
  if (!q || !('query' in q)) return q;
  const rows = await ctx.store.exportRows(q.query);
  if (rows.length === 0) return { text: msg.exportEmpty };
  const stem = exportFileStem(q.query.code ?? (q.label || 'tat-ca'), compactDate(ctx.nowMs));
  const files: OutFile[] = [
    { filename: `${stem}.csv`, mimeType: CSV_MIME, data: exportCsv(rows) },
    { filename: `${stem}.xlsx`, mimeType: XLSX_MIME, data: await exportXlsx(rows) },
  ];
  const sessions = new Set(rows.map((r) => r.sessionCode)).size;
  return { text: msg.exportDone(rows.length, sessions, q.label), files };
}
