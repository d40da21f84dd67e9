// Domain records and the narrow storage interface of the attendance module.
// All instants are UTC epoch milliseconds.

export interface ClassRecord {
  id: number;
  name: string;
  /** Folded name used for matching ("lop ky nang so thon 3"). */
  nameKey: string;
  /** "<channel>:<userId>" of the trainer who created the class. */
  owner: string;
  createdAt: number;
  /** Check-ins later than this many minutes after a session opened count as late. */
  graceMinutes: number;
}

export interface SessionRecord extends NewSession {
  id: number;
  className: string;
  classOwner: string;
  closedAt: number | null;
}

export interface CheckinRecord {
  id: number;
  sessionId: number;
  channel: string;
  userId: string;
  name: string;
  checkedInAt: number;
  updatedAt: number;
}

/** One exported row: one check-in with its class and session. */
export interface ExportRow {
  className: string;
  sessionCode: string;
  openedAt: number;
  name: string;
  channel: string;
  userId: string;
  checkedInAt: number;
}

export interface ExportQuery {
  /** Only classes owned by this "<channel>:<userId>" (trainers); omit for admins and the CLI. */
  owner?: string;
  /** Only these classes. */
  classIds?: number[];
  /** Only this session. */
  code?: string;
  /** Sessions opened at or after this instant. */
  fromMs?: number;
  /** Sessions opened before this instant. */
  toMs?: number;
}

export interface SessionSummary extends SessionRecord {
  checkins: number;
}

export interface NewSession {
  classId: number;
  /** Globally unique (stronger than "unique among open sessions"), so a code always names one session. */
  code: string;
  openedBy: string;
  /** Where the session was opened, for code-less check-in in that group chat. */
  channel: string;
  chatId: string;
  isGroup: boolean;
  openedAt: number;
  expiresAt: number;
  /** Maximum number of distinct people, or null for no limit. */
  capacity: number | null;
}

export interface CheckinInput {
  sessionId: number;
  channel: string;
  userId: string;
  name: string;
  /** True when the person typed a name (then a repeat check-in updates it). */
  nameGiven: boolean;
  at: number;
  messageId: string | null;
}

export type CheckinOutcome =
  | { kind: 'created'; checkin: CheckinRecord }
  | { kind: 'repeat'; checkin: CheckinRecord; nameChanged: boolean }
  | { kind: 'full'; capacity: number };

export interface MessageKey {
  channel: string;
  chatId: string;
  messageId: string;
}

/** One person on a class roster. Removed learners are kept (removedAt set) so that past check-ins keep their match. */
export interface LearnerRecord {
  id: number;
  classId: number;
  /** 1-based order on the roster, as imported or added. */
  position: number;
  name: string;
  /** Folded name for matching (see nameKey). */
  nameKey: string;
  /** Digits only, national form ("0912345678"), or null. */
  phone: string | null;
  /** "yyyy-mm-dd" or just "yyyy", or null. */
  birthDate: string | null;
  village: string | null;
  addedAt: number;
  removedAt: number | null;
}

export interface NewLearner {
  name: string;
  phone: string | null;
  birthDate: string | null;
  village: string | null;
}

export interface RosterSyncResult {
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
}

/** A check-in with the trainer's manual match, when one was set. */
export interface ClassCheckin extends CheckinRecord {
  /** undefined: no manual decision (match automatically); null: "not on the roster"; a number: that learner. */
  linkedLearnerId?: number | null;
}

export interface TrainerRecord {
  /** "<channel>:<userId>". */
  identity: string;
  name: string;
  addedBy: string;
  addedAt: number;
}

/** Roster, trainer and web sign-in storage: part of AttendanceStore, split out to keep each list readable. */
export interface RosterStore {
  getClass(classId: number): Promise<ClassRecord | undefined>;
  setGraceMinutes(classId: number, minutes: number): Promise<void>;
  /** Active learners in roster order; with includeRemoved, removed ones too. */
  listLearners(classId: number, opts?: { includeRemoved?: boolean }): Promise<LearnerRecord[]>;
  /** Appends learners at the end of the roster. */
  addLearners(classId: number, learners: NewLearner[], at: number): Promise<LearnerRecord[]>;
  /**
   * Makes the active roster equal `learners` in one transaction: a learner already there (same name and the same
   * phone or birth date) is kept and updated, new ones are added, the others are marked removed.
   */
  replaceRoster(classId: number, learners: NewLearner[], at: number): Promise<RosterSyncResult>;
  getLearner(learnerId: number): Promise<LearnerRecord | undefined>;
  /** Marks a learner removed; false when there is no such active learner. */
  removeLearner(learnerId: number, at: number): Promise<boolean>;
  /** Check-ins of the class's sessions (opened in [fromMs, toMs) when given), with manual matches. */
  listClassCheckins(classId: number, range?: { fromMs?: number; toMs?: number }): Promise<ClassCheckin[]>;
  /** Sets (learnerId or null = "not on the roster") or, with undefined, clears the manual match of a check-in. */
  linkCheckin(checkinId: number, learnerId: number | null | undefined, by: string, at: number): Promise<void>;
  getCheckin(checkinId: number): Promise<CheckinRecord | undefined>;

