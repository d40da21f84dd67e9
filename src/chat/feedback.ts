import type Database from 'better-sqlite3';
import { openDatabase, type Migration } from '../infra';

export type Vote = 'up' | 'down';

/** One 👍/👎 on an answer. Question and answer are unknown when the vote arrives after a restart. */
export interface FeedbackVote {
  answerId: string;
  vote: Vote;
  question?: string;
  answer?: string;
  mode?: string;
  channel: string;
  chatId: string;
  userId: string;
  at: Date;
}

export interface FeedbackRecord extends Omit<FeedbackVote, 'at'> {
  id: number;
  at: Date;
}

export interface FeedbackStats {
  total: number;
  up: number;
  down: number;
  byMode: Record<string, { up: number; down: number }>;
}

/** Storage of answer feedback: SQLite (here) or PostgreSQL (feedback-pg.ts); one contract suite runs over both. */
export interface FeedbackStore {
  /** Stores a vote; a second vote by the same user on the same answer replaces the first. */
  record(vote: FeedbackVote): Promise<void>;
  /** Newest first. */
  list(opts?: { limit?: number; offset?: number }): Promise<FeedbackRecord[]>;
  stats(): Promise<FeedbackStats>;
  close(): Promise<void>;
}

/** Sums vote counts per (mode, vote) into stats; both stores group in SQL and finish here. */
export function feedbackStats(rows: { mode: string; vote: Vote; n: number }[]): FeedbackStats {
  const s: FeedbackStats = { total: 0, up: 0, down: 0, byMode: {} };
  for (const r of rows) {
    s.total += r.n;
    s[r.vote] += r.n;
    const key = r.mode || 'unknown';
    const m = (s.byMode[key] ??= { up: 0, down: 0 });
    m[r.vote] += r.n;
  }
  return s;
}

const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'feedback votes',
    up: (db) =>
      db.exec(`CREATE TABLE feedback (
     id INTEGER PRIMARY KEY,
     answer_id TEXT NOT NULL,
     vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
     question TEXT,
     answer TEXT,
     mode TEXT,
     channel TEXT NOT NULL,
     chat_id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     UNIQUE (answer_id, channel, user_id)
   );
   CREATE INDEX feedback_created ON feedback (created_at);`),
  },
];

interface Row {
  id: number;
  answer_id: string;
  vote: Vote;
  question: string | null;
  answer: string | null;
  mode: string | null;
  channel: string;
  chat_id: string;
  user_id: string;
  created_at: number;
}

export class SqliteFeedbackStore implements FeedbackStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openDatabase(file, MIGRATIONS, { label: 'feedback' });
  }

  async record(v: FeedbackVote): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO feedback (answer_id, vote, question, answer, mode, channel, chat_id, user_id, created_at)
         VALUES (@answerId, @vote, @question, @answer, @mode, @channel, @chatId, @userId, @at)
         ON CONFLICT (answer_id, channel, user_id) DO UPDATE SET vote = excluded.vote, created_at = excluded.created_at,
           question = COALESCE(excluded.question, question), answer = COALESCE(excluded.answer, answer),
           mode = COALESCE(excluded.mode, mode)`,
      )
      .run({
        answerId: v.answerId,
        vote: v.vote,
        question: v.question ?? null,
        answer: v.answer ?? null,
        mode: v.mode ?? null,
        channel: v.channel,
        chatId: v.chatId,
        userId: v.userId,
        at: v.at.getTime(),
      });
  }

  async list(opts: { limit?: number; offset?: number } = {}): Promise<FeedbackRecord[]> {
    const rows = this.db
      .prepare('SELECT * FROM feedback ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?')
      .all(opts.limit ?? 50, opts.offset ?? 0) as Row[];
    return rows.map((r) => ({
      id: r.id,
      answerId: r.answer_id,
      vote: r.vote,
      question: r.question ?? undefined,
      answer: r.answer ?? undefined,
      mode: r.mode ?? undefined,
      channel: r.channel,
      chatId: r.chat_id,
      userId: r.user_id,
      at: new Date(r.created_at),
    }));
  }

  async stats(): Promise<FeedbackStats> {
    return feedbackStats(
      this.db.prepare("SELECT COALESCE(mode, '') AS mode, vote, COUNT(*) AS n FROM feedback GROUP BY 1, 2").all() as {
        mode: string;
        vote: Vote;
        n: number;
      }[],
    );
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Opens the feedback store at DATA_DIR/feedback.db (or the given file). */
export function openFeedbackStore(file: string): FeedbackStore {
  return new SqliteFeedbackStore(file);
}
