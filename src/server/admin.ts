// /admin: attendance dashboard, class rosters, reports and exports. Admins get in with ADMIN_TOKEN (or from
// localhost without it) and see everything; trainers sign in with a one-time code from the bot and see their classes.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import {
  type AttendanceStore,
  compactDate,
  CSV_MIME,
  endWebSession,
  exportCsv,
  exportFileStem,
  exportXlsx,
  formatDate,
  redeemSignInCode,
  startWebSession,
  XLSX_MIME,
} from '../attendance';
import type { FeedbackStore } from '../chat';
import type { CorpusManager } from '../corpus';
import type { GapStore } from '../gaps';
import { type LoginLockoutStore, MemoryLoginLockout } from '../infra';
import { classRoutes } from './admin-class';
import { documentRoutes } from './admin-documents';
import { questionRoutes } from './admin-questions';
import { CsrfTokens } from './csrf';
import { adminAccess, AdminSessions, COOKIE_NAME, isHttps, tokenMatches } from './admin-auth';
import { clientKey } from './client-address';
import { type AdminSessionStore, MemoryAdminSessionStore } from './admin-session-store';
import { dashboardPage, forbiddenPage, loginPage } from './admin-page';
import { trainerRoutes } from './admin-trainers';
import { loadDashboard, parseFilter, toExportQuery, type DashboardFilter } from './dashboard-data';
import { contentDisposition } from './file-store';
import { ownerScope, signedInViewer, TRAINER_COOKIE, type RoleConfig } from './trainer-auth';
import type { AppEnv } from './types';

interface AdminDeps {
  adminToken?: string;
  roles: RoleConfig;
  store: AttendanceStore;
  feedback: Pick<FeedbackStore, 'list' | 'stats'>;
  now?: () => Date;
  /** TRUST_PROXY (see client-address.ts). */
  trustProxy?: number;
  /** Failed-login counters of ADMIN_TOKEN (default: in memory). */
  lockout?: LoginLockoutStore;
  /** Failed-login counters of trainers' one-time sign-in codes (default: in memory). */
  codeLockout?: LoginLockoutStore;
  /** Signing secret and revocations of admin sessions (default: in memory, per process). */
  adminSessions?: AdminSessionStore;
  /** The documents page and API (absent: not mounted). */
  corpus?: CorpusManager;
  /** The report of unanswered questions (absent: not mounted). */
  gaps?: GapStore;
}

const OPEN_PATHS = new Set(['/admin/login', '/admin/login/code', '/admin/logout']);
const LOGIN_BODY = bodyLimit({ maxSize: 4096, onError: (c) => c.text('Yêu cầu quá lớn.', 413) });

function lockedMessage(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return `Bạn đã nhập sai nhiều lần. Vui lòng thử lại sau ${s < 120 ? `${s} giây` : `${Math.ceil(s / 60)} phút`}.`;
}

