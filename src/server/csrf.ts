// CSRF tokens for changes made from the dashboard: a browser sends the session cookie (or, without ADMIN_TOKEN, is
// let in for being on the server itself) with any request a foreign page makes it send, so a change also needs a
// token that only our own pages know: an HMAC of the session, in the page (meta tag / hidden field) and sent back
// as `X-CSRF-Token` or `_csrf`. Scripts using `Authorization: Bearer` send no ambient credential and need none.
// The key comes from the admin sessions' secret, so that with several replicas a page served by one replica makes
// changes through any other.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { COOKIE_NAME } from './admin-auth';
import { TRAINER_COOKIE } from './trainer-auth';
import type { AppEnv } from './types';

export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

export class CsrfTokens {
  private key: Promise<Buffer> | undefined;

  /** `secret`: the deployment's shared secret (AdminSessionStore.secret); default: random, for this process. */
  constructor(private readonly secret: () => Promise<Buffer> = async () => randomBytes(32)) {}

  private signingKey(): Promise<Buffer> {
    this.key ??= this.secret().then((s) => createHmac('sha256', s).update('csrf').digest());
    this.key.catch(() => (this.key = undefined));
    return this.key;
  }

  /** The token of the request's session (the same for every page of that session). */
  async tokenFor(c: Context<AppEnv>): Promise<string> {
    const auth = c.get('auth');
    const session =
      auth === 'cookie' ? getCookie(c, COOKIE_NAME) : auth === 'trainer' ? getCookie(c, TRAINER_COOKIE) : 'local';
    return createHmac('sha256', await this.signingKey())
      .update(`${auth}:${session ?? ''}`)
      .digest('base64url');
  }

  /** True for Bearer requests, and for others that carry their session's token. */
  async verify(c: Context<AppEnv>, given: string | undefined): Promise<boolean> {
    if (c.get('auth') === 'bearer') return true;
    if (!given) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(await this.tokenFor(c));
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
