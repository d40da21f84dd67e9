// SQLite side of the roster, trainer and web sign-in parts of the attendance store (see RosterStore).
import type Database from 'better-sqlite3';
import { compatible } from './learner';
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

export const CLASS_COLUMNS =
  'id, name, name_key AS nameKey, owner, created_at AS createdAt, grace_minutes AS graceMinutes';
export const CHECKIN_COLUMNS = `id, session_id AS sessionId, channel, user_id AS userId, name,
  checked_in_at AS checkedInAt, updated_at AS updatedAt`;
const LEARNER_COLUMNS = `id, class_id AS classId, position, name, name_key AS nameKey, phone, birth_date AS birthDate,
  village, added_at AS addedAt, removed_at AS removedAt`;

/** The learner of `list` that a roster row names: same phone first, then same name with no conflicting phone/date. */
function findSame(list: LearnerRecord[], row: NewLearner, key: string): LearnerRecord | undefined {
  if (row.phone) {
    const byPhone = list.find((l) => l.phone === row.phone);
    if (byPhone) return byPhone;
  }
  return list.find(
    (l) => l.nameKey === key && compatible(l.phone, row.phone) && compatible(l.birthDate, row.birthDate),
  );
}

export class SqliteRosterStore implements RosterStore {
  private readonly rs;

