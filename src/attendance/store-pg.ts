// AttendanceStore on PostgreSQL, for several replicas on one database. A check-in is one idempotent statement
// (INSERT … ON CONFLICT DO NOTHING, with the platform message id in the row), committed before the reply: no
// transaction and no lock on the session row, so a whole class checking in at once does not queue (see
// docs/DESIGN.md, "Several replicas"). Only sessions with a capacity take the session row lock.
import type { Database, Queryable } from '../db';
import { PgRosterStore } from './store-pg-roster';
import { cleanText, nameKey } from './text';
import {
  CodeTakenError,
  type AttendanceStore,
  type CheckinInput,
  type CheckinOutcome,
  type CheckinRecord,
  type ClassRecord,
  type ExportQuery,
  type ExportRow,
  type MessageKey,
  type NewSession,
  type SessionRecord,
  type SessionSummary,
} from './types';

export const PG_CLASS_COLUMNS = `id, name, name_key AS "nameKey", owner, created_at AS "createdAt", grace_minutes AS "graceMinutes"`;
export const PG_CHECKIN_COLUMNS = `id, session_id AS "sessionId", channel, user_id AS "userId", name,
  checked_in_at AS "checkedInAt", updated_at AS "updatedAt"`;
const SESSION_COLUMNS = `s.id AS id, s.class_id AS "classId", c.name AS "className", c.owner AS "classOwner", s.code AS code,
  s.opened_by AS "openedBy", s.channel AS channel, s.chat_id AS "chatId", s.is_group AS "isGroup",
  s.opened_at AS "openedAt", s.expires_at AS "expiresAt", s.closed_at AS "closedAt", s.capacity AS capacity`;
const FROM_SESSIONS = 'FROM sessions s JOIN classes c ON c.id = s.class_id';

/** Builds "$n" placeholders while collecting their values. */
class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

export class PgAttendanceStore extends PgRosterStore implements AttendanceStore {
  constructor(database: Database, q: Queryable = database.pool, inTransaction = false) {
    super(database, q, inTransaction);
  }

  transaction<T>(fn: (tx: AttendanceStore) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    return this.database.transaction((client) => fn(new PgAttendanceStore(this.database, client, true)));
  }

  async probeWritable(): Promise<'ok' | 'busy'> {
    // Nothing like SQLite's single write lock exists here: a server that answers a write accepts writes.
    await this.q.query('SELECT 1');
    return 'ok';
  }

  private async one<T>(sql: string, params: unknown[]): Promise<T | undefined> {
    return (await this.q.query(sql, params)).rows[0] as T | undefined;
  }

  async countOpenSessions(at: number): Promise<number> {
    return (await this.one<{ n: number }>(
      'SELECT COUNT(*) AS n FROM sessions WHERE closed_at IS NULL AND expires_at > $1',
      [at],
    ))!.n;
  }

  async ensureClass(owner: string, name: string, at: number): Promise<ClassRecord> {
    const display = cleanText(name);
    const key = nameKey(display);
    await this.q.query(
      'INSERT INTO classes (name, name_key, owner, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (owner, name_key) DO NOTHING',
      [display, key, owner, at],
    );
    return (await this.one<ClassRecord>(`SELECT ${PG_CLASS_COLUMNS} FROM classes WHERE owner = $1 AND name_key = $2`, [
      owner,
      key,
    ]))!;
  }

  async findClasses(query: { owner?: string; nameKey?: string; nameContains?: string }): Promise<ClassRecord[]> {
    const p = new Params();
    const where: string[] = [];
    if (query.owner !== undefined) where.push(`owner = ${p.add(query.owner)}`);
    if (query.nameKey !== undefined) where.push(`name_key = ${p.add(query.nameKey)}`);
    if (query.nameContains !== undefined) where.push(`strpos(name_key, ${p.add(query.nameContains)}) > 0`);
    const sql = `SELECT ${PG_CLASS_COLUMNS} FROM classes ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id`;
    return (await this.q.query(sql, p.values)).rows as ClassRecord[];
  }

  private async sessionWhere(cond: string, params: unknown[], order = ''): Promise<SessionRecord | undefined> {
    return this.one<SessionRecord>(`SELECT ${SESSION_COLUMNS} ${FROM_SESSIONS} WHERE ${cond} ${order} LIMIT 1`, params);
  }

