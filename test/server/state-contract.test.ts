// Contract suites of the web server's shared state, each over memory (one machine) and PostgreSQL (several
// replicas): login lockouts, export download files, admin session secrets and revocations.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { AdminSessions } from '../../src/server/admin-auth';
import { MemoryAdminSessionStore, type AdminSessionStore } from '../../src/server/admin-session-store';
import { PgAdminSessionStore } from '../../src/server/admin-session-store-pg';
import type { AppEnv } from '../../src/server/types';
import { FileStore, type ExportFileStore } from '../../src/server/file-store';
import { PgFileStore } from '../../src/server/file-store-pg';
import { LOCKOUT_POLICY, type LoginLockoutStore, MemoryLoginLockout, PgLoginLockout } from '../../src/infra';
import { usePg } from '../helpers/pg';

const pg = usePg();

describe.each<[string, () => Promise<LoginLockoutStore>]>([
  ['memory', async () => new MemoryLoginLockout()],
  ['postgres', async () => new PgLoginLockout((await pg.database()).pool, 'admin')],
])('LoginLockoutStore contract: %s', (_name, open) => {
  it('gives free tries, then doubling locks up to the maximum; success and a quiet day start afresh', async () => {
    const s = await open();
    const free = LOCKOUT_POLICY.freeTries;
    for (let i = 1; i < free; i++) expect(await s.fail('a', 1000)).toBe(0);
    expect(await s.lockedFor('a', 1000)).toBe(0);
    expect(await s.fail('a', 1000)).toBe(30_000);
    expect(await s.lockedFor('a', 11_000)).toBe(20_000);
    expect(await s.fail('a', 2000)).toBe(60_000);
    for (let i = 0; i < 20; i++) await s.fail('a', 3000);
    expect(await s.lockedFor('a', 3000)).toBe(LOCKOUT_POLICY.maxLockMs);
    expect(await s.lockedFor('b', 3000)).toBe(0);
    await s.succeed('a');
    expect(await s.lockedFor('a', 3000)).toBe(0);
    for (let i = 0; i < free; i++) await s.fail('c', 0);
    expect(await s.fail('c', LOCKOUT_POLICY.forgetAfterMs + 1)).toBe(0); // forgotten after a day: one failure
  });

  it('counts failures arriving at once exactly', async () => {
    const s = await open();
    await Promise.all(Array.from({ length: LOCKOUT_POLICY.freeTries + 2 }, () => s.fail('burst', 5000)));
    expect(await s.lockedFor('burst', 5000)).toBe(120_000); // the 7th failure's lock
  });
});

describe.each<[string, (now: () => number, maxBytes?: number) => Promise<ExportFileStore>]>([
  ['memory', async (now, maxBytes) => new FileStore({ ttlMs: 1000, maxBytes, now })],
  ['postgres', async (now, maxBytes) => new PgFileStore((await pg.database()).pool, { ttlMs: 1000, maxBytes, now })],
])('ExportFileStore contract: %s', (_name, open) => {
  it('serves a file by its random id until it expires, and keeps under its byte budget', async () => {
    let t = 0;
    const s = await open(() => t, 10);
    const a = await s.put({ filename: 'a.csv', mimeType: 'text/csv', data: Buffer.from('123456') });
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect((await s.get(a))?.data.toString()).toBe('123456');
    const b = await s.put({ filename: 'điểm danh.xlsx', mimeType: 'application/x', data: Buffer.alloc(6, 1) });
    expect(await s.get(a)).toBeUndefined(); // over the budget: the oldest went
    expect(await s.get(b)).toMatchObject({ filename: 'điểm danh.xlsx', mimeType: 'application/x', expiresAt: 1000 });
    expect(await s.get('x'.repeat(22))).toBeUndefined();
    t = 1000;
    expect(await s.get(b)).toBeUndefined();
  });
});

/** AdminSessions works on a request's cookies: one replica's session routes, driven with a Cookie header. */
function sessionApp(sessions: AdminSessions) {
  const app = new Hono<AppEnv>();
  app.post('/issue', async (c) => {
    await sessions.issue(c, { secure: false });
    return c.body(null, 204);
  });
  app.get('/verify', async (c) => c.text((await sessions.verify(c)) ? 'yes' : 'no'));
  app.post('/revoke', async (c) => {
    await sessions.revoke(c);
    return c.body(null, 204);
  });
  const withCookie = (cookie: string) => ({ headers: { cookie } });
  return {
    /** The Cookie header a browser would send back. */
    issue: async () => (await app.request('/issue', { method: 'POST' })).headers.get('set-cookie')!.split(';')[0],
    verify: async (cookie: string) => (await (await app.request('/verify', withCookie(cookie))).text()) === 'yes',
    revoke: async (cookie: string) => {
      await app.request('/revoke', { method: 'POST', ...withCookie(cookie) });
    },
  };
}

describe.each<[string, () => Promise<[AdminSessionStore, AdminSessionStore]>]>([
  [
    'memory',
    async () => {
      const m = new MemoryAdminSessionStore();
      return [m, m];
    },
  ],
  [
    'postgres',
    async () => {
      const db = await pg.database();
      return [new PgAdminSessionStore(db.pool), new PgAdminSessionStore(db.pool)];
    },
  ],
])('AdminSessionStore contract: %s', (_name, open) => {
  it('signs cookies that every replica of the deployment accepts, and revokes a logged-out one everywhere', async () => {
    const [one, two] = await open();
    expect((await one.secret()).length).toBe(32);
    expect(await one.secret()).toEqual(await two.secret());
    const a = sessionApp(new AdminSessions('admin-token-0123456789', one));
    const b = sessionApp(new AdminSessions('admin-token-0123456789', two));
    const cookie = await a.issue();
    expect(await b.verify(cookie)).toBe(true);
    expect(await sessionApp(new AdminSessions('another-token-0123456789', two)).verify(cookie)).toBe(false);
    await b.revoke(cookie);
    expect(await a.verify(cookie)).toBe(false);
    expect(await one.isRevoked('nobody', Date.now())).toBe(false);
  });
});
