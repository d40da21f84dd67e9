// What the attendance dashboard shows, read from the attendance store's narrow interface and the feedback store.
import { z } from 'zod';
import {
  attendanceRate,
  type AttendanceStore,
  type ClassRecord,
  classReport,
  type ExportQuery,
  type ExportRow,
  formatDate,
  localDayEndMs,
  localDayStartMs,
  parseDateArg,
  type SessionReport,
  type SessionSummary,
} from '../attendance';
import type { FeedbackRecord, FeedbackStats, FeedbackStore } from '../chat';

const MAX_SESSIONS_SHOWN = 200;
const MAX_CHECKINS_SHOWN = 200;
const MAX_CHART_BARS = 24;
const RECENT_DAYS = 30;

export interface DashboardFilter {
  classId?: number;
  code?: string;
  /** dd/mm/yyyy, Vietnam time, inclusive (yyyy-mm-dd is accepted and shown as dd/mm/yyyy). */
  from?: string;
  to?: string;
  /** Only this trainer's classes (a signed-in trainer); unset for admins. */
  owner?: string;
}

const dateField = z
  .string()
  .trim()
  .optional()
  .transform((s) => (s ? s : undefined))
  .refine((s) => s === undefined || parseDateArg(s) !== null, 'Ngày không hợp lệ (dạng dd/mm/yyyy).')
  .transform((s) => {
    const d = s ? parseDateArg(s) : null;
    return d ? formatDate(localDayStartMs(d)) : undefined;
  });

const filterSchema = z.object({
  class: z
    .string()
    .trim()
    .optional()
    .transform((s) => (s ? s : undefined))
    .refine((s) => s === undefined || /^\d{1,9}$/.test(s), 'Lớp không hợp lệ.'),
  code: z
    .string()
    .trim()
    .optional()
    .transform((s) => (s ? s.toUpperCase() : undefined))
    .refine((s) => s === undefined || /^[A-Z0-9]{1,16}$/.test(s), 'Mã buổi không hợp lệ.'),
  from: dateField,
  to: dateField,
});

/** Parses ?class=&code=&from=&to= (all optional). */
export function parseFilter(q: Record<string, string>): { filter: DashboardFilter } | { error: string } {
  const r = filterSchema.safeParse(q);
  if (!r.success) return { error: r.error.issues[0]?.message ?? 'Bộ lọc không hợp lệ.' };
  const { class: cls, code, from, to } = r.data;
  const f: DashboardFilter = { classId: cls ? Number(cls) : undefined, code, from, to };
  const q2 = toExportQuery(f);
  if (q2.fromMs !== undefined && q2.toMs !== undefined && q2.fromMs >= q2.toMs)
    return { error: 'Ngày bắt đầu phải trước ngày kết thúc.' };
  return { filter: f };
}

function isEmptyFilter(f: DashboardFilter): boolean {
  return f.classId === undefined && !f.code && !f.from && !f.to;
}

export function toExportQuery(f: DashboardFilter): ExportQuery {
  const from = f.from ? parseDateArg(f.from) : null;
  const to = f.to ? parseDateArg(f.to) : null;
  return {
    owner: f.owner,
    classIds: f.classId !== undefined ? [f.classId] : undefined,
    code: f.code,
    fromMs: from ? localDayStartMs(from) : undefined,
    toMs: to ? localDayEndMs(to) : undefined,
  };
}

/** The same filter as a query string for links (exports keep the dashboard's filter). */
export function filterQueryString(f: DashboardFilter): string {
  const p = new URLSearchParams();
  if (f.classId !== undefined) p.set('class', String(f.classId));
  if (f.code) p.set('code', f.code);
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  const s = p.toString();
  return s ? `?${s}` : '';
}

export type SessionStatus = 'open' | 'closed' | 'expired';

interface ClassRow extends ClassRecord {
  sessions: number;
  checkins: number;
  lastOpenedAt?: number;
}

