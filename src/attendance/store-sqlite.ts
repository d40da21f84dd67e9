// AttendanceStore on SQLite: the one-machine default. An async face over the synchronous better-sqlite3 store
// (store.ts), so that the service and the pages work the same over SQLite and PostgreSQL.
import { SqliteAttendanceDb, type SqliteStoreOptions } from './store';
import type {
  AttendanceStore,
  CheckinInput,
  ExportQuery,
  MessageKey,
  NewLearner,
  NewSession,
  TrainerRecord,
} from './types';

/**
 * One connection serves every request, so while a transaction awaits its callback nothing else may run a statement
 * on it (the statement would join the transaction). Transactions queue one after another; other calls wait only
 * while one is open.
 */
class TxGate {
  private chain: Promise<unknown> = Promise.resolve();
  private current: Promise<unknown> | null = null;

  get busy(): boolean {
    return this.current !== null;
  }

  whenFree(): Promise<unknown> {
    return this.current ?? Promise.resolve();
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(async () => {
      const p = fn();
      this.current = p;
      try {
        return await p;
      } finally {
        this.current = null;
      }
    });
    this.chain = next.catch(() => undefined);
    return next;
  }
}

export class SqliteAttendanceStore implements AttendanceStore {
  readonly sync: SqliteAttendanceDb;
  /** null for the view handed to a transaction's callback: its calls run at once, inside the transaction. */
  private readonly gate: TxGate | null;
  private readonly txView: SqliteAttendanceStore;

  constructor(dbPath: string | SqliteAttendanceDb, opts: SqliteStoreOptions = {}, inTransaction = false) {
    this.sync = typeof dbPath === 'string' ? new SqliteAttendanceDb(dbPath, opts) : dbPath;
    this.gate = inTransaction ? null : new TxGate();
    this.txView = inTransaction ? this : new SqliteAttendanceStore(this.sync, opts, true);
  }

  /** The better-sqlite3 connection (pragmas, integrity checks in tests). */
  get db() {
    return this.sync.db;
  }

  private call<T>(f: (d: SqliteAttendanceDb) => T): Promise<T> {
    if (this.gate?.busy)
      return this.gate.whenFree().then(
        () => this.call(f),
        () => this.call(f),
      );
    try {
      return Promise.resolve(f(this.sync));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  transaction<T>(fn: (tx: AttendanceStore) => Promise<T>): Promise<T> {
    if (!this.gate) return fn(this);
    const db = this.sync.db;
    return this.gate.run(async () => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn(this.txView);
        db.exec('COMMIT');
        return out;
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw err;
      }
    });
  }

  probeWritable = () => this.call((d) => d.probeWritable());
  countOpenSessions = (at: number) => this.call((d) => d.countOpenSessions(at));
  ensureClass = (owner: string, name: string, at: number) => this.call((d) => d.ensureClass(owner, name, at));
  findClasses = (q: { owner?: string; nameKey?: string; nameContains?: string }) => this.call((d) => d.findClasses(q));
  createSession = (input: NewSession) => this.call((d) => d.createSession(input));
  isCodeTaken = (code: string) => this.call((d) => d.isCodeTaken(code));
  getSessionByCode = (code: string) => this.call((d) => d.getSessionByCode(code));
  latestSession = (owner: string) => this.call((d) => d.latestSession(owner));
  latestOpenSession = (owner: string, at: number) => this.call((d) => d.latestOpenSession(owner, at));
  openSessionForChat = (channel: string, chatId: string, at: number) =>
    this.call((d) => d.openSessionForChat(channel, chatId, at));
  closeSession = (sessionId: number, at: number) => this.call((d) => d.closeSession(sessionId, at));
  checkIn = (input: CheckinInput) => this.call((d) => d.checkIn(input));
  listCheckins = (sessionId: number) => this.call((d) => d.listCheckins(sessionId));
  countCheckins = (sessionId: number) => this.call((d) => d.countCheckins(sessionId));
  getProcessedReply = (key: MessageKey) => this.call((d) => d.getProcessedReply(key));
  recordProcessed = (key: MessageKey, reply: string, at: number) => this.call((d) => d.recordProcessed(key, reply, at));
  pruneProcessed = (before: number) => this.call((d) => d.pruneProcessed(before));
  exportRows = (q: ExportQuery) => this.call((d) => d.exportRows(q));
  listSessions = (q?: { owner?: string; classId?: number }) => this.call((d) => d.listSessions(q));

  getClass = (classId: number) => this.call((d) => d.getClass(classId));
  setGraceMinutes = (classId: number, minutes: number) => this.call((d) => d.setGraceMinutes(classId, minutes));
  listLearners = (classId: number, opts?: { includeRemoved?: boolean }) =>
    this.call((d) => d.listLearners(classId, opts));
  addLearners = (classId: number, learners: NewLearner[], at: number) =>
    this.call((d) => d.addLearners(classId, learners, at));
  replaceRoster = (classId: number, learners: NewLearner[], at: number) =>
    this.call((d) => d.replaceRoster(classId, learners, at));
  getLearner = (learnerId: number) => this.call((d) => d.getLearner(learnerId));
  removeLearner = (learnerId: number, at: number) => this.call((d) => d.removeLearner(learnerId, at));
  listClassCheckins = (classId: number, range?: { fromMs?: number; toMs?: number }) =>
    this.call((d) => d.listClassCheckins(classId, range));
  linkCheckin = (checkinId: number, learnerId: number | null | undefined, by: string, at: number) =>
    this.call((d) => d.linkCheckin(checkinId, learnerId, by, at));
  getCheckin = (checkinId: number) => this.call((d) => d.getCheckin(checkinId));
  listTrainers = () => this.call((d) => d.listTrainers());
  isTrainer = (identity: string) => this.call((d) => d.isTrainer(identity));
  upsertTrainer = (t: TrainerRecord) => this.call((d) => d.upsertTrainer(t));
  removeTrainer = (identity: string) => this.call((d) => d.removeTrainer(identity));
  createSignInCode = (codeHash: string, identity: string, at: number, expiresAt: number) =>
    this.call((d) => d.createSignInCode(codeHash, identity, at, expiresAt));
  redeemSignInCode = (codeHash: string, at: number) => this.call((d) => d.redeemSignInCode(codeHash, at));
  createWebSession = (tokenHash: string, identity: string, at: number, expiresAt: number) =>
    this.call((d) => d.createWebSession(tokenHash, identity, at, expiresAt));
  webSessionIdentity = (tokenHash: string, at: number) => this.call((d) => d.webSessionIdentity(tokenHash, at));
  deleteWebSession = (tokenHash: string) => this.call((d) => d.deleteWebSession(tokenHash));
  pruneSignIns = (at: number) => this.call((d) => d.pruneSignIns(at));

  async close(): Promise<void> {
    if (this.gate) await this.gate.whenFree();
    this.sync.close();
  }
}