export function adminRoutes(d: AdminDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const now = d.now ?? (() => new Date());
  const sessionStore = d.adminSessions ?? new MemoryAdminSessionStore();
  const sessions = d.adminToken ? new AdminSessions(d.adminToken, sessionStore) : undefined;
  const lockout = d.lockout ?? new MemoryLoginLockout();
  // Sign-in codes have their own counters: a trainer's typos never lock the admin out, nor the reverse.
  const codeLockout = d.codeLockout ?? new MemoryLoginLockout();
  const trustProxy = d.trustProxy ?? 0;
  const login = (error?: string) => loginPage({ adminToken: Boolean(d.adminToken), error });
  const lockedPage = (c: Context<AppEnv>, ms: number) =>
    c.html(login(lockedMessage(ms)), 429, { 'Retry-After': String(Math.ceil(ms / 1000)) });

  const guard = async (c: Context<AppEnv>, next: () => Promise<void>) => {
    c.header('Cache-Control', 'no-store');
    if (OPEN_PATHS.has(c.req.path)) return next();
    const api = c.req.path.startsWith('/admin/api/');
    // Scripts: `Authorization: Bearer ADMIN_TOKEN` on the JSON API; a wrong token counts as a failed login.
    const bearer = api ? /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1] : undefined;
    if (bearer !== undefined) {
      if (!d.adminToken)
        return c.json({ error: 'Máy chủ chưa đặt ADMIN_TOKEN nên không nhận Authorization: Bearer.' }, 401);
      const addr = clientKey(c, trustProxy) ?? 'unknown';
      const locked = await lockout.lockedFor(addr, now().getTime());
      if (locked > 0)
        return c.json({ error: lockedMessage(locked) }, 429, { 'Retry-After': String(Math.ceil(locked / 1000)) });
      if (!tokenMatches(bearer, d.adminToken)) {
        await lockout.fail(addr, now().getTime());
        return c.json({ error: 'Mã quản trị không đúng.' }, 401);
      }
      await lockout.succeed(addr);
      c.set('viewer', { role: 'admin' });
      c.set('auth', 'bearer');
      return next();
    }
    // A trainer's cookie is a sign-in of its own (it also works from a phone); without it, issue 15's rules:
    // ADMIN_TOKEN's session, or (no token) a loopback peer with a localhost Host.
    const trainer = await signedInViewer(c, d.store, d.roles, now().getTime());
    if (trainer) {
      c.set('viewer', trainer);
      c.set('auth', 'trainer');
      return next();
    }
    const access = await adminAccess(c, sessions, trustProxy);
    if (access.ok) {
      c.set('viewer', { role: 'admin' });
      c.set('auth', sessions ? 'cookie' : 'local');
      return next();
    }
    if (api)
      return c.json(
        {
          error:
            access.reason === 'not-local'
              ? 'Chỉ truy cập được từ chính máy chủ (chưa đặt ADMIN_TOKEN).'
              : 'Cần đăng nhập quản trị.',
        },
        access.reason === 'not-local' ? 403 : 401,
      );
    if (access.reason === 'not-local') return c.html(forbiddenPage(), 403);
    if (c.req.method === 'GET' && !/\.(csv|xlsx)$/.test(c.req.path)) return c.redirect('/admin/login', 302);
    return c.text('Cần đăng nhập quản trị.', 401);
  };
  app.use('/admin', guard);
  app.use('/admin/*', guard);

  app.get('/admin/login', async (c) => {
    const signedIn =
      (await signedInViewer(c, d.store, d.roles, now().getTime())) || (sessions && (await sessions.verify(c)));
    if (signedIn) return c.redirect('/admin', 302);
    return c.html(login());
  });

  /**
   * A sign-in attempt from the client behind `c`: its address, the time and the posted form field `field`, or the
   * "locked" page while `locks` holds the address. `refuse` records a failure and answers with `wrong`.
   */
  async function attempt(c: Context<AppEnv>, locks: LoginLockoutStore, field: string) {
    const addr = clientKey(c, trustProxy) ?? 'unknown';
    const nowMs = now().getTime();
    const locked = await locks.lockedFor(addr, nowMs);
    if (locked > 0) return { response: lockedPage(c, locked) };
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const value = typeof form[field] === 'string' ? (form[field] as string) : '';
    const refuse = async (wrong: string) => {
      const lock = await locks.fail(addr, nowMs);
      return c.html(login(lock > 0 ? `${wrong} ${lockedMessage(lock)}` : wrong), 401);
    };
    return { addr, nowMs, value, refuse };
  }

  app.post('/admin/login', LOGIN_BODY, async (c) => {
    if (!sessions || !d.adminToken) return c.redirect('/admin', 303);
    const a = await attempt(c, lockout, 'token');
    if ('response' in a) return a.response;
    if (!a.value || !tokenMatches(a.value, d.adminToken)) return a.refuse('Mã quản trị không đúng.');
    await lockout.succeed(a.addr);
    await sessions.issue(c, { secure: isHttps(c, trustProxy) });
    return c.redirect('/admin', 303);
  });

  // A trainer's one-time code from the bot (/dangnhap) -> a session cookie for the console and the dashboard.
  app.post('/admin/login/code', LOGIN_BODY, async (c) => {
    const a = await attempt(c, codeLockout, 'code');
    if ('response' in a) return a.response;
    const { addr, nowMs } = a;
    const identity = await redeemSignInCode(d.store, a.value, nowMs);
    if (!identity)
      return a.refuse('Mã đăng nhập không đúng, đã dùng hoặc đã hết hạn. Gửi /dangnhap cho bot để nhận mã mới.');
    await codeLockout.succeed(addr);
    const s = await startWebSession(d.store, identity, nowMs);
    setCookie(c, TRAINER_COOKIE, s.token, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      maxAge: s.maxAgeSeconds,
      secure: isHttps(c, trustProxy),
    });
    return c.redirect('/admin', 303);
  });

  app.post('/admin/logout', async (c) => {
    await sessions?.revoke(c);
    deleteCookie(c, COOKIE_NAME, { path: '/admin' });
    const trainer = getCookie(c, TRAINER_COOKIE);
    if (trainer) {
      await endWebSession(d.store, trainer);
      deleteCookie(c, TRAINER_COOKIE, { path: '/' });
    }
    return c.redirect(sessions || trainer ? '/admin/login' : '/', 303);
  });

  app.get('/admin', async (c) => {
    const viewer = c.get('viewer');
    const parsed = parseFilter(c.req.query());
    const filter: DashboardFilter = { ...('filter' in parsed ? parsed.filter : {}), owner: ownerScope(viewer) };
    const data = await loadDashboard(d.store, d.feedback, filter, now().getTime(), (ms) => formatDate(ms).slice(0, 5));
    const page = dashboardPage(data, {
      viewer,
      links: { documents: Boolean(d.corpus), questions: Boolean(d.gaps) },
      canLogout: Boolean(sessions) || viewer.identity !== undefined,
      error: 'error' in parsed ? parsed.error : undefined,
    });
    return c.html(page, 'error' in parsed ? 400 : 200);
  });

  const exportRoute = (kind: 'csv' | 'xlsx') => async (c: Context<AppEnv>) => {
    const parsed = parseFilter(c.req.query());
    if ('error' in parsed) return c.text(parsed.error, 400);
    const f = { ...parsed.filter, owner: ownerScope(c.get('viewer')) };
    const rows = await d.store.exportRows(toExportQuery(f));
    const label = f.code ?? (f.classId !== undefined ? ((await d.store.getClass(f.classId))?.name ?? '') : 'tat-ca');
    const filename = `${exportFileStem(label, compactDate(now().getTime()))}.${kind}`;
    const data = kind === 'csv' ? exportCsv(rows) : await exportXlsx(rows);
    return c.body(new Uint8Array(data), 200, {
      'Content-Type': kind === 'csv' ? CSV_MIME : XLSX_MIME,
      'Content-Disposition': contentDisposition(filename),
    });
  };
  app.get('/admin/export.csv', exportRoute('csv'));
  app.get('/admin/export.xlsx', exportRoute('xlsx'));
  if (d.corpus)
    app.route('/', documentRoutes({ corpus: d.corpus, csrf: new CsrfTokens(() => sessionStore.secret()), now }));
  if (d.gaps) app.route('/', questionRoutes({ gaps: d.gaps, now }));
  app.route('/', classRoutes({ store: d.store, now }));
  app.route('/', trainerRoutes({ store: d.store, roles: d.roles, now }));
  return app;
}
