// Who is calling: the TCP peer, or (behind TRUST_PROXY reverse proxies) the address they forwarded.
import { isIP } from 'node:net';
import type { Context } from 'hono';
import { remoteAddress, type AppEnv } from './types';

/** "::ffff:1.2.3.4" -> "1.2.3.4"; anything that is not an IP address -> undefined. */
export function normalizeAddress(addr: string | undefined): string | undefined {
  const a = addr?.trim().replace(/^\[|\]$/g, '');
  if (!a) return undefined;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(a);
  if (mapped) return mapped[1];
  return isIP(a) ? a.toLowerCase() : undefined;
}

/**
 * The client's address. With `trustProxy` = 0 it is the TCP peer, whatever headers say. With N > 0 the last N
 * hops are our own proxies, each appending the address it saw to X-Forwarded-For, so the client is the N-th
 * entry from the right (entries further left were written by the client and prove nothing).
 */
export function clientAddress(c: Context<AppEnv>, trustProxy: number): string | undefined {
  const peer = normalizeAddress(remoteAddress(c.env));
  if (trustProxy <= 0) return peer;
  const hops = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (hops.length === 0) return peer;
  return normalizeAddress(hops[Math.max(0, hops.length - trustProxy)]) ?? peer;
}

/**
 * Key under which a client is counted: an IPv4 address, or an IPv6 /56 prefix (one subscriber is usually given
 * a /56 or /64 and can use any address in it, so per-address counting would be no limit at all).
 */
function addressKey(addr: string): string {
  if (!addr.includes(':') || addr.includes('.')) return addr;
  const [head, tail = ''] = addr.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right].map((g) =>
    g.padStart(4, '0'),
  );
  return `${groups.slice(0, 3).join(':')}:${groups[3].slice(0, 2)}00::/56`;
}

/** The rate-limit key of the caller, or undefined when the address is unknown (app.request() in tests). */
export function clientKey(c: Context<AppEnv>, trustProxy: number): string | undefined {
  const a = clientAddress(c, trustProxy);
  return a ? addressKey(a) : undefined;
}
