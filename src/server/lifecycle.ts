// Process lifecycle helpers for `npm start`: signal handling and a launcher watchdog.
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Logger } from '../log';

/** Repeats of a signal within this window are the same stop request delivered twice, not a second signal. */
const DUPLICATE_SIGNAL_MS = 1_000;

/**
 * Calls `stop` on the first SIGINT/SIGTERM and exits at once (code 1) on a later one. The same signal can arrive
 * twice within milliseconds (Ctrl+C reaches the whole process group and npm and tsx also relay it); such
 * repeats are ignored.
 */
export function onStopSignals(stop: (reason: string) => void, log: Logger, now: () => number = Date.now): void {
  let first: number | undefined;
  const handler = (signal: NodeJS.Signals) => {
    if (first === undefined) {
      first = now();
      stop(signal);
      return;
    }
    if (now() - first < DUPLICATE_SIGNAL_MS) {
      log.debug({ signal }, 'stop signal repeated by a parent process; ignored');
      return;
    }
    log.warn({ signal }, 'second signal: forcing exit');
    process.exit(1);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

function parentOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isFinite(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Calls `onGone` once when the process that launched us exits. Under `npm start` the tree is
 * npm → sh → tsx → node; Debian's /bin/sh (dash) does not exec its command, so when a supervisor sends SIGTERM
 * to npm, npm relays it to sh, sh dies, and the signal never reaches tsx or node: the server would be left
 * running as an orphan. We notice that sh (our parent or our parent's parent) went away and stop gracefully.
 * Linux only (reads /proc); elsewhere it does nothing.
 */
export function watchLauncher(onGone: () => void, intervalMs = 1_000): () => void {
  const p1 = process.ppid;
  const p2 = parentOf(p1);
  if (p2 === undefined) return () => {};
  const timer = setInterval(() => {
    if (process.ppid !== p1 || parentOf(p1) !== p2) {
      clearInterval(timer);
      onGone();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Stops accepting connections and waits for requests in flight, at most `timeoutMs`; then cuts what is left.
 * Keep-alive connections are closed as soon as they fall idle (server.close() alone would wait for the
 * client to hang up). Resolves true when everything finished in time.
 */
export function drainServer(server: Server, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (ok: boolean) => {
      if (settled) return;
      settled = true;
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve(ok);
    };
    server.close(() => finish(true));
    server.closeIdleConnections();
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => {
      server.closeAllConnections();
      finish(false);
    }, timeoutMs);
  });
}
