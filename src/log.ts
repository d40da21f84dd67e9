import pino from 'pino';

/**
 * Structured logs (JSON lines on stderr). At info level log ids only, never message text or names:
 * citizens' questions and trainees' names are personal data.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
  base: { app: 'tro-ly-hanh-chinh' },
}, pino.destination(2));

export type Logger = pino.Logger;
