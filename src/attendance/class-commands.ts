// Handlers of the class-running commands (see grammar-class.ts): identity, web sign-in code, absent list,
// late learners added by hand, and the roster commands.
import type { Outgoing } from '../domain';
import type { ClassAction, ClassCommand } from './grammar-class';
import { compatible, learnerFields } from './learner';
import { classMsg } from './messages-class';
import { msg } from './messages';
import {
  checkinIdentity,
  classReport,
  learnerSummary,
  MANUAL_CHANNEL,
  manualUserId,
  sessionReport,
  type ClassReport,
  type SessionReport,
} from './roster';
import { issueSignInCode } from './sign-in';
import { cleanName, nameKey } from './text';
import { formatHmMaybeDate } from './time';
import { canManage, ownerKey, type TrainerContext } from './trainer';
import type { ClassRecord, LearnerRecord, NewLearner, SessionRecord } from './types';

export function identityReply(ctx: TrainerContext, cmd: Extract<ClassCommand, { kind: 'identity' }>): Outgoing | null {
  if (!cmd.explicit && ctx.msg.isGroup) return null;
  const web = ctx.msg.channel === 'web' && !ctx.msg.signedInAs;
  return { text: classMsg.identity(ownerKey(ctx.msg), ctx.role, web) };
}

export async function signInReply(ctx: TrainerContext, loginUrl: string): Promise<Outgoing> {
  if (ctx.msg.isGroup) return { text: classMsg.signInPrivateOnly };
  if (ctx.msg.channel === 'web') return { text: classMsg.signInFromWeb };
  const code = await issueSignInCode(ctx.store, ownerKey(ctx.msg), ctx.nowMs);
  return { text: classMsg.signInCode(code, loginUrl) };
}

/** The session a /vang or /them is about: the one named by code, else the trainer's open one, else their last one. */
async function currentSession(ctx: TrainerContext, code?: string): Promise<SessionRecord | Outgoing> {
  if (code) {
    const s = await ctx.store.getSessionByCode(code);
    if (!s) return { text: msg.unknownCode(code) };
    return canManage(ctx, s) ? s : { text: msg.notYours(code) };
  }
  const me = ownerKey(ctx.msg);
  return (
    (await ctx.store.latestOpenSession(me, ctx.nowMs)) ?? (await ctx.store.latestSession(me)) ?? { text: msg.noSession }
  );
}

const isSession = (x: SessionRecord | Outgoing): x is SessionRecord => 'code' in x;

async function reportOf(
  ctx: TrainerContext,
  s: SessionRecord,
): Promise<{ cls: ClassReport['cls']; report: SessionReport }> {
  return (await sessionReport(ctx.store, s))!;
}

export async function absentReply(
  ctx: TrainerContext,
  cmd: Extract<ClassCommand, { kind: 'absent' }>,
): Promise<Outgoing | null> {
  if (!cmd.explicit && ctx.msg.isGroup) return null;
  const s = await currentSession(ctx, cmd.code);
  if (!isSession(s)) return s;
  const { cls, report: r } = await reportOf(ctx, s);
  if (r.expected.length === 0) return { text: classMsg.noRoster(cls) };
  return { text: classMsg.absent(r, ctx.nowMs) };
}

/** Finds a roster learner for a typed name (phone first, then a unique name). */
function findLearner(learners: LearnerRecord[], typed: string): LearnerRecord | undefined {
  const { key, phone } = checkinIdentity(typed);
  const byPhone = phone ? learners.filter((l) => l.phone === phone) : [];
  if (byPhone.length === 1) return byPhone[0];
  const byName = learners.filter((l) => l.nameKey === key);
  return byName.length === 1 ? byName[0] : undefined;
}

export async function addLate(
  ctx: TrainerContext,
  cmd: Extract<ClassCommand, { kind: 'add-late' }>,
): Promise<Outgoing> {
  const names = cmd.names.filter(Boolean);
  if (names.length === 0) return { text: classMsg.addLateUsage };
  const s = await currentSession(ctx);
  if (!isSession(s)) return s;
  const lines: string[] = [];
  for (const typed of names) {
    const { cls, report: r } = await reportOf(ctx, s);
    const learner = findLearner(r.expected, typed);
    const already = learner && r.present.find((p) => p.learner.id === learner.id);
    if (already) {
      lines.push(classMsg.alreadyPresent(learner.name, formatHmMaybeDate(already.checkin.checkedInAt, ctx.nowMs)));
      continue;
    }
    const name = learner?.name ?? cleanName(typed);
    const out = await ctx.store.checkIn({
      sessionId: s.id,
      channel: MANUAL_CHANNEL,
      userId: manualUserId(learner?.id ?? null, name),
      name,
      nameGiven: true,
      at: ctx.nowMs,
      messageId: ctx.msg.messageId || null,
    });
    if (out.kind === 'full') lines.push(classMsg.sessionFullLine(name, out.capacity));
    else if (out.kind === 'repeat')
      lines.push(classMsg.alreadyPresent(name, formatHmMaybeDate(out.checkin.checkedInAt, ctx.nowMs)));
    else {
      const late = out.checkin.checkedInAt > s.openedAt + cls.graceMinutes * 60_000;
      const at = formatHmMaybeDate(out.checkin.checkedInAt, ctx.nowMs);
      lines.push(classMsg.addedLine(name, at, late, learner !== undefined, r.expected.length > 0));
    }
  }
  return { text: classMsg.addedLate(s, lines) };
}

