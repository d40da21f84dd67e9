// Dashboard access: with ADMIN_TOKEN, a login form and a signed session cookie; without it, localhost only.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getSignedCookie, setSignedCookie } from 'hono/cookie';
import { type AdminSessionStore, MemoryAdminSessionStore } from './admin-session-store';
import { clientAddress, normalizeAddress } from './client-address';
import { isLoopback, remoteAddress, type AppEnv } from './types';

export const COOKIE_NAME = 'tlhc_admin';
const SESSION_TTL_MS = 8 * 3600_000;

const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time comparison (both sides hashed first, so lengths never leak either). */
export function tokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

/**
 * Admin sessions in a signed cookie (hono/cookie): the value is `<sid>.<expiresMs>`, signed with a key derived from
 * ADMIN_TOKEN and the deployment's secret (AdminSessionStore: per process by default, shared by the replicas with
 * DATABASE_URL), so the raw token never leaves the login form, changing it ends all sessions, and logging out
 * revokes the session id.
 */
export class AdminSessions {
  private key: Promise<string> | undefined;

  constructor(
    private readonly adminToken: string,
    private readonly store: AdminSessionStore = new MemoryAdminSessionStore(),
    private readonly now: () => number = Date.now,
  ) {}

  private signingKey(): Promise<string> {
    this.key ??= this.store
      .secret()
      .then((secret) => createHmac('sha256', secret).update(`admin-session:${this.adminToken}`).digest('base64url'));
    this.key.catch(() => (this.key = undefined));
    return this.key;
  }

  /** Sets a new session's cookie on the response. */
  async issue(c: Context<AppEnv>, opts: { secure: boolean }): Promise<void> {
    const sid = randomBytes(16).toString('base64url');
    const value = `${sid}.${this.now() + SESSION_TTL_MS}`;
    await setSignedCookie(c, COOKIE_NAME, value, await this.signingKey(), {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/admin',
      maxAge: SESSION_TTL_MS / 1000,
      secure: opts.secure,
    });
  }

  /** The request's session (id and expiry) when its cookie is signed by us and unexpired, revoked or not. */
  private async session(c: Context<AppEnv>): Promise<{ sid: string; exp: number } | undefined> {
    const value = await getSignedCookie(c, await this.signingKey(), COOKIE_NAME);
    const m = /^([A-Za-z0-9_-]{22})\.(\d{13,15})$/.exec(value || '');
    if (!m) return undefined;
    const exp = Number(m[2]);
    return exp > this.now() ? { sid: m[1], exp } : undefined;
  }

  /** The session id of the request's cookie when it is signed by us, unexpired and not revoked. */
  async verify(c: Context<AppEnv>): Promise<string | undefined> {
    const s = await this.session(c);
    return s && !(await this.store.isRevoked(s.sid, this.now())) ? s.sid : undefined;
  }

  /** Ends the request's session (it stays refused until it would have expired anyway). */
  async revoke(c: Context<AppEnv>): Promise<void> {
    const s = await this.session(c);
    if (s && !(await this.store.isRevoked(s.sid, this.now()))) await this.store.revoke(s.sid, s.exp);
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
function isLocalRequest(c: Context<AppEnv>, trustProxy: number): boolean {
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
  if (sessions) return (await sessions.verify(c)) ? { ok: true } : { ok: false, reason: 'login' };
  return isLocalRequest(c, trustProxy) ? { ok: true } : { ok: false, reason: 'not-local' };
}

/** Secure cookies when the request came over HTTPS (directly, or through a trusted proxy that says so). */
export function isHttps(c: Context<AppEnv>, trustProxy = 0): boolean {
  return new URL(c.req.url).protocol === 'https:' || (trustProxy > 0 && c.req.header('x-forwarded-proto') === 'https');
}
