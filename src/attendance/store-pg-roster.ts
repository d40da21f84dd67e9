// PostgreSQL side of the roster, trainer and web sign-in parts of the attendance store (see RosterStore).
import type { Database, Queryable } from '../db';
import { planRosterSync } from './store-roster';
import { nameKey } from './text';
import type {
  CheckinRecord,
  ClassCheckin,
  ClassRecord,
  LearnerRecord,
  NewLearner,
  RosterStore,
  RosterSyncResult,
  TrainerRecord,
} from './types';

const CLASS_COLUMNS = `id, name, name_key AS "nameKey", owner, created_at AS "createdAt", grace_minutes AS "graceMinutes"`;
const CHECKIN_COLUMNS = `id, session_id AS "sessionId", channel, user_id AS "userId", name,
  checked_in_at AS "checkedInAt", updated_at AS "updatedAt"`;
const LEARNER_COLUMNS = `id, class_id AS "classId", position, name, name_key AS "nameKey", phone, birth_date AS "birthDate",
  village, added_at AS "addedAt", removed_at AS "removedAt"`;

const TRAINERS_TTL_MS = 5000;
/** Per database (shared by the views of one replica's stores, transactions included). */
const trainersCache = new WeakMap<Database, { at: number; ids: Set<string> }>();

export class PgRosterStore implements RosterStore {
  /** `q` is the pool, or the client of the transaction this view belongs to. */
  constructor(
    protected readonly database: Database,
    readonly q: Queryable,
    protected readonly inTransaction: boolean,
  ) {}