/** The trainer's class named `name` (exact folded name, else the only partial match); admins see every class. */
async function resolveClass(ctx: TrainerContext, name: string, create: boolean): Promise<ClassRecord | Outgoing> {
  const owner = ctx.role === 'admin' ? undefined : ownerKey(ctx.msg);
  const key = nameKey(name);
  let found = await ctx.store.findClasses({ owner, nameKey: key });
  if (found.length === 0) found = await ctx.store.findClasses({ owner, nameContains: key });
  if (found.length === 1) return found[0];
  if (found.length > 1) {
    const mine = found.filter((c) => c.owner === ownerKey(ctx.msg));
    if (mine.length === 1) return mine[0];
    return { text: classMsg.classAmbiguous(found.map((c) => c.name)) };
  }
  if (create && name) return await ctx.store.ensureClass(ownerKey(ctx.msg), name, ctx.nowMs);
  return { text: classMsg.classNotFound(name) };
}

const isClass = (x: ClassRecord | Outgoing): x is ClassRecord => 'nameKey' in x;

/** A learner by roster number ("3") or name. */
function pickLearner(learners: LearnerRecord[], target: string): LearnerRecord | Outgoing {
  const n = /^\d{1,5}$/.test(target) ? Number(target) : null;
  const hits =
    n !== null ? learners.filter((l) => l.position === n) : learners.filter((l) => l.nameKey === nameKey(target));
  if (hits.length === 1) return hits[0];
  return { text: hits.length ? classMsg.learnerAmbiguous(target) : classMsg.learnerNotFound(target) };
}

/** "Nguyễn Văn An, 0912345678, 03/05/1970, Thôn 3": the name first, the others recognised by their shape. */
function parseLearnerEntry(entry: string): ReturnType<typeof learnerFields> {
  const [name = '', ...rest] = entry.split(',').map((p) => p.trim());
  const raw = { name, phone: '', birthDate: '', village: '' };
  const village: string[] = [];
  for (const p of rest) {
    if (/^(\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{1,2}-\d{1,2}|\d{4})$/.test(p) && !raw.birthDate) raw.birthDate = p;
    // Anything starting with a digit or "+" is meant as a phone ("Thôn 3", "Tổ 12" start with a letter).
    else if (/^[+\d]/.test(p) && !raw.phone) raw.phone = p;
    else village.push(p);
  }
  raw.village = village.join(', ');
  return learnerFields(raw);
}

async function addLearners(ctx: TrainerContext, cls: ClassRecord, entries: string[]): Promise<Outgoing> {
  if (entries.length === 0) return { text: classMsg.addUsage(cls.name) };
  const existing = await ctx.store.listLearners(cls.id);
  const rows: NewLearner[] = [];
  for (const entry of entries) {
    const parsed = parseLearnerEntry(entry);
    if ('error' in parsed) return { text: classMsg.learnerError(entry, parsed.error) };
    const l = parsed.learner;
    const same = (o: { name: string; phone: string | null; birthDate: string | null }): boolean =>
      (l.phone !== null && o.phone === l.phone) ||
      (nameKey(o.name) === nameKey(l.name) && compatible(o.phone, l.phone) && compatible(o.birthDate, l.birthDate));
    if (existing.some(same) || rows.some(same)) return { text: classMsg.learnerDuplicate(entry) };
    rows.push(l);
  }
  const added = await ctx.store.addLearners(cls.id, rows, ctx.nowMs);
  return { text: classMsg.added(cls, added, existing.length + added.length) };
}

export async function classCommand(ctx: TrainerContext, action: ClassAction): Promise<Outgoing> {
  if (action.kind === 'list') {
    const owner = ctx.role === 'admin' ? undefined : ownerKey(ctx.msg);
    const classes = await ctx.store.findClasses({ owner });
    if (classes.length === 0) return { text: classMsg.noClasses };
    const sessions = await ctx.store.listSessions({ owner });
    const rows = [];
    for (const cls of classes) {
      rows.push({
        cls,
        learners: (await ctx.store.listLearners(cls.id)).length,
        sessions: sessions.filter((s) => s.classId === cls.id).length,
      });
    }
    return { text: classMsg.classes(rows) };
  }
  const cls = await resolveClass(ctx, action.className, action.kind === 'add');
  if (!isClass(cls)) return cls;
  switch (action.kind) {
    case 'add':
      return addLearners(ctx, cls, action.entries);
    case 'grace':
      if (action.minutes === null) return { text: classMsg.graceUsage };
      await ctx.store.setGraceMinutes(cls.id, action.minutes);
      return { text: classMsg.graceSet(cls, action.minutes) };
    case 'remove': {
      const l = pickLearner(await ctx.store.listLearners(cls.id), action.target);
      if ('text' in l) return l;
      await ctx.store.removeLearner(l.id, ctx.nowMs);
      return { text: classMsg.removed(cls, l) };
    }
    case 'learner': {
      const report = (await classReport(ctx.store, cls.id))!;
      const l = pickLearner(
        report.learners.filter((x) => x.removedAt === null),
        action.target,
      );
      if ('text' in l) return l;
      const marks = report.marks.get(l.id) ?? [];
      const absentDates = report.sessions.filter((_, i) => marks[i] === 'absent').map((r) => r.session.openedAt);
      return { text: classMsg.learnerRecord(l, learnerSummary(report, l.id), absentDates) };
    }
    case 'show': {
      const report = (await classReport(ctx.store, cls.id))!;
      const rows = report.learners
        .filter((l) => l.removedAt === null)
        .map((learner) => ({ learner, sum: learnerSummary(report, learner.id) }));
      return { text: classMsg.roster(report.cls, rows, report.sessions.length) };
    }
  }
}
