import pino from 'pino';
import type { Config } from './config';

/** Longest string written to a log line (a stack trace may be longer); the rest is cut with a note of its size. */
const MAX_LOGGED_CHARS = 500;
const MAX_STACK_CHARS = 4000;
const MAX_DEPTH = 6;

function cap(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}… [${s.length} chars]`;
}

/**
 * Every string in a log record is capped, however it got there: one oversized value from outside (an event name,
 * a header, an error message quoting a body) must not turn into a multi-megabyte log line.
 */
function capStrings(v: unknown, depth = 0, key = ''): unknown {
  if (typeof v === 'string') return cap(v, key === 'stack' ? MAX_STACK_CHARS : MAX_LOGGED_CHARS);
  if (typeof v !== 'object' || v === null) return v;
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  if (Array.isArray(v)) {
    const out = v.slice(0, 50).map((x) => capStrings(x, depth + 1));
    if (v.length > 50) out.push(`[${v.length - 50} more]`);
    return out;
  }
  if (v instanceof Date) return v;
  // Before pino's own serializer runs: keep message and stack (not enumerable on an Error), capped.
  if (v instanceof Error) return capStrings(pino.stdSerializers.err(v), depth, key);
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const [k, x] of Object.entries(v)) {
    if (++n > 50) {
      out['[more keys]'] = true;
      break;
    }
    out[k] = capStrings(x, depth + 1, k);
  }
  return out;
}

/**
 * A pino logger with the project's settings (strings capped, errors serialized once) writing to `destination`.
 * Tests pass an in-memory stream to read what would be logged.
 */
export function createLogger(level: string, destination: pino.DestinationStream): pino.Logger {
  return pino(
    {
      level,
      base: { app: 'tro-ly-hanh-chinh' },
      formatters: { log: (obj) => capStrings(obj) as Record<string, unknown> },
      // Errors are already serialized (and capped) by the formatter above; do not serialize that copy again.
      serializers: { err: (e: unknown) => (e instanceof Error ? pino.stdSerializers.err(e) : e) },
      hooks: {
        logMethod(args, method) {
          const capped = args.map((a) => (typeof a === 'string' ? cap(a, MAX_LOGGED_CHARS) : a)) as Parameters<
            typeof method
          >;
          return method.apply(this, capped);
        },
      },
    },
    destination,
  );
}

/**
 * Structured logs (JSON lines on stderr). At info level log ids only, never message text or names:
 * citizens' questions and trainees' names are personal data. Silent until configureLogger() applies the validated
 * LOG_LEVEL (`npm start` and the CLI do it before anything else), so a library user or a test logs nothing unasked.
 */
export const logger = createLogger('silent', pino.destination(2));

/** Applies the configured level (from the validated config, .env included) to the process logger. */
export function configureLogger(config: Pick<Config, 'LOG_LEVEL'>): Logger {
  logger.level = config.LOG_LEVEL;
  return logger;
}

export type Logger = pino.Logger;