  constructor(readonly db: Database.Database) {
    this.rs = {
      classById: db.prepare(`SELECT ${CLASS_COLUMNS} FROM classes WHERE id = ?`),
      setGrace: db.prepare('UPDATE classes SET grace_minutes = ? WHERE id = ?'),
      learners: db.prepare(
        `SELECT ${LEARNER_COLUMNS} FROM learners WHERE class_id = ? AND removed_at IS NULL ORDER BY position, id`,
      ),
      learnersAll: db.prepare(
        `SELECT ${LEARNER_COLUMNS} FROM learners WHERE class_id = ? ORDER BY removed_at IS NOT NULL, position, id`,
      ),
      maxPosition: db.prepare(
        'SELECT COALESCE(MAX(position), 0) AS p FROM learners WHERE class_id = ? AND removed_at IS NULL',
      ),
      insertLearner:
        db.prepare(`INSERT INTO learners (class_id, position, name, name_key, phone, birth_date, village, added_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      learnerById: db.prepare(`SELECT ${LEARNER_COLUMNS} FROM learners WHERE id = ?`),
      updateLearner:
        db.prepare(`UPDATE learners SET position = ?, name = ?, name_key = ?, phone = ?, birth_date = ?, village = ?,
        removed_at = NULL WHERE id = ?`),
      removeLearner: db.prepare('UPDATE learners SET removed_at = ? WHERE id = ? AND removed_at IS NULL'),
      classCheckins: db.prepare(`SELECT k.id, k.session_id AS sessionId, k.channel, k.user_id AS userId, k.name,
          k.checked_in_at AS checkedInAt, k.updated_at AS updatedAt, l.checkin_id AS linked, l.learner_id AS linkedLearnerId
        FROM checkins k JOIN sessions s ON s.id = k.session_id LEFT JOIN checkin_links l ON l.checkin_id = k.id
        WHERE s.class_id = ? AND s.opened_at >= ? AND s.opened_at < ? ORDER BY k.checked_in_at, k.id`),
      upsertLink:
        db.prepare(`INSERT INTO checkin_links (checkin_id, learner_id, linked_by, linked_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (checkin_id) DO UPDATE SET learner_id = excluded.learner_id, linked_by = excluded.linked_by,
        linked_at = excluded.linked_at`),
      deleteLink: db.prepare('DELETE FROM checkin_links WHERE checkin_id = ?'),
      checkinById: db.prepare(`SELECT ${CHECKIN_COLUMNS} FROM checkins WHERE id = ?`),
      trainers: db.prepare(
        'SELECT identity, name, added_by AS addedBy, added_at AS addedAt FROM trainers ORDER BY added_at, identity',
      ),
      isTrainer: db.prepare('SELECT 1 FROM trainers WHERE identity = ?'),
      upsertTrainer: db.prepare(`INSERT INTO trainers (identity, name, added_by, added_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (identity) DO UPDATE SET name = excluded.name`),
      deleteTrainer: db.prepare('DELETE FROM trainers WHERE identity = ?'),
      deleteSessionsOf: db.prepare('DELETE FROM web_sessions WHERE identity = ?'),
      insertCode: db.prepare(
        'INSERT INTO sign_in_codes (code_hash, identity, created_at, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (code_hash) DO NOTHING',
      ),
      useCode:
        db.prepare(`UPDATE sign_in_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?
        RETURNING identity`),
      insertWebSession: db.prepare(
        'INSERT INTO web_sessions (token_hash, identity, created_at, expires_at) VALUES (?, ?, ?, ?)',
      ),
      webSession: db.prepare('SELECT identity FROM web_sessions WHERE token_hash = ? AND expires_at > ?'),
      deleteWebSession: db.prepare('DELETE FROM web_sessions WHERE token_hash = ?'),
      pruneCodes: db.prepare('DELETE FROM sign_in_codes WHERE expires_at <= ?'),
      pruneSessions: db.prepare('DELETE FROM web_sessions WHERE expires_at <= ?'),
    };
  }

  getClass(classId: number): ClassRecord | undefined {
    return this.rs.classById.get(classId) as ClassRecord | undefined;
  }

  setGraceMinutes(classId: number, minutes: number): void {
    this.rs.setGrace.run(minutes, classId);
  }

  listLearners(classId: number, opts: { includeRemoved?: boolean } = {}): LearnerRecord[] {
    return (opts.includeRemoved ? this.rs.learnersAll : this.rs.learners).all(classId) as LearnerRecord[];
  }

  private insert(classId: number, position: number, l: NewLearner, at: number): LearnerRecord {
    const key = nameKey(l.name);
    const r = this.rs.insertLearner.run(classId, position, l.name, key, l.phone, l.birthDate, l.village, at);
    return { id: Number(r.lastInsertRowid), classId, position, ...l, nameKey: key, addedAt: at, removedAt: null };
  }

  addLearners(classId: number, learners: NewLearner[], at: number): LearnerRecord[] {
    return this.db
      .transaction(() => {
        let pos = (this.rs.maxPosition.get(classId) as { p: number }).p;
        return learners.map((l) => this.insert(classId, ++pos, l, at));
      })
      .immediate();
  }

  replaceRoster(classId: number, learners: NewLearner[], at: number): RosterSyncResult {
    return this.db
      .transaction((): RosterSyncResult => {
        const result: RosterSyncResult = { added: 0, updated: 0, removed: 0, unchanged: 0 };
        const active = this.listLearners(classId);
        // Someone removed earlier and back in the new list gets their old record (and history) back.
        const removed = this.listLearners(classId, { includeRemoved: true }).filter((l) => l.removedAt !== null);
        const kept = new Set<number>();
        learners.forEach((row, i) => {
          const key = nameKey(row.name);
          const free = (l: LearnerRecord): boolean => !kept.has(l.id);
          const same = findSame(active.filter(free), row, key) ?? findSame(removed.filter(free), row, key);
          if (!same) {
            this.insert(classId, i + 1, row, at);
            result.added++;
            return;
          }
          kept.add(same.id);
          const changed =
            same.position !== i + 1 ||
            same.name !== row.name ||
            same.phone !== row.phone ||
            same.birthDate !== row.birthDate ||
            same.village !== row.village ||
            same.removedAt !== null;
          if (changed) this.rs.updateLearner.run(i + 1, row.name, key, row.phone, row.birthDate, row.village, same.id);
          // A changed position alone is bookkeeping, not an update the trainer needs to hear about.
          const visible =
            same.name !== row.name ||
            same.phone !== row.phone ||
            same.birthDate !== row.birthDate ||
            same.village !== row.village ||
            same.removedAt !== null;
          if (visible) result.updated++;
          else result.unchanged++;
        });
        for (const l of active) {
          if (kept.has(l.id)) continue;
          this.rs.removeLearner.run(at, l.id);
          result.removed++;
        }
        return result;
      })
      .immediate();
  }

  getLearner(learnerId: number): LearnerRecord | undefined {
    return this.rs.learnerById.get(learnerId) as LearnerRecord | undefined;
  }

  removeLearner(learnerId: number, at: number): boolean {
    return this.rs.removeLearner.run(at, learnerId).changes === 1;
  }

  listClassCheckins(classId: number, range: { fromMs?: number; toMs?: number } = {}): ClassCheckin[] {
    const rows = this.rs.classCheckins.all(
      classId,
      range.fromMs ?? 0,
      range.toMs ?? Number.MAX_SAFE_INTEGER,
    ) as (CheckinRecord & {
      linked: number | null;
      linkedLearnerId: number | null;
    })[];
    return rows.map(({ linked, linkedLearnerId, ...c }) => (linked === null ? c : { ...c, linkedLearnerId }));
  }

  linkCheckin(checkinId: number, learnerId: number | null | undefined, by: string, at: number): void {
    if (learnerId === undefined) this.rs.deleteLink.run(checkinId);
    else this.rs.upsertLink.run(checkinId, learnerId, by, at);
  }

  getCheckin(checkinId: number): CheckinRecord | undefined {
    return this.rs.checkinById.get(checkinId) as CheckinRecord | undefined;
  }

  listTrainers(): TrainerRecord[] {
    return this.rs.trainers.all() as TrainerRecord[];
  }

  isTrainer(identity: string): boolean {
    return this.rs.isTrainer.get(identity) !== undefined;
  }

  upsertTrainer(t: TrainerRecord): void {
    this.rs.upsertTrainer.run(t.identity, t.name, t.addedBy, t.addedAt);
  }

  removeTrainer(identity: string): boolean {
    return this.db
      .transaction(() => {
        this.rs.deleteSessionsOf.run(identity);
        return this.rs.deleteTrainer.run(identity).changes === 1;
      })
      .immediate();
  }

  createSignInCode(codeHash: string, identity: string, at: number, expiresAt: number): boolean {
    return this.rs.insertCode.run(codeHash, identity, at, expiresAt).changes === 1;
  }

  redeemSignInCode(codeHash: string, at: number): string | undefined {
    return (this.rs.useCode.get(at, codeHash, at) as { identity: string } | undefined)?.identity;
  }

  createWebSession(tokenHash: string, identity: string, at: number, expiresAt: number): void {
    this.rs.insertWebSession.run(tokenHash, identity, at, expiresAt);
  }

  webSessionIdentity(tokenHash: string, at: number): string | undefined {
    return (this.rs.webSession.get(tokenHash, at) as { identity: string } | undefined)?.identity;
  }

  deleteWebSession(tokenHash: string): void {
    this.rs.deleteWebSession.run(tokenHash);
  }

  pruneSignIns(at: number): void {
    this.rs.pruneCodes.run(at);
    this.rs.pruneSessions.run(at);
  }
}
