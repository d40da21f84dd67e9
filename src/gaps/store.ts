// What the corpus could not answer: declined questions and answers voted 👎, kept (masked) so officials can see
// which procedures people ask about that the corpus lacks. One interface, two stores: SQLite (DATA_DIR/unanswered.db,
// one machine) and PostgreSQL (store-pg.ts, several replicas), held to one contract test suite.
import type Database from 'better-sqlite3';
import { type Migration, openDatabase } from '../infra';
import { groupKey } from './group';
import { maskPersonalData } from './mask';

export type GapKind = 'declined' | 'downvoted';

export interface GapEvent {
  kind: GapKind;
  /** The question as asked; masked before it is stored. */
  question: string;
  channel: string;
  /** Answer mode ('declined', 'extractive', …) and, for a decline, why ('no-match', 'unknown-topic', …). */
  mode?: string;
  reason?: string;
  at: Date;
}

export interface GapGroup {
  key: string;
  /** The latest wording of the group (masked). */
  question: string;
  /** Distinct wordings in the group. */
  variants: number;
  count: number;
  declined: number;
  downvoted: number;
  firstSeen: Date;
  lastSeen: Date;
  channels: string[];
  reasons: string[];
}

export interface GapQuery {
  /** Only events at or after this time. */
  since?: Date;
  kind?: GapKind;
  limit?: number;
}

export interface GapStore {
  record(e: GapEvent): Promise<void>;
  /** Groups, most frequent first. */
  groups(q?: GapQuery): Promise<GapGroup[]>;
  close(): Promise<void>;
}

/** Events kept; the oldest go first beyond it (checked every PRUNE_EVERY inserts of a process). */
export const MAX_EVENTS = 200_000;
export const PRUNE_EVERY = 1000;
const MAX_QUESTION_CHARS = 500;

/** The question as stored: NFC, one space between words, personal data masked, capped; '' when nothing is left. */
export function storedQuestion(question: string): string {
  return maskPersonalData(question.normalize('NFC').replace(/\s+/g, ' ').trim()).slice(0, MAX_QUESTION_CHARS);
}

/** Rows of the grouping query, the same shape from both databases. */
export interface GroupRow {
  key: string;
  n: number;
  declined: number;
  downvoted: number;
  first: number;
  last: number;
  variants: number;
  channels: string[];
  reasons: string[];
  question: string;
}

export function toGroup(r: GroupRow): GapGroup {
  return {
    key: r.key,
    question: r.question,
    variants: r.variants,
    count: r.n,
    declined: r.declined,
    downvoted: r.downvoted,
    firstSeen: new Date(r.first),
    lastSeen: new Date(r.last),
    channels: [...r.channels].sort(),
    reasons: [...r.reasons].sort(),
  };
}

const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'gap events',
    up: (db) =>
      db.exec(
        `CREATE TABLE gap_events (
          id INTEGER PRIMARY KEY,
          kind TEXT NOT NULL CHECK (kind IN ('declined', 'downvoted')),
          question TEXT NOT NULL,
          group_key TEXT NOT NULL,
          channel TEXT NOT NULL,
          mode TEXT,
          reason TEXT,
          at INTEGER NOT NULL
        );
          CREATE INDEX gap_events_key ON gap_events (group_key, at);
          CREATE INDEX gap_events_at ON gap_events (at);`,
      ),
  },
];

export class SqliteGapStore implements GapStore {
  private readonly db: Database.Database;
  private inserts = 0;
  private readonly insert: Database.Statement;
  private readonly prune: Database.Statement;

  constructor(file: string) {
    this.db = openDatabase(file, MIGRATIONS, { label: 'unanswered questions' });
    this.insert = this.db.prepare(
      'INSERT INTO gap_events (kind, question, group_key, channel, mode, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.prune = this.db.prepare('DELETE FROM gap_events WHERE id <= (SELECT MAX(id) FROM gap_events) - ?');
  }

  async record(e: GapEvent): Promise<void> {
    const question = storedQuestion(e.question);
    if (!question) return;
    this.insert.run(e.kind, question, groupKey(question), e.channel, e.mode ?? null, e.reason ?? null, e.at.getTime());
    if (++this.inserts % PRUNE_EVERY === 0) this.prune.run(MAX_EVENTS);
  }

  async groups(q: GapQuery = {}): Promise<GapGroup[]> {
    const where = ['at >= @since'];
    if (q.kind) where.push('kind = @kind');
    const rows = this.db
      .prepare(
        `SELECT group_key AS key, COUNT(*) AS n, SUM(kind = 'declined') AS declined, SUM(kind = 'downvoted') AS downvoted,
                MIN(at) AS first, MAX(at) AS last, COUNT(DISTINCT question) AS variants,
                GROUP_CONCAT(DISTINCT channel) AS channels, GROUP_CONCAT(DISTINCT reason) AS reasons,
                (SELECT question FROM gap_events e2 WHERE e2.group_key = e.group_key ORDER BY at DESC, id DESC LIMIT 1) AS question
         FROM gap_events e WHERE ${where.join(' AND ')}
         GROUP BY group_key ORDER BY n DESC, last DESC LIMIT @limit`,
      )
      .all({ since: q.since?.getTime() ?? 0, kind: q.kind ?? null, limit: q.limit ?? 500 }) as {
      key: string;
      n: number;
      declined: number;
      downvoted: number;
      first: number;
      last: number;
      variants: number;
      channels: string | null;
      reasons: string | null;
      question: string;
    }[];
    return rows.map((r) =>
      toGroup({
        ...r,
        channels: r.channels ? r.channels.split(',') : [],
        reasons: r.reasons ? r.reasons.split(',') : [],
      }),
    );
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** DATA_DIR/unanswered.db */
export function openGapStore(file: string): GapStore {
  return new SqliteGapStore(file);
}