  listTrainers(): Promise<TrainerRecord[]>;
  isTrainer(identity: string): Promise<boolean>;
  upsertTrainer(t: TrainerRecord): Promise<void>;
  /** Removes the trainer and ends their web sessions; false when not listed. */
  removeTrainer(identity: string): Promise<boolean>;

  /** One-time web sign-in codes, stored as hashes; false when this hash is already pending (draw another code). */
  createSignInCode(codeHash: string, identity: string, at: number, expiresAt: number): Promise<boolean>;
  /** Marks the code used and returns its identity, when it exists, is unused and not expired at `at`. */
  redeemSignInCode(codeHash: string, at: number): Promise<string | undefined>;
  createWebSession(tokenHash: string, identity: string, at: number, expiresAt: number): Promise<void>;
  webSessionIdentity(tokenHash: string, at: number): Promise<string | undefined>;
  deleteWebSession(tokenHash: string): Promise<void>;
  /** Forgets expired sign-in codes and web sessions. */
  pruneSignIns(at: number): Promise<void>;
}

/**
 * Storage used by the attendance service, made of whole operations: SQLite (store.ts, the one-machine default) and
 * PostgreSQL (store-pg.ts, several replicas) implement it, and test/attendance/store-contract.ts runs one suite
 * over both.
 */
export interface AttendanceStore extends RosterStore {
  /**
   * Runs `fn` in one write transaction; everything it does goes through `tx` (the store bound to that
   * transaction). Committed when `fn` resolves, rolled back if it throws.
   */
  transaction<T>(fn: (tx: AttendanceStore) => Promise<T>): Promise<T>;
  /**
   * Takes and releases the write lock without waiting for another connection: 'busy' when someone else holds it
   * (for /healthz, which must never stall); throws when the database cannot be written at all.
   */
  probeWritable(): Promise<'ok' | 'busy'>;
  /** Sessions open at `at` (not closed, not expired), over all classes. */
  countOpenSessions(at: number): Promise<number>;

  /** Returns the owner's class with this name, creating it the first time. */
  ensureClass(owner: string, name: string, at: number): Promise<ClassRecord>;
  /** Classes by owner and/or folded name key (exact), or folded key containing `nameContains`. */
  findClasses(query: { owner?: string; nameKey?: string; nameContains?: string }): Promise<ClassRecord[]>;

  /** Inserts a session; throws CodeTakenError when the code is already used. */
  createSession(input: NewSession): Promise<SessionRecord>;
  isCodeTaken(code: string): Promise<boolean>;
  getSessionByCode(code: string): Promise<SessionRecord | undefined>;
  /** Latest session opened by `owner`, open or not. */
  latestSession(owner: string): Promise<SessionRecord | undefined>;
  /** Latest session opened by `owner` that is open at `at` (not closed, not expired). */
  latestOpenSession(owner: string, at: number): Promise<SessionRecord | undefined>;
  /** Latest session opened in this chat that is open at `at`. */
  openSessionForChat(channel: string, chatId: string, at: number): Promise<SessionRecord | undefined>;
  /** Sets closed_at if not yet closed; returns false when it already was. */
  closeSession(sessionId: number, at: number): Promise<boolean>;

  /**
   * One check-in, idempotent per person and per message: the UNIQUE (session, channel, user) key makes a repeat
   * an update, never a second row, and the same platform message delivered again (to this replica or another)
   * gets the 'created' outcome of its first delivery back. Committed before it resolves.
   */
  checkIn(input: CheckinInput): Promise<CheckinOutcome>;
  listCheckins(sessionId: number): Promise<CheckinRecord[]>;
  countCheckins(sessionId: number): Promise<number>;

  /** Reply recorded for an already processed platform message. */
  getProcessedReply(key: MessageKey): Promise<string | undefined>;
  recordProcessed(key: MessageKey, reply: string, at: number): Promise<void>;
  /** Forget processed-message records older than `before` (platforms stop retrying after minutes or hours). */
  pruneProcessed(before: number): Promise<number>;

  exportRows(query: ExportQuery): Promise<ExportRow[]>;
  listSessions(query?: { owner?: string; classId?: number }): Promise<SessionSummary[]>;

  close(): Promise<void>;
}

export class CodeTakenError extends Error {
  constructor(code: string) {
    super(`attendance code already used: ${code}`);
    this.name = 'CodeTakenError';
  }
}
