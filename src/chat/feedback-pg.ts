// FeedbackStore on PostgreSQL (several replicas): the same table and rules as the SQLite store.
import type { Queryable } from '../db';
import {
  feedbackStats,
  type FeedbackRecord,
  type FeedbackStats,
  type FeedbackStore,
  type FeedbackVote,
  type Vote,
} from './feedback';

export class PgFeedbackStore implements FeedbackStore {
  constructor(private readonly q: Queryable) {}

  async record(v: FeedbackVote): Promise<void> {
    await this.q.query(
      `INSERT INTO feedback (answer_id, vote, question, answer, mode, channel, chat_id, user_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (answer_id, channel, user_id) DO UPDATE SET vote = EXCLUDED.vote, created_at = EXCLUDED.created_at,
         question = COALESCE(EXCLUDED.question, feedback.question), answer = COALESCE(EXCLUDED.answer, feedback.answer),
         mode = COALESCE(EXCLUDED.mode, feedback.mode)`,
      [
        v.answerId,
        v.vote,
        v.question ?? null,
        v.answer ?? null,
        v.mode ?? null,
        v.channel,
        v.chatId,
        v.userId,
        v.at.getTime(),
      ],
    );
  }

  async list(opts: { limit?: number; offset?: number } = {}): Promise<FeedbackRecord[]> {
    const r = await this.q.query(
      `SELECT id, answer_id, vote, question, answer, mode, channel, chat_id, user_id, created_at FROM feedback
       ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2`,
      [opts.limit ?? 50, opts.offset ?? 0],
    );
    return r.rows.map((row) => ({
      id: row.id,
      answerId: row.answer_id,
      vote: row.vote,
      question: row.question ?? undefined,
      answer: row.answer ?? undefined,
      mode: row.mode ?? undefined,
      channel: row.channel,
      chatId: row.chat_id,
      userId: row.user_id,
      at: new Date(row.created_at),
    }));
  }

  async stats(): Promise<FeedbackStats> {
    const r = await this.q.query("SELECT COALESCE(mode, '') AS mode, vote, COUNT(*) AS n FROM feedback GROUP BY 1, 2");
    return feedbackStats(r.rows as { mode: string; vote: Vote; n: number }[]);
  }

  async close(): Promise<void> {
    // The shared pool is closed with the other stores.
  }
}
