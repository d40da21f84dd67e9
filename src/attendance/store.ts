import { DEFAULT_BUSY_TIMEOUT_MS, openDatabase } from '../infra';
import { MIGRATIONS } from './migrations';
import { CHECKIN_COLUMNS, CLASS_COLUMNS, SqliteRosterDb } from './store-roster';
import { cleanText, nameKey } from './text';
import {
  CodeTakenError,
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

const SESSION_COLUMNS = `
  s.id AS id, s.class_id AS classId, c.name AS className, c.owner AS classOwner, s.code AS code,
  s.opened_by AS openedBy, s.channel AS channel, s.chat_id AS chatId, s.is_group AS isGroup,
  s.opened_at AS openedAt, s.expires_at AS expiresAt, s.closed_at AS closedAt, s.capacity AS capacity`;

type SessionRow = Omit<SessionRecord, 'isGroup'> & { isGroup: number };
const toSession = (r: SessionRow | undefined): SessionRecord | undefined =>
  r ? { ...r, isGroup: r.isGroup === 1 } : undefined;

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export interface SqliteStoreOptions {
  /** ms to wait for another connection's write lock before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

/**
 * The attendance tables on SQLite (better-sqlite3), synchronous. SqliteAttendanceStore (store-sqlite.ts) is the
 * AttendanceStore built on it. One instance per process; safe alongside other processes (CLI).
 */
export class SqliteAttendanceDb extends SqliteRosterDb {
  private readonly stmts;
  private readonly busyTimeoutMs: number;

  constructor(dbPath: string, opts: SqliteStoreOptions = {}) {
    super(openDatabase(dbPath, MIGRATIONS, { label: 'attendance', busyTimeoutMs: opts.busyTimeoutMs }));
    this.busyTimeoutMs = opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    const db = this.db;
    this.stmts = {
      classByOwnerKey: db.prepare(`SELECT ${CLASS_COLUMNS} FROM classes WHERE owner = ? AND name_key = ?`),
      insertClass: db.prepare('INSERT INTO classes (name, name_key, owner, created_at) VALUES (?, ?, ?, ?)'),
      insertSession: db.prepare(`INSERT INTO sessions
        (class_id, code, opened_by, channel, chat_id, is_group, opened_at, expires_at, capacity)
        VALUES (@classId, @code, @openedBy, @channel, @chatId, @isGroup, @openedAt, @expiresAt, @capacity)`),
      codeTaken: db.prepare('SELECT 1 FROM sessions WHERE code = ?'),
      sessionById: db.prepare(
        `SELECT ${SESSION_COLUMNS} FROM sessions s JOIN classes c ON c.id = s.class_id WHERE s.id = ?`,
      ),
      sessionByCode: db.prepare(
        `SELECT ${SESSION_COLUMNS} FROM sessions s JOIN classes c ON c.id = s.class_id WHERE s.code = ?`,
      ),
      latestByOwner: db.prepare(`SELECT ${SESSION_COLUMNS} FROM sessions s JOIN classes c ON c.id = s.class_id
        WHERE s.opened_by = ? ORDER BY s.opened_at DESC, s.id DESC LIMIT 1`),
      latestOpenByOwner: db.prepare(`SELECT ${SESSION_COLUMNS} FROM sessions s JOIN classes c ON c.id = s.class_id
        WHERE s.opened_by = ? AND s.closed_at IS NULL AND s.expires_at > ? ORDER BY s.opened_at DESC, s.id DESC LIMIT 1`),
      openForChat: db.prepare(`SELECT ${SESSION_COLUMNS} FROM sessions s JOIN classes c ON c.id = s.class_id
        WHERE s.channel = ? AND s.chat_id = ? AND s.closed_at IS NULL AND s.expires_at > ?
        ORDER BY s.opened_at DESC, s.id DESC LIMIT 1`),
      closeSession: db.prepare('UPDATE sessions SET closed_at = ? WHERE id = ? AND closed_at IS NULL'),
      checkinByUser: db.prepare(
        `SELECT ${CHECKIN_COLUMNS}, message_id AS messageId FROM checkins WHERE session_id = ? AND channel = ? AND user_id = ?`,
      ),
      updateName: db.prepare('UPDATE checkins SET name = ?, updated_at = ? WHERE id = ?'),
      countCheckins: db.prepare('SELECT COUNT(*) AS n FROM checkins WHERE session_id = ?'),
      insertCheckin: db.prepare(`INSERT INTO checkins
        (session_id, channel, user_id, name, checked_in_at, updated_at, message_id) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      listCheckins: db.prepare(
        `SELECT ${CHECKIN_COLUMNS} FROM checkins WHERE session_id = ? ORDER BY checked_in_at, id`,
      ),
      getProcessed: db.prepare(
        'SELECT reply FROM processed_messages WHERE channel = ? AND chat_id = ? AND message_id = ?',
      ),
      insertProcessed: db.prepare(
        'INSERT INTO processed_messages (channel, chat_id, message_id, reply, processed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      pruneProcessed: db.prepare('DELETE FROM processed_messages WHERE processed_at < ?'),
      countOpen: db.prepare('SELECT COUNT(*) AS n FROM sessions WHERE closed_at IS NULL AND expires_at > ?'),
    };
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  probeWritable(): 'ok' | 'busy' {
    this.db.pragma('busy_timeout = 0');
    try {
      this.db.exec('BEGIN IMMEDIATE');
      this.db.exec('ROLLBACK');
      return 'ok';
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_BUSY') return 'busy';
      throw err;
    } finally {
      this.db.pragma(`busy_timeout = ${this.busyTimeoutMs}`);
    }
  }

  countOpenSessions(at: number): number {
    return (this.stmts.countOpen.get(at) as { n: number }).n;
  }

  ensureClass(owner: string, name: string, at: number): ClassRecord {
    const display = cleanText(name);
    const key = nameKey(display);
    return this.transaction(() => {
      const found = this.stmts.classByOwnerKey.get(owner, key) as ClassRecord | undefined;
      if (found) return found;
      const r = this.stmts.insertClass.run(display, key, owner, at);
      return this.getClass(Number(r.lastInsertRowid))!;
    });
  }

  findClasses(query: { owner?: string; nameKey?: string; nameContains?: string }): ClassRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.owner !== undefined) where.push('owner = ?'), params.push(query.owner);
    if (query.nameKey !== undefined) where.push('name_key = ?'), params.push(query.nameKey);
    if (query.nameContains !== undefined) where.push('instr(name_key, ?) > 0'), params.push(query.nameContains);
    const sql = `SELECT ${CLASS_COLUMNS} FROM classes ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id`;
    return this.db.prepare(sql).all(...params) as ClassRecord[];
  }

  createSession(input: NewSession): SessionRecord {
    try {
      const r = this.stmts.insertSession.run({ ...input, isGroup: input.isGroup ? 1 : 0 });
      return toSession(this.stmts.sessionById.get(Number(r.lastInsertRowid)) as SessionRow)!;
    } catch (err) {
      if (isUniqueViolation(err)) throw new CodeTakenError(input.code);
      throw err;
    }
  }

  isCodeTaken(code: string): boolean {
    return this.stmts.codeTaken.get(code) !== undefined;
  }

  getSessionByCode(code: string): SessionRecord | undefined {
    return toSession(this.stmts.sessionByCode.get(code) as SessionRow | undefined);
  }

  latestSession(owner: string): SessionRecord | undefined {
    return toSession(this.stmts.latestByOwner.get(owner) as SessionRow | undefined);
  }

  latestOpenSession(owner: string, at: number): SessionRecord | undefined {
    return toSession(this.stmts.latestOpenByOwner.get(owner, at) as SessionRow | undefined);
  }

  openSessionForChat(channel: string, chatId: string, at: number): SessionRecord | undefined {
    return toSession(this.stmts.openForChat.get(channel, chatId, at) as SessionRow | undefined);
  }

  closeSession(sessionId: number, at: number): boolean {
    return this.stmts.closeSession.run(at, sessionId).changes === 1;
  }

  checkIn(input: CheckinInput): CheckinOutcome {
    return this.transaction((): CheckinOutcome => {
      const { sessionId, channel, userId } = input;
      const found = this.stmts.checkinByUser.get(sessionId, channel, userId) as
        | (CheckinRecord & { messageId: string | null })
        | undefined;
      if (found) {
        const { messageId, ...existing } = found;
        // The same message again (a redelivery): the answer of its first delivery.
        if (input.messageId !== null && messageId === input.messageId) return { kind: 'created', checkin: existing };
        const nameChanged = input.nameGiven && input.name !== existing.name;
        if (nameChanged) {
          this.stmts.updateName.run(input.name, input.at, existing.id);
          return { kind: 'repeat', checkin: { ...existing, name: input.name, updatedAt: input.at }, nameChanged };
        }
        return { kind: 'repeat', checkin: existing, nameChanged: false };
      }
      const session = this.stmts.sessionById.get(sessionId) as SessionRow | undefined;
      if (session?.capacity != null) {
        const { n } = this.stmts.countCheckins.get(sessionId) as { n: number };
        if (n >= session.capacity) return { kind: 'full', capacity: session.capacity };
      }
      // The UNIQUE (session_id, channel, user_id) key is the final guard: a second row cannot exist.
      const r = this.stmts.insertCheckin.run(
        sessionId,
        channel,
        userId,
        input.name,
        input.at,
        input.at,
        input.messageId,
      );
      const checkin: CheckinRecord = {
        id: Number(r.lastInsertRowid),
        sessionId,
        channel,
        userId,
        name: input.name,
        checkedInAt: input.at,
        updatedAt: input.at,
      };
      return { kind: 'created', checkin };
    });
  }

  listCheckins(sessionId: number): CheckinRecord[] {
    return this.stmts.listCheckins.all(sessionId) as CheckinRecord[];
  }

  countCheckins(sessionId: number): number {
    return (this.stmts.countCheckins.get(sessionId) as { n: number }).n;
  }

  getProcessedReply(key: MessageKey): string | undefined {
    const row = this.stmts.getProcessed.get(key.channel, key.chatId, key.messageId) as { reply: string } | undefined;
    return row?.reply;
  }

  recordProcessed(key: MessageKey, reply: string, at: number): void {
    this.stmts.insertProcessed.run(key.channel, key.chatId, key.messageId, reply, at);
  }

  pruneProcessed(before: number): number {
    return this.stmts.pruneProcessed.run(before).changes;
  }

  exportRows(query: ExportQuery): ExportRow[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.owner !== undefined) where.push('c.owner = ?'), params.push(query.owner);
    if (query.classIds !== undefined) {
      where.push(`c.id IN (${query.classIds.map(() => '?').join(',') || 'NULL'})`);
      params.push(...query.classIds);
    }
    if (query.code !== undefined) where.push('s.code = ?'), params.push(query.code);
    if (query.fromMs !== undefined) where.push('s.opened_at >= ?'), params.push(query.fromMs);
    if (query.toMs !== undefined) where.push('s.opened_at < ?'), params.push(query.toMs);
    const sql = `SELECT c.name AS className, s.code AS sessionCode, s.opened_at AS openedAt, k.name AS name,
        k.channel AS channel, k.user_id AS userId, k.checked_in_at AS checkedInAt
      FROM checkins k JOIN sessions s ON s.id = k.session_id JOIN classes c ON c.id = s.class_id
      ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
      ORDER BY s.opened_at, s.id, k.checked_in_at, k.id`;
    return this.db.prepare(sql).all(...params) as ExportRow[];
  }

  listSessions(query: { owner?: string; classId?: number } = {}): SessionSummary[] {
    const conds: string[] = [];
    const params: unknown[] = [];
    if (query.owner !== undefined) conds.push('c.owner = ?'), params.push(query.owner);
    if (query.classId !== undefined) conds.push('c.id = ?'), params.push(query.classId);
    const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
    const sql = `SELECT ${SESSION_COLUMNS}, (SELECT COUNT(*) FROM checkins k WHERE k.session_id = s.id) AS checkins
      FROM sessions s JOIN classes c ON c.id = s.class_id ${where} ORDER BY c.name, s.opened_at, s.id`;
    return (this.db.prepare(sql).all(...params) as (SessionRow & { checkins: number })[]).map((r) => ({
      ...r,
      isGroup: r.isGroup === 1,
    }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export { isUniqueViolation };
