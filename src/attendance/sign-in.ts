// Web sign-in for trainers without planted ids: the bot gives a trainer a one-time code in their own chat, the
// web page exchanges it for a session. Only hashes are stored, so a copied database reveals no usable code.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { AttendanceStore } from './types';

export const SIGN_IN_CODE_TTL_MS = 10 * 60_000;
const WEB_SESSION_TTL_MS = 30 * 24 * 3600_000;
const CODE_DIGITS = 8;

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** "48219035" shown as "4821 9035". */
export const formatSignInCode = (code: string): string => `${code.slice(0, 4)} ${code.slice(4)}`;

type Store = Pick<
  AttendanceStore,
  | 'createSignInCode'
  | 'redeemSignInCode'
  | 'createWebSession'
  | 'webSessionIdentity'
  | 'deleteWebSession'
  | 'pruneSignIns'
>;

/** A fresh 8-digit code for `identity`, valid once for ten minutes. */
export async function issueSignInCode(store: Store, identity: string, nowMs: number): Promise<string> {
  for (;;) {
    const code = String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
    // False when the same code is still pending for someone else (1 in 10^8): draw again.
    if (await store.createSignInCode(sha256(code), identity, nowMs, nowMs + SIGN_IN_CODE_TTL_MS)) return code;
  }
}

/** The identity the typed code was issued to, once; undefined for a wrong, used or expired code. */
export async function redeemSignInCode(store: Store, typed: string, nowMs: number): Promise<string | undefined> {
  const code = typed.replace(/[\s.-]/g, '');
  if (!/^\d{8}$/.test(code)) return undefined;
  return store.redeemSignInCode(sha256(code), nowMs);
}

/** A new web session for `identity`; the returned token goes into an HttpOnly cookie. */
export async function startWebSession(
  store: Store,
  identity: string,
  nowMs: number,
): Promise<{ token: string; maxAgeSeconds: number }> {
  await store.pruneSignIns(nowMs);
  const token = randomBytes(32).toString('base64url');
  await store.createWebSession(sha256(token), identity, nowMs, nowMs + WEB_SESSION_TTL_MS);
  return { token, maxAgeSeconds: WEB_SESSION_TTL_MS / 1000 };
}

export async function webSessionIdentity(
  store: Store,
  token: string | undefined,
  nowMs: number,
): Promise<string | undefined> {
  if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  return store.webSessionIdentity(sha256(token), nowMs);
}

export async function endWebSession(store: Store, token: string | undefined): Promise<void> {
  if (token) await store.deleteWebSession(sha256(token));
}
