// AnswerLog on PostgreSQL (UNLOGGED): a vote may reach another replica than the one that answered.
import type { Queryable } from '../db';
import type { AnswerLog, LoggedAnswer } from './answer-log';

const PRUNE_EVERY = 1000;

export class PgAnswerLog implements AnswerLog {
  private writes = 0;

  /** Answers older than `retentionMs` can no longer be voted on. */
  constructor(
    private readonly q: Queryable,
    private readonly retentionMs = 7 * 24 * 3600_000,
  ) {}

  async remember(answerId: string, a: LoggedAnswer, nowMs: number): Promise<void> {
    if (++this.writes % PRUNE_EVERY === 0)
      void this.q
        .query('DELETE FROM answer_log WHERE created_at < $1', [nowMs - this.retentionMs])
        .catch(() => undefined);
    await this.q.query(
      `INSERT INTO answer_log (answer_id, question, answer, mode, chat, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (answer_id) DO NOTHING`,
      [answerId, a.question, a.answer, a.mode, a.chat, nowMs],
    );
  }

  async get(answerId: string, nowMs: number): Promise<LoggedAnswer | undefined> {
    const r = await this.q.query(
      'SELECT question, answer, mode, chat FROM answer_log WHERE answer_id = $1 AND created_at >= $2',
      [answerId, nowMs - this.retentionMs],
    );
    return r.rows[0] as LoggedAnswer | undefined;
  }
}
