// /admin: attendance dashboard, exports and feedback log, behind ADMIN_TOKEN (or localhost only without it).
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { CSV_MIME, exportCsv, exportFileStem, exportXlsx, XLSX_MIME } from '../attendance/export';
import { compactDate, formatDate } from '../attendance/time';
import type { AttendanceStore } from '../attendance/types';
import type { FeedbackStore } from '../chat/feedback';
import { adminAccess, AdminSessions, COOKIE_NAME, isHttps, tokenMatches } from './admin-auth';
import { clientKey } from './client-address';
import type { LoginLockoutStore } from './login-lockout';
import { MemoryLoginLockout } from './login-lockout-memory';
import { dashboardPage, forbiddenPage, loginPage } from './admin-page';
import { loadDashboard, parseFilter, toExportQuery, type DashboardFilter } from './dashboard-data';
import { contentDisposition } from './file-store';
import type { AppEnv } from './types';

export interface AdminDeps {
  adminToken?: string;
  store: Pick<AttendanceStore, 'findClasses' | 'listSessions' | 'exportRows'>;
  feedback: Pick<FeedbackStore, 'list' | 'stats'>;
  now?: () => Date;
  /** TRUST_PROXY (see client-address.ts). */
  trustProxy?: number;
  /** Failed-login counters (default: in memory). */
  lockout?: LoginLockoutStore;
}

const OPEN_PATHS = new Set(['/admin/login', '/admin/logout']);

function lockedMessage(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return `Bạn đã nhập sai nhiều lần. Vui lòng thử lại sau ${s < 120 ? `${s} giây` : `${Math.ceil(s / 60)} phút`}.`;
}

export function adminRoutes(d: AdminDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const now = d.now ?? (() => new Date());
  const sessions = d.adminToken ? new AdminSessions(d.adminToken) : undefined;
  const lockout = d.lockout ?? new MemoryLoginLockout();
  const trustProxy = d.trustProxy ?? 0;

  const guard = async (c: Context<AppEnv>, next: () => Promise<void>) => {
    c.header('Cache-Control', 'no-store');
    if (OPEN_PATHS.has(c.req.path)) return next();
    const access = adminAccess(c, sessions, trustProxy);
    if (access.ok) return next();
    if (access.reason === 'not-local') return c.html(forbiddenPage().value, 403);
    if (c.req.path === '/admin' || c.req.path === '/admin/') return c.redirect('/admin/login', 302);
    return c.text('Cần đăng nhập quản trị.', 401);
  };
  app.use('/admin', guard);
  app.use('/admin/*', guard);

  app.get('/admin/login', (c) => {
    if (!sessions || sessions.verify(getCookie(c, COOKIE_NAME))) return c.redirect('/admin', 302);
    return c.html(loginPage().value);
  });

  app.post('/admin/login', bodyLimit({ maxSize: 4096, onError: (c) => c.text('Yêu cầu quá lớn.', 413) }), async (c) => {
    if (!sessions || !d.adminToken) return c.redirect('/admin', 303);
    const addr = clientKey(c, trustProxy) ?? 'unknown';
    const nowMs = now().getTime();
    const locked = lockout.lockedFor(addr, nowMs);
    if (locked > 0) return c.html(loginPage(lockedMessage(locked)).value, 429, { 'Retry-After': String(Math.ceil(locked / 1000)) });
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const token = typeof form.token === 'string' ? form.token : '';
    if (!token || !tokenMatches(token, d.adminToken)) {
      const lock = lockout.fail(addr, nowMs);
      return c.html(loginPage(lock > 0 ? `Mã quản trị không đúng. ${lockedMessage(lock)}` : 'Mã quản trị không đúng.').value, 401);
    }
    lockout.succeed(addr);
    const s = sessions.issue();
    setCookie(c, COOKIE_NAME, s.value, { httpOnly: true, sameSite: 'Strict', path: '/admin', maxAge: s.maxAgeSeconds, secure: isHttps(c, trustProxy) });
    return c.redirect('/admin', 303);
  });

  app.post('/admin/logout', (c) => {
    sessions?.revoke(getCookie(c, COOKIE_NAME));
    deleteCookie(c, COOKIE_NAME, { path: '/admin' });
    return c.redirect(sessions ? '/admin/login' : '/', 303);
  });

  app.get('/admin', (c) => {
    const parsed = parseFilter(c.req.query());
    const filter: DashboardFilter = 'filter' in parsed ? parsed.filter : {};
    const data = loadDashboard(d.store, d.feedback, filter, now().getTime(), (ms) => formatDate(ms).slice(0, 5));
    const page = dashboardPage(data, { canLogout: Boolean(sessions), error: 'error' in parsed ? parsed.error : undefined });
    return c.html(page.value, 'error' in parsed ? 400 : 200);
  });

  const exportRoute = (kind: 'csv' | 'xlsx') => async (c: Context<AppEnv>) => {
    const parsed = parseFilter(c.req.query());
    if ('error' in parsed) return c.text(parsed.error, 400);
    const f = parsed.filter;
    const rows = d.store.exportRows(toExportQuery(f));
    const label = f.code ?? (f.classId !== undefined ? (d.store.findClasses({}).find((x) => x.id === f.classId)?.name ?? '') : 'tat-ca');
    const filename = `${exportFileStem(label, compactDate(now().getTime()))}.${kind}`;
    const data = kind === 'csv' ? exportCsv(rows) : await exportXlsx(rows);
    return c.body(new Uint8Array(data), 200, {
      'Content-Type': kind === 'csv' ? CSV_MIME : XLSX_MIME,
      'Content-Disposition': contentDisposition(filename),
    });
  };
  app.get('/admin/export.csv', exportRoute('csv'));
  app.get('/admin/export.xlsx', exportRoute('xlsx'));
  return app;
}