  async createSession(input: NewSession): Promise<SessionRecord> {
    // ON CONFLICT instead of catching the error: inside a transaction a failed statement would abort it.
    const r = await this.one<{ id: number }>(
      `INSERT INTO sessions (class_id, code, opened_by, channel, chat_id, is_group, opened_at, expires_at, capacity)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (code) DO NOTHING RETURNING id`,
      [
        input.classId,
        input.code,
        input.openedBy,
        input.channel,
        input.chatId,
        input.isGroup,
        input.openedAt,
        input.expiresAt,
        input.capacity,
      ],
    );
    if (!r) throw new CodeTakenError(input.code);
    return (await this.sessionWhere('s.id = $1', [r.id]))!;
  }

  async isCodeTaken(code: string): Promise<boolean> {
    return (await this.one('SELECT 1 FROM sessions WHERE code = $1', [code])) !== undefined;
  }

  getSessionByCode(code: string): Promise<SessionRecord | undefined> {
    return this.sessionWhere('s.code = $1', [code]);
  }

  latestSession(owner: string): Promise<SessionRecord | undefined> {
    return this.sessionWhere('s.opened_by = $1', [owner], 'ORDER BY s.opened_at DESC, s.id DESC');
  }

  latestOpenSession(owner: string, at: number): Promise<SessionRecord | undefined> {
    return this.sessionWhere(
      's.opened_by = $1 AND s.closed_at IS NULL AND s.expires_at > $2',
      [owner, at],
      'ORDER BY s.opened_at DESC, s.id DESC',
    );
  }

  openSessionForChat(channel: string, chatId: string, at: number): Promise<SessionRecord | undefined> {
    return this.sessionWhere(
      's.channel = $1 AND s.chat_id = $2 AND s.closed_at IS NULL AND s.expires_at > $3',
      [channel, chatId, at],
      'ORDER BY s.opened_at DESC, s.id DESC',
    );
  }

  async closeSession(sessionId: number, at: number): Promise<boolean> {
    return (
      (await this.q.query('UPDATE sessions SET closed_at = $1 WHERE id = $2 AND closed_at IS NULL', [at, sessionId]))
        .rowCount === 1
    );
  }

  async checkIn(input: CheckinInput): Promise<CheckinOutcome> {
    const { sessionId, channel, userId, name, at, messageId } = input;
    // The common case in one statement: a first check-in to a session without a capacity.
    const r = await this.one<{ id: number }>(
      `INSERT INTO checkins (session_id, channel, user_id, name, checked_in_at, updated_at, message_id)
       SELECT s.id, $2, $3, $4, $5, $5, $6 FROM sessions s WHERE s.id = $1 AND s.capacity IS NULL
       ON CONFLICT (session_id, channel, user_id) DO NOTHING RETURNING id`,
      [sessionId, channel, userId, name, at, messageId],
    );
    const created = (id: number): CheckinOutcome => ({
      kind: 'created',
      checkin: { id, sessionId, channel, userId, name, checkedInAt: at, updatedAt: at },
    });
    if (r) return created(r.id);
    // A repeat, a redelivery, or a session with a capacity: rare, so a transaction is affordable here.
    return this.transaction(async (tx) => {
      const q = (tx as PgAttendanceStore).q;
      const existing = async () =>
        (
          await q.query(
            `SELECT ${PG_CHECKIN_COLUMNS}, message_id AS "messageId" FROM checkins WHERE session_id = $1 AND channel = $2 AND user_id = $3`,
            [sessionId, channel, userId],
          )
        ).rows[0] as (CheckinRecord & { messageId: string | null }) | undefined;
      let found = await existing();
      if (!found) {
        const s = (await q.query('SELECT capacity FROM sessions WHERE id = $1 FOR UPDATE', [sessionId])).rows[0] as
          | { capacity: number | null }
          | undefined;
        if (!s) throw new Error(`attendance: no session ${sessionId}`);
        if (s.capacity !== null) {
          const { n } = (await q.query('SELECT COUNT(*) AS n FROM checkins WHERE session_id = $1', [sessionId]))
            .rows[0] as { n: number };
          if (n >= s.capacity) return { kind: 'full', capacity: s.capacity } as CheckinOutcome;
        }
        const ins = (
          await q.query(
            `INSERT INTO checkins (session_id, channel, user_id, name, checked_in_at, updated_at, message_id)
           VALUES ($1, $2, $3, $4, $5, $5, $6) ON CONFLICT (session_id, channel, user_id) DO NOTHING RETURNING id`,
            [sessionId, channel, userId, name, at, messageId],
          )
        ).rows[0] as { id: number } | undefined;
        if (ins) return created(ins.id);
        found = await existing();
        if (!found) throw new Error('attendance: check-in vanished');
      }
      const { messageId: firstMessage, ...checkin } = found;
      // The same message again (a redelivery, maybe to another replica): the answer of its first delivery.
      if (messageId !== null && firstMessage === messageId) return { kind: 'created', checkin } as CheckinOutcome;
      if (input.nameGiven && name !== checkin.name) {
        await q.query('UPDATE checkins SET name = $1, updated_at = $2 WHERE id = $3', [name, at, checkin.id]);
        return { kind: 'repeat', checkin: { ...checkin, name, updatedAt: at }, nameChanged: true } as CheckinOutcome;
      }
      return { kind: 'repeat', checkin, nameChanged: false } as CheckinOutcome;
    });
  }

