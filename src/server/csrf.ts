// CSRF tokens for changes made from the dashboard: a browser sends the session cookie (or, without ADMIN_TOKEN, is
// let in for being on the server itself) with any request a foreign page makes it send, so a change also needs a
// token that only our own pages know: an HMAC of the session, in the page (meta tag / hidden field) and sent back
// as `X-CSRF-Token` or `_csrf`. Scripts using `Authorization: Bearer` send no ambient credential and need none.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { COOKIE_NAME } from './admin-auth';
import { TRAINER_COOKIE } from './trainer-auth';
import type { AppEnv } from './types';

export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

export class CsrfTokens {
  constructor(private readonly key: Buffer = randomBytes(32)) {}

  /** The token of the request's session (the same for every page of that session). */
  tokenFor(c: Context<AppEnv>): string {
    const auth = c.get('auth');
    const session = auth === 'cookie' ? getCookie(c, COOKIE_NAME) : auth === 'trainer' ? getCookie(c, TRAINER_COOKIE) : 'local';
    return createHmac('sha256', this.key).update(`${auth}:${session ?? ''}`).digest('base64url');
  }

  /** True for Bearer requests, and for others that carry their session's token. */
  verify(c: Context<AppEnv>, given: string | undefined): boolean {
    if (c.get('auth') === 'bearer') return true;
    if (!given) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(this.tokenFor(c));
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
