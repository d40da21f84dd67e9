import { readSync, writeSync } from 'node:fs';

/** Write every byte (writeSync may write fewer than asked), at `position` or at the file's current offset. */
export function writeAll(fd: number, bytes: Uint8Array, position?: number): void {
  for (let at = 0; at < bytes.length; ) {
    at += writeSync(fd, bytes, at, Math.min(bytes.length - at, 1 << 26), position === undefined ? null : position + at);
  }
}

/** Fill `into` from `position`; a short file is an error naming `what`. */
export function readExactly(fd: number, into: Uint8Array, position: number, what: string): void {
  for (let at = 0; at < into.length; ) {
    const n = readSync(fd, into, at, Math.min(into.length - at, 1 << 26), position + at);
    if (n === 0) throw new Error(`${what} is truncated`);
    at += n;
  }
}
