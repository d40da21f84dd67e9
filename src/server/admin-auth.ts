// Dashboard access: with ADMIN_TOKEN, a login form and a signed session cookie; without it, localhost only.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { MemoryAdminSessionStore, type AdminSessionStore } from './admin-session-store';
import { clientAddress, normalizeAddress } from './client-address';
import { isLoopback, remoteAddress, type AppEnv } from './types';

export const COOKIE_NAME = 'tlhc_admin';
export const SESSION_TTL_MS = 8 * 3600_000;

const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time comparison (both sides hashed first, so lengths never leak either). */
export function tokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

/**
 * Session cookies are `<sid>.<expiresMs>.<hmac>`, signed with a key derived from ADMIN_TOKEN and the deployment's
 * secret (AdminSessionStore: per process by default, shared by the replicas with DATABASE_URL): the raw token
 * never leaves the login form, changing it ends all sessions, and logging out revokes the session id.
 */
export class AdminSessions {
  private key: Promise<Buffer> | undefined;

  constructor(
    private readonly adminToken: string,
    private readonly store: AdminSessionStore = new MemoryAdminSessionStore(),
    private readonly now: () => number = Date.now,
  ) {}

  private signingKey(): Promise<Buffer> {
    this.key ??= this.store
      .secret()
      .then((secret) => createHmac('sha256', secret).update(`admin-session:${this.adminToken}`).digest());
    this.key.catch(() => (this.key = undefined));
    return this.key;
  }

  async issue(): Promise<{ value: string; maxAgeSeconds: number }> {
    const sid = randomBytes(16).toString('base64url');
    const exp = this.now() + SESSION_TTL_MS;
    return { value: `${sid}.${exp}.${await this.mac(`${sid}.${exp}`)}`, maxAgeSeconds: SESSION_TTL_MS / 1000 };
  }

  async verify(value: string | undefined): Promise<boolean> {
    const m = /^([A-Za-z0-9_-]{22})\.(\d{13,15})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
    if (!m) return false;
    const [, sid, exp, mac] = m;
    const expected = Buffer.from(await this.mac(`${sid}.${exp}`));
    if (!timingSafeEqual(Buffer.from(mac), expected)) return false;
    return Number(exp) > this.now() && !(await this.store.isRevoked(sid, this.now()));
  }

  async revoke(value: string | undefined): Promise<void> {
    const [sid, exp] = (value ?? '').split('.');
    if (!sid || !(await this.verify(value))) return;
    await this.store.revoke(sid, Number(exp));
  }

  private async mac(payload: string): Promise<string> {
    return createHmac('sha256', await this.signingKey())
      .update(payload)
      .digest('base64url');
  }
}

/** Headers a reverse proxy adds: then the loopback peer is the proxy, not the user. */
const PROXY_HEADERS = [
  'x-forwarded-for',
  'forwarded',
  'x-real-ip',
  'x-forwarded-host',
  'x-forwarded-proto',
  'via',
  'cf-connecting-ip',
  'true-client-ip',
];

/** Host names a browser on this machine uses; any other Host (a rebinding DNS name, a proxy's name) is foreign. */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export type Access = { ok: true } | { ok: false; reason: 'login' | 'not-local' };

/**
 * Without ADMIN_TOKEN, /admin is for a browser on this machine only: the TCP peer is loopback, no proxy says it
 * forwarded the request (or, with TRUST_PROXY, the forwarded client is loopback too), and the Host header names
 * localhost, so a DNS-rebinding page on another site cannot reach it through the user's browser either.
 */
export function isLocalRequest(c: Context<AppEnv>, trustProxy: number): boolean {
  if (!isLoopback(normalizeAddress(remoteAddress(c.env)))) return false;
  if (
    trustProxy > 0
      ? !isLoopback(clientAddress(c, trustProxy))
      : PROXY_HEADERS.some((h) => c.req.header(h) !== undefined)
  )
    return false;
  return LOCAL_HOSTS.has(new URL(c.req.url).hostname.toLowerCase());
}

/** Who may see /admin right now. */
export async function adminAccess(
  c: Context<AppEnv>,
  sessions: AdminSessions | undefined,
  trustProxy = 0,
): Promise<Access> {
  if (sessions)
    return (await sessions.verify(getCookie(c, COOKIE_NAME))) ? { ok: true } : { ok: false, reason: 'login' };
  return isLocalRequest(c, trustProxy) ? { ok: true } : { ok: false, reason: 'not-local' };
}

/** Secure cookies when the request came over HTTPS (directly, or through a trusted proxy that says so). */
export function isHttps(c: Context<AppEnv>, trustProxy = 0): boolean {
  return new URL(c.req.url).protocol === 'https:' || (trustProxy > 0 && c.req.header('x-forwarded-proto') === 'https');
}