  async listCheckins(sessionId: number): Promise<CheckinRecord[]> {
    return (
      await this.q.query(
        `SELECT ${PG_CHECKIN_COLUMNS} FROM checkins WHERE session_id = $1 ORDER BY checked_in_at, id`,
        [sessionId],
      )
    ).rows;
  }

  async countCheckins(sessionId: number): Promise<number> {
    return (await this.one<{ n: number }>('SELECT COUNT(*) AS n FROM checkins WHERE session_id = $1', [sessionId]))!.n;
  }

  async getProcessedReply(key: MessageKey): Promise<string | undefined> {
    const r = await this.one<{ reply: string }>(
      'SELECT reply FROM processed_messages WHERE channel = $1 AND chat_id = $2 AND message_id = $3',
      [key.channel, key.chatId, key.messageId],
    );
    return r?.reply;
  }

  async recordProcessed(key: MessageKey, reply: string, at: number): Promise<void> {
    await this.q.query(
      `INSERT INTO processed_messages (channel, chat_id, message_id, reply, processed_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING`,
      [key.channel, key.chatId, key.messageId, reply, at],
    );
  }

  async pruneProcessed(before: number): Promise<number> {
    return (await this.q.query('DELETE FROM processed_messages WHERE processed_at < $1', [before])).rowCount ?? 0;
  }

  async exportRows(query: ExportQuery): Promise<ExportRow[]> {
    const p = new Params();
    const where: string[] = [];
    if (query.owner !== undefined) where.push(`c.owner = ${p.add(query.owner)}`);
    if (query.classIds !== undefined) where.push(`c.id = ANY(${p.add(query.classIds)}::int[])`);
    if (query.code !== undefined) where.push(`s.code = ${p.add(query.code)}`);
    if (query.fromMs !== undefined) where.push(`s.opened_at >= ${p.add(query.fromMs)}`);
    if (query.toMs !== undefined) where.push(`s.opened_at < ${p.add(query.toMs)}`);
    const sql = `SELECT c.name AS "className", s.code AS "sessionCode", s.opened_at AS "openedAt", k.name AS name,
        k.channel AS channel, k.user_id AS "userId", k.checked_in_at AS "checkedInAt"
      FROM checkins k JOIN sessions s ON s.id = k.session_id JOIN classes c ON c.id = s.class_id
      ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
      ORDER BY s.opened_at, s.id, k.checked_in_at, k.id`;
    return (await this.q.query(sql, p.values)).rows;
  }

  async listSessions(query: { owner?: string; classId?: number } = {}): Promise<SessionSummary[]> {
    const p = new Params();
    const conds: string[] = [];
    if (query.owner !== undefined) conds.push(`c.owner = ${p.add(query.owner)}`);
    if (query.classId !== undefined) conds.push(`c.id = ${p.add(query.classId)}`);
    const sql = `SELECT ${SESSION_COLUMNS}, (SELECT COUNT(*) FROM checkins k WHERE k.session_id = s.id) AS checkins
      ${FROM_SESSIONS} ${conds.length ? `WHERE ${conds.join(' AND ')}` : ''} ORDER BY c.name, s.opened_at, s.id`;
    return (await this.q.query(sql, p.values)).rows;
  }

  async close(): Promise<void> {
    // The pool belongs to the stores together (src/state/stores.ts closes it).
  }
}