export interface DashboardData {
  filter: DashboardFilter;
  nowMs: number;
  classes: ClassRow[];
  /** Sessions matching the filter, newest first. */
  sessions: (SessionSummary & { status: SessionStatus })[];
  totalSessions: number;
  totalCheckins: number;
  openSessions: number;
  /** Check-ins matching the filter (the last RECENT_DAYS days when no filter is set), newest first. */
  checkins: ExportRow[];
  checkinsTotal: number;
  checkinsRecentOnly: boolean;
  /** Bars of the chart, oldest first: attendance rate (%) when the sessions' classes have rosters, else counts. */
  chart: { label: string; sublabel: string; value: number }[];
  chartKind: 'rate' | 'count';
  feedback: FeedbackRecord[];
  feedbackStats: FeedbackStats;
}

function sessionStatus(s: SessionSummary, nowMs: number): SessionStatus {
  if (s.closedAt !== null) return 'closed';
  return s.expiresAt <= nowMs ? 'expired' : 'open';
}

function matches(s: SessionSummary, q: ExportQuery): boolean {
  if (q.classIds && !q.classIds.includes(s.classId)) return false;
  if (q.code && s.code !== q.code) return false;
  if (q.fromMs !== undefined && s.openedAt < q.fromMs) return false;
  if (q.toMs !== undefined && s.openedAt >= q.toMs) return false;
  return true;
}

type DashboardStore = Pick<
  AttendanceStore,
  'findClasses' | 'listSessions' | 'exportRows' | 'getClass' | 'listLearners' | 'listClassCheckins'
>;

/** Session reports (present / absent against the roster) of the given sessions, one class report per class. */
async function sessionReports(store: DashboardStore, sessions: SessionSummary[]): Promise<Map<number, SessionReport>> {
  const out = new Map<number, SessionReport>();
  for (const classId of new Set(sessions.map((s) => s.classId))) {
    for (const r of (await classReport(store, classId))?.sessions ?? []) out.set(r.session.id, r);
  }
  return out;
}

export async function loadDashboard(
  store: DashboardStore,
  feedback: Pick<FeedbackStore, 'list' | 'stats'>,
  filter: DashboardFilter,
  nowMs: number,
  dayLabel: (ms: number) => string,
): Promise<DashboardData> {
  const q = toExportQuery(filter);
  const all = await store.listSessions({ owner: filter.owner });
  const classes: ClassRow[] = (await store.findClasses({ owner: filter.owner })).map((c) => ({
    ...c,
    sessions: 0,
    checkins: 0,
  }));
  const byId = new Map(classes.map((c) => [c.id, c]));
  for (const s of all) {
    const c = byId.get(s.classId);
    if (!c) continue;
    c.sessions += 1;
    c.checkins += s.checkins;
    c.lastOpenedAt = Math.max(c.lastOpenedAt ?? 0, s.openedAt);
  }
  const chosen = all.filter((s) => matches(s, q)).sort((a, b) => b.openedAt - a.openedAt || b.id - a.id);
  const recentOnly = isEmptyFilter(filter);
  const rowsQuery = recentOnly ? { owner: filter.owner, fromMs: nowMs - RECENT_DAYS * 86_400_000 } : q;
  const rows = (await store.exportRows(rowsQuery)).reverse();
  const charted = chosen.slice(0, MAX_CHART_BARS).reverse();
  const reports = await sessionReports(store, charted);
  const rated = charted.filter((s) => attendanceRate(reports.get(s.id)!) !== null);
  const chartKind = rated.length ? 'rate' : 'count';
  return {
    filter,
    nowMs,
    classes,
    sessions: chosen.slice(0, MAX_SESSIONS_SHOWN).map((s) => ({ ...s, status: sessionStatus(s, nowMs) })),
    totalSessions: chosen.length,
    totalCheckins: chosen.reduce((n, s) => n + s.checkins, 0),
    openSessions: chosen.filter((s) => sessionStatus(s, nowMs) === 'open').length,
    checkins: rows.slice(0, MAX_CHECKINS_SHOWN),
    checkinsTotal: rows.length,
    checkinsRecentOnly: recentOnly,
    chart: (chartKind === 'rate' ? rated : charted).map((s) => ({
      label: dayLabel(s.openedAt),
      sublabel: s.code,
      value: chartKind === 'rate' ? Math.round(attendanceRate(reports.get(s.id)!)! * 100) : s.checkins,
    })),
    chartKind,
    feedback: await feedback.list({ limit: 50 }),
    feedbackStats: await feedback.stats(),
  };
}