  /** Runs `fn` on the client of one transaction (this view's own when it already is one). */
  protected inTx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.inTransaction ? fn(this.q) : this.database.transaction(fn);
  }

  private async rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.q.query(sql, params)).rows as T[];
  }

  async getClass(classId: number): Promise<ClassRecord | undefined> {
    return (await this.rows<ClassRecord>(`SELECT ${CLASS_COLUMNS} FROM classes WHERE id = $1`, [classId]))[0];
  }

  async setGraceMinutes(classId: number, minutes: number): Promise<void> {
    await this.q.query('UPDATE classes SET grace_minutes = $1 WHERE id = $2', [minutes, classId]);
  }

  listLearners(classId: number, opts: { includeRemoved?: boolean } = {}): Promise<LearnerRecord[]> {
    return opts.includeRemoved
      ? this.rows(
          `SELECT ${LEARNER_COLUMNS} FROM learners WHERE class_id = $1 ORDER BY removed_at IS NOT NULL, position, id`,
          [classId],
        )
      : this.rows(
          `SELECT ${LEARNER_COLUMNS} FROM learners WHERE class_id = $1 AND removed_at IS NULL ORDER BY position, id`,
          [classId],
        );
  }

  private static async insert(
    q: Queryable,
    classId: number,
    position: number,
    l: NewLearner,
    at: number,
  ): Promise<LearnerRecord> {
    const key = nameKey(l.name);
    const r = await q.query(
      `INSERT INTO learners (class_id, position, name, name_key, phone, birth_date, village, added_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [classId, position, l.name, key, l.phone, l.birthDate, l.village, at],
    );
    return { id: r.rows[0].id as number, classId, position, ...l, nameKey: key, addedAt: at, removedAt: null };
  }

  addLearners(classId: number, learners: NewLearner[], at: number): Promise<LearnerRecord[]> {
    return this.inTx(async (q) => {
      // The class row lock orders concurrent additions (positions stay distinct).
      await q.query('SELECT 1 FROM classes WHERE id = $1 FOR UPDATE', [classId]);
      let pos = (
        await q.query(
          'SELECT COALESCE(MAX(position), 0) AS p FROM learners WHERE class_id = $1 AND removed_at IS NULL',
          [classId],
        )
      ).rows[0].p as number;
      const out: LearnerRecord[] = [];
      for (const l of learners) out.push(await PgRosterStore.insert(q, classId, ++pos, l, at));
      return out;
    });
  }

  replaceRoster(classId: number, learners: NewLearner[], at: number): Promise<RosterSyncResult> {
    return this.inTx(async (q) => {
      await q.query('SELECT 1 FROM classes WHERE id = $1 FOR UPDATE', [classId]);
      const all = (
        await q.query(
          `SELECT ${LEARNER_COLUMNS} FROM learners WHERE class_id = $1 ORDER BY removed_at IS NOT NULL, position, id`,
          [classId],
        )
      ).rows as LearnerRecord[];
      const plan = planRosterSync(all, learners);
      for (const { position, row } of plan.insert) await PgRosterStore.insert(q, classId, position, row, at);
      for (const { id, position, row } of plan.update) {
        await q.query(
          `UPDATE learners SET position = $1, name = $2, name_key = $3, phone = $4, birth_date = $5, village = $6, removed_at = NULL
           WHERE id = $7`,
          [position, row.name, nameKey(row.name), row.phone, row.birthDate, row.village, id],
        );
      }
      if (plan.remove.length)
        await q.query('UPDATE learners SET removed_at = $1 WHERE id = ANY($2::int[]) AND removed_at IS NULL', [
          at,
          plan.remove,
        ]);
      return plan.result;
    });
  }

  async getLearner(learnerId: number): Promise<LearnerRecord | undefined> {
    return (await this.rows<LearnerRecord>(`SELECT ${LEARNER_COLUMNS} FROM learners WHERE id = $1`, [learnerId]))[0];
  }

  async removeLearner(learnerId: number, at: number): Promise<boolean> {
    return (
      (await this.q.query('UPDATE learners SET removed_at = $1 WHERE id = $2 AND removed_at IS NULL', [at, learnerId]))
        .rowCount === 1
    );
  }

  async listClassCheckins(classId: number, range: { fromMs?: number; toMs?: number } = {}): Promise<ClassCheckin[]> {
    const rows = await this.rows<CheckinRecord & { linked: number | null; linkedLearnerId: number | null }>(
      `SELECT k.id, k.session_id AS "sessionId", k.channel, k.user_id AS "userId", k.name, k.checked_in_at AS "checkedInAt",
         k.updated_at AS "updatedAt", l.checkin_id AS linked, l.learner_id AS "linkedLearnerId"
       FROM checkins k JOIN sessions s ON s.id = k.session_id LEFT JOIN checkin_links l ON l.checkin_id = k.id
       WHERE s.class_id = $1 AND s.opened_at >= $2 AND s.opened_at < $3 ORDER BY k.checked_in_at, k.id`,
      [classId, range.fromMs ?? 0, range.toMs ?? Number.MAX_SAFE_INTEGER],
    );
    return rows.map(({ linked, linkedLearnerId, ...c }) => (linked === null ? c : { ...c, linkedLearnerId }));
  }

  async linkCheckin(checkinId: number, learnerId: number | null | undefined, by: string, at: number): Promise<void> {
    if (learnerId === undefined) {
      await this.q.query('DELETE FROM checkin_links WHERE checkin_id = $1', [checkinId]);
      return;
    }
    await this.q.query(
      `INSERT INTO checkin_links (checkin_id, learner_id, linked_by, linked_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (checkin_id) DO UPDATE SET learner_id = EXCLUDED.learner_id, linked_by = EXCLUDED.linked_by, linked_at = EXCLUDED.linked_at`,
      [checkinId, learnerId, by, at],
    );
  }

  async getCheckin(checkinId: number): Promise<CheckinRecord | undefined> {
    return (await this.rows<CheckinRecord>(`SELECT ${CHECKIN_COLUMNS} FROM checkins WHERE id = $1`, [checkinId]))[0];
  }

  listTrainers(): Promise<TrainerRecord[]> {
    return this.rows(
      'SELECT identity, name, added_by AS "addedBy", added_at AS "addedAt" FROM trainers ORDER BY added_at, identity',
    );
  }

  /**
   * Every message asks whether its sender is a trainer: the (small) list is read once per TRAINERS_TTL_MS instead
   * of once per message. This replica's own changes apply at once; another replica's within the TTL.
   */
  async isTrainer(identity: string): Promise<boolean> {
    const now = Date.now();
    if (!trainersCache.has(this.database) || trainersCache.get(this.database)!.at <= now - TRAINERS_TTL_MS) {
      const ids = (await this.rows<{ identity: string }>('SELECT identity FROM trainers')).map((r) => r.identity);
      trainersCache.set(this.database, { at: now, ids: new Set(ids) });
    }
    return trainersCache.get(this.database)!.ids.has(identity);
  }

  async upsertTrainer(t: TrainerRecord): Promise<void> {
    await this.q.query(
      `INSERT INTO trainers (identity, name, added_by, added_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (identity) DO UPDATE SET name = EXCLUDED.name`,
      [t.identity, t.name, t.addedBy, t.addedAt],
    );
    trainersCache.delete(this.database);
  }

  async removeTrainer(identity: string): Promise<boolean> {
    const removed = await this.inTx(async (q) => {
      await q.query('DELETE FROM web_sessions WHERE identity = $1', [identity]);
      return (await q.query('DELETE FROM trainers WHERE identity = $1', [identity])).rowCount === 1;
    });
    trainersCache.delete(this.database);
    return removed;
  }

  async createSignInCode(codeHash: string, identity: string, at: number, expiresAt: number): Promise<boolean> {
    const r = await this.q.query(
      'INSERT INTO sign_in_codes (code_hash, identity, created_at, expires_at) VALUES ($1, $2, $3, $4) ON CONFLICT (code_hash) DO NOTHING',
      [codeHash, identity, at, expiresAt],
    );
    return r.rowCount === 1;
  }

  async redeemSignInCode(codeHash: string, at: number): Promise<string | undefined> {
    const r = await this.rows<{ identity: string }>(
      'UPDATE sign_in_codes SET used_at = $1 WHERE code_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING identity',
      [at, codeHash],
    );
    return r[0]?.identity;
  }

  async createWebSession(tokenHash: string, identity: string, at: number, expiresAt: number): Promise<void> {
    await this.q.query(
      'INSERT INTO web_sessions (token_hash, identity, created_at, expires_at) VALUES ($1, $2, $3, $4)',
      [tokenHash, identity, at, expiresAt],
    );
  }

  async webSessionIdentity(tokenHash: string, at: number): Promise<string | undefined> {
    return (
      await this.rows<{ identity: string }>(
        'SELECT identity FROM web_sessions WHERE token_hash = $1 AND expires_at > $2',
        [tokenHash, at],
      )
    )[0]?.identity;
  }

  async deleteWebSession(tokenHash: string): Promise<void> {
    await this.q.query('DELETE FROM web_sessions WHERE token_hash = $1', [tokenHash]);
  }

  async pruneSignIns(at: number): Promise<void> {
    await this.q.query('DELETE FROM sign_in_codes WHERE expires_at <= $1', [at]);
    await this.q.query('DELETE FROM web_sessions WHERE expires_at <= $1', [at]);
  }
}
