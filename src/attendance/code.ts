import { randomInt } from 'node:crypto';

/** Letters and digits without look-alikes: no 0/O, no 1/I/L. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_RE = /^[2-9A-HJKMNP-Z]{4,6}$/;

/**
 * A random code of `length` characters with at least one digit and one letter. The digit keeps codes apart
 * from ordinary words and names ("dd Thanh" is a name, "dd K7QX" a code).
 */
export function randomCode(length: number, rand: (n: number) => number = randomInt): string {
  for (;;) {
    let s = '';
    for (let i = 0; i < length; i++) s += CODE_ALPHABET[rand(CODE_ALPHABET.length)];
    if (/[2-9]/.test(s) && /[A-Z]/.test(s)) return s;
  }
}

/**
 * Picks a code no session uses yet: 4 characters while they are easy to find, then 5, then 6.
 * `taken` is checked here and again by the UNIQUE constraint when the session is inserted.
 */
export function pickCode(taken: (code: string) => boolean, rand?: (n: number) => number): string {
  for (const length of [4, 5, 6]) {
    for (let attempt = 0; attempt < 20; attempt++) {
      const code = randomCode(length, rand);
      if (!taken(code)) return code;
    }
  }
  throw new Error('could not find a free attendance code');
}

/** Upper-cases what a person typed as a code; null when it cannot be a code at all. */
export function normalizeCode(token: string): string | null {
  const t = token.trim().toUpperCase();
  return /^[A-Z0-9]{4,6}$/.test(t) ? t : null;
}
