import { randomInt } from 'node:crypto';

/** Letters and digits without look-alikes: no 0/O, no 1/I/L. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
/**
 * Length of a new code. 31 symbols with at least one digit and one letter give 31^8 - 23^8 - 8^8 ≈ 7.75 × 10^11
 * codes: with failed attempts throttled (code-guard.ts) guessing one is hopeless (the arithmetic is in the README,
 * "Security"). The 4-character codes of earlier versions (~ 7 × 10^5) were found by a script in under a minute.
 */
export const CODE_LENGTH = 8;
export const CODE_RE = /^[2-9A-HJKMNP-Z]{8,10}$/;

/**
 * A random code of `length` characters with at least one digit and one letter. The digit keeps codes apart
 * from ordinary words and names ("dd Thanh" is a name, "dd K7QXM2P9" a code).
 */
export function randomCode(length: number, rand: (n: number) => number = randomInt): string {
  for (;;) {
    let s = '';
    for (let i = 0; i < length; i++) s += CODE_ALPHABET[rand(CODE_ALPHABET.length)];
    if (/[2-9]/.test(s) && /[A-Z]/.test(s)) return s;
  }
}

/**
 * Picks a code no session uses yet: CODE_LENGTH characters, longer only if (absurdly) many are taken.
 * `taken` is checked here and again by the UNIQUE constraint when the session is inserted.
 */
export async function pickCode(
  taken: (code: string) => boolean | Promise<boolean>,
  rand?: (n: number) => number,
): Promise<string> {
  for (const length of [CODE_LENGTH, CODE_LENGTH + 1, CODE_LENGTH + 2]) {
    for (let attempt = 0; attempt < 20; attempt++) {
      const code = randomCode(length, rand);
      if (!(await taken(code))) return code;
    }
  }
  throw new Error('could not find a free attendance code');
}

/**
 * Upper-cases what a person typed as a code ("k7qx-m2p9" -> "K7QXM2P9"); null when it cannot be a code at all.
 * 4-7 characters are still read, for sessions opened before codes became longer.
 */
export function normalizeCode(token: string): string | null {
  const t = token.trim().toUpperCase();
  const joined = /^[A-Z0-9]{4}-[A-Z0-9]{4,6}$/.test(t) ? t.replace('-', '') : t;
  return /^[A-Z0-9]{4,10}$/.test(joined) ? joined : null;
}
