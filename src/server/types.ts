import type { HttpBindings } from '@hono/node-server';
import type { html } from 'hono/html';

export interface Viewer {
  role: 'admin' | 'trainer';
  /** "<channel>:<userId>" when signed in with a code (admins by token have none). */
  identity?: string;
  /** Display name an admin gave the trainer, when any. */
  name?: string;
}

/**
 * Hono environment of the app: under @hono/node-server, `c.env.incoming` is Node's IncomingMessage. Tests that
 * drive the app with app.request() may pass no env at all, so code reads it with optional chaining.
 */
export type AppEnv = { Bindings: HttpBindings; Variables: { viewer: Viewer; auth: AdminAuth } };

/**
 * How an /admin request was let in: `Authorization: Bearer ADMIN_TOKEN` (scripts), the admin session cookie, a
 * trainer's sign-in cookie, or a browser on the server itself (no ADMIN_TOKEN). All but `bearer` are ambient
 * credentials a browser sends by itself, so changes made with them need a CSRF token (csrf.ts).
 */
export type AdminAuth = 'bearer' | 'cookie' | 'trainer' | 'local';

/** Remote address of the TCP peer, when known. */
export function remoteAddress(env: Partial<HttpBindings> | undefined): string | undefined {
  return env?.incoming?.socket?.remoteAddress ?? undefined;
}

export function isLoopback(addr: string | undefined): boolean {
  return addr === '127.0.0.1' || addr === '::1' || addr === '::ffff:127.0.0.1';
}

/** Server-rendered markup: hono/html's `html` escapes every interpolated value that is not itself markup. */
export type Html = ReturnType<typeof html>;
