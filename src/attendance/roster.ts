// Matching check-ins to a class roster, and what follows from it: present / late / absent per session, each
// learner's record, the learners x sessions matrix. Pure functions over what the store returns.
import { normalizePhone } from './learner';
import { cleanName, nameKey } from './text';
import type { AttendanceStore, ClassCheckin, ClassRecord, LearnerRecord, SessionSummary } from './types';

/** Check-ins a trainer adds by hand (/them, dashboard) use this channel; their user id names the learner. */
export const MANUAL_CHANNEL = 'manual';
export const manualUserId = (learnerId: number | null, name: string): string =>
  learnerId !== null ? `learner:${learnerId}` : `name:${nameKey(name)}`;

export type Mark = 'present' | 'late' | 'absent' | 'none';

interface PresentEntry {
  learner: LearnerRecord;
  checkin: ClassCheckin;
  late: boolean;
}

export interface SessionReport {
  session: SessionSummary;
  /** Learners on the roster at the session (not removed before it opened). */
  expected: LearnerRecord[];
  present: PresentEntry[];
  absent: LearnerRecord[];
  /** Check-ins matching nobody on the roster: listed, never dropped. */
  unmatched: ClassCheckin[];
  late: number;
}

export interface ClassReport {
  cls: ClassRecord;
  /** Oldest first. */
  sessions: SessionReport[];
  /** Active learners in roster order, then removed ones that have a past. */
  learners: LearnerRecord[];
  /** learner id -> one mark per session (same order as `sessions`). */
  marks: Map<number, Mark[]>;
}

const PHONE_IN_TEXT = /(?:\+?84|0)[\d .-]{8,13}\d/;

/** "Nguyễn Văn An 0912 345 678" -> name key and phone. */
export function checkinIdentity(typed: string): { key: string; phone: string | null } {
  const m = PHONE_IN_TEXT.exec(typed);
  const phone = m ? normalizePhone(m[0]) : null;
  const name = m && phone ? typed.replace(m[0], ' ') : typed;
  return { key: nameKey(cleanName(name)), phone: phone || null };
}

const isLate = (c: ClassCheckin, s: SessionSummary, graceMinutes: number): boolean =>
  c.checkedInAt > s.openedAt + graceMinutes * 60_000;

/** Who was there: trainer decisions first, then hand-added learners, then phone, then a unique name match. */
function matchSession(
  session: SessionSummary,
  learners: LearnerRecord[],
  checkins: ClassCheckin[],
  graceMinutes: number,
): SessionReport {
  const expected = learners.filter((l) => l.removedAt === null || l.removedAt > session.openedAt);
  const byId = new Map(learners.map((l) => [l.id, l]));
  const taken = new Map<number, ClassCheckin>();
  const pending: ClassCheckin[] = [];
  const unmatched: ClassCheckin[] = [];
  for (const c of checkins) {
    const manual = c.channel === MANUAL_CHANNEL ? /^learner:(\d+)$/.exec(c.userId) : null;
    const chosen = c.linkedLearnerId !== undefined ? c.linkedLearnerId : manual ? Number(manual[1]) : undefined;
    if (chosen === undefined) pending.push(c);
    else if (chosen !== null && byId.has(chosen) && !taken.has(chosen)) taken.set(chosen, c);
    else unmatched.push(c);
  }
  for (const c of pending) {
    const { key, phone } = checkinIdentity(c.name);
    const free = expected.filter((l) => !taken.has(l.id));
    const byPhone = phone ? free.filter((l) => l.phone === phone) : [];
    const byName = free.filter((l) => l.nameKey === key);
    const hit = byPhone.length === 1 ? byPhone[0] : byName.length === 1 ? byName[0] : undefined;
    if (hit) taken.set(hit.id, c);
    else unmatched.push(c);
  }
  const present = [...taken].map(([id, checkin]) => ({
    learner: byId.get(id)!,
    checkin,
    late: isLate(checkin, session, graceMinutes),
  }));
  present.sort((a, b) => a.learner.position - b.learner.position || a.learner.id - b.learner.id);
  unmatched.sort((a, b) => a.checkedInAt - b.checkedInAt || a.id - b.id);
  return {
    session,
    expected,
    present,
    absent: expected.filter((l) => !taken.has(l.id)),
    unmatched,
    late: present.filter((p) => p.late).length,
  };
}

/** The report of one class, over its sessions opened in [fromMs, toMs) when given. */
export async function classReport(
  store: Pick<AttendanceStore, 'getClass' | 'listSessions' | 'listLearners' | 'listClassCheckins'>,
  classId: number,
  range: { fromMs?: number; toMs?: number } = {},
): Promise<ClassReport | undefined> {
  const cls = await store.getClass(classId);
  if (!cls) return undefined;
  const inRange = (ms: number): boolean =>
    (range.fromMs === undefined || ms >= range.fromMs) && (range.toMs === undefined || ms < range.toMs);
  const sessions = (await store.listSessions({ classId }))
    .filter((s) => inRange(s.openedAt))
    .sort((a, b) => a.openedAt - b.openedAt || a.id - b.id);
  const all = await store.listLearners(classId, { includeRemoved: true });
  const checkins = await store.listClassCheckins(classId, range);
  const bySession = new Map<number, ClassCheckin[]>();
  for (const c of checkins) bySession.set(c.sessionId, [...(bySession.get(c.sessionId) ?? []), c]);
  const reports = sessions.map((s) => matchSession(s, all, bySession.get(s.id) ?? [], cls.graceMinutes));
  const marks = new Map<number, Mark[]>();
  for (const l of all) marks.set(l.id, []);
  for (const r of reports) {
    const state = new Map<number, Mark>();
    for (const l of r.expected) state.set(l.id, 'absent');
    for (const p of r.present) state.set(p.learner.id, p.late ? 'late' : 'present');
    for (const l of all) marks.get(l.id)!.push(state.get(l.id) ?? 'none');
  }
  // Removed learners stay in the report only when they were expected at one of these sessions.
  const learners = all.filter((l) => l.removedAt === null || marks.get(l.id)!.some((m) => m !== 'none'));
  return { cls, sessions: reports, learners, marks };
}

/** One session's report and its class: only that session's check-ins are read, not the class's history. */
export async function sessionReport(
  store: Pick<AttendanceStore, 'getClass' | 'listSessions' | 'listLearners' | 'listClassCheckins'>,
  s: { id: number; classId: number; openedAt: number },
): Promise<{ cls: ClassReport['cls']; report: SessionReport } | undefined> {
  const all = await classReport(store, s.classId, { fromMs: s.openedAt, toMs: s.openedAt + 1 });
  const report = all?.sessions.find((r) => r.session.id === s.id);
  return all && report ? { cls: all.cls, report } : undefined;
}

export interface LearnerRecordSummary {
  held: number;
  attended: number;
  late: number;
  /** openedAt of the sessions attended. */
  dates: number[];
}

export function learnerSummary(report: ClassReport, learnerId: number): LearnerRecordSummary {
  const marks = report.marks.get(learnerId) ?? [];
  const out: LearnerRecordSummary = { held: 0, attended: 0, late: 0, dates: [] };
  marks.forEach((m, i) => {
    if (m === 'none') return;
    out.held++;
    if (m === 'present' || m === 'late') {
      out.attended++;
      out.dates.push(report.sessions[i].session.openedAt);
    }
    if (m === 'late') out.late++;
  });
  return out;
}

/** Attendance rate of a session in [0, 1], or null without a roster. */
export function attendanceRate(r: SessionReport): number | null {
  return r.expected.length ? r.present.length / r.expected.length : null;
}
