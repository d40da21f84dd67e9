// The attendance service: routes parsed messages to the rules and the store.
import type { Incoming, Outgoing, Role } from '../domain';
import { absentReply, addLate, classCommand, identityReply, signInReply } from './class-commands';
import { CodeAttemptGuard, codeClient } from './code-guard';
import { parseAttendance, type Command } from './grammar';
import { msg as text } from './messages';
import { classMsg } from './messages-class';
import { SqliteAttendanceStore } from './store-sqlite';
import { cleanName } from './text';
import { closeSession, exportSessions, listSession, openSession, type TrainerContext } from './trainer';
import type { AttendanceStore, MessageKey, SessionRecord } from './types';

interface AttendanceLogger {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

interface AttendanceDeps {
  /** SQLite file (the one-machine default); ignored when `store` is given. */
  dbPath: string;
  /** Another store, e.g. PostgreSQL for several replicas. */
  store?: AttendanceStore;
  now?: () => Date;
  /** pino logger or anything with error/warn; defaults to console. */
  logger?: AttendanceLogger;
  /** Public address of the web pages, for the sign-in link the bot sends (PUBLIC_URL). */
  publicUrl?: string;
  /** Throttle of wrong codes (default: in memory, see code-guard.ts). */
  codeGuard?: CodeAttemptGuard;
}

/** What handle() resolves to: null when the message is not for attendance (the router then treats it as a question). */
type AttendanceReply = Promise<Outgoing | null>;

export interface Attendance {
  handle(msg: Incoming, role: Role): AttendanceReply;
  looksLikeAttendance(text: string): boolean;
  /** True for trainers an admin added in the dashboard (TRAINER_IDS are the configuration's). */
  isTrainer(identity: string): Promise<boolean>;
  store: AttendanceStore;
  close(): Promise<void>;
}

/** Processed-message records are kept this long; platforms stop redelivering after minutes to hours. */
const PROCESSED_RETENTION_MS = 7 * 24 * 3600_000;
const PRUNE_EVERY = 1000;

const TRAINER_KINDS = new Set<Command['kind']>([
  'open',
  'open-invalid',
  'close',
  'list',
  'export',
  'export-invalid',
  'absent',
  'add-late',
  'class',
  'signin',
]);
const LOGIN_PATH = '/admin/login';

class AttendanceService implements Attendance {
  private handled = 0;
  private readonly now: () => Date;
  private readonly logger: AttendanceLogger;
  private readonly loginUrl: string;
  private readonly codeGuard: CodeAttemptGuard;

  constructor(
    readonly store: AttendanceStore,
    deps: { now?: () => Date; logger?: AttendanceLogger; publicUrl?: string; codeGuard?: CodeAttemptGuard } = {},
  ) {
    this.now = deps.now ?? (() => new Date());
    this.loginUrl = deps.publicUrl
      ? `${deps.publicUrl.replace(/\/+$/, '')}${LOGIN_PATH}`
      : `trang web của trợ lý, mục "Đăng nhập giảng viên" (${LOGIN_PATH})`;
    this.codeGuard = deps.codeGuard ?? new CodeAttemptGuard((at) => store.countOpenSessions(at));
    this.logger = deps.logger ?? {
      error: (o, m) => console.error(m ?? '', o),
      warn: (o, m) => console.warn(m ?? '', o),
    };
    void this.prune();
  }

  looksLikeAttendance(text: string): boolean {
    return parseAttendance(text) !== null;
  }

  isTrainer(identity: string): Promise<boolean> {
    return this.store.isTrainer(identity);
  }

  async handle(msg: Incoming, role: Role): AttendanceReply {
    if (msg.kind && msg.kind !== 'text') return null;
    const cmd = parseAttendance(msg.text ?? '');
    if (!cmd) return null;
    if (++this.handled % PRUNE_EVERY === 0) void this.prune();
    try {
      return await this.dispatch(cmd, msg, role);
    } catch (err) {
      return this.fail(err, msg);
    }
  }

  close(): Promise<void> {
    return this.store.close();
  }

  private fail(err: unknown, m: Incoming): Outgoing {
    // Nothing was committed (the transaction rolled back), so asking the user to resend is safe.
    this.logger.error(
      { err, channel: m.channel, chatId: m.chatId, messageId: m.messageId },
      'attendance: handling failed',
    );
    return { text: text.busy };
  }

  private async prune(): Promise<void> {
    try {
      await this.store.pruneProcessed(this.now().getTime() - PROCESSED_RETENTION_MS);
      await this.store.pruneSignIns(this.now().getTime());
    } catch (err) {
      this.logger.warn({ err }, 'attendance: pruning processed messages failed');
    }
  }

  private async dispatch(cmd: Command, m: Incoming, role: Role): AttendanceReply {
    const nowMs = this.now().getTime();
    if (TRAINER_KINDS.has(cmd.kind) && role === 'user') {
      // With "/" it is clearly a command: refuse politely. Without, it may be an ordinary question.
      return cmd.explicit ? { text: text.trainerOnly } : null;
    }
    const ctx: TrainerContext = { store: this.store, nowMs, msg: m, role };
    switch (cmd.kind) {
      case 'open':
        return this.once(ctx, (c) => openSession(c, cmd));
      case 'open-invalid':
        return { text: text.openError(cmd.error) };
      case 'close':
        return this.once(ctx, (c) => closeSession(c, cmd));
      case 'list':
        return listSession(ctx, cmd);
      case 'export':
        return exportSessions(ctx, cmd);
      case 'export-invalid':
        return { text: text.exportError(cmd.error) };
      case 'checkin':
        // Not through once(): the check-in statement itself is idempotent per message (see AttendanceStore.checkIn).
        return this.checkIn(cmd, m, nowMs);
      case 'identity':
        return identityReply(ctx, cmd);
      case 'signin':
        return signInReply(ctx, this.loginUrl);
      case 'absent':
        return absentReply(ctx, cmd);
      case 'add-late':
        return this.once(ctx, (c) => addLate(c, cmd));
      case 'class':
        return cmd.action.kind === 'list' || cmd.action.kind === 'show' || cmd.action.kind === 'learner'
          ? classCommand(ctx, cmd.action)
          : this.once(ctx, (c) => classCommand(c, cmd.action));
    }
  }

  /**
   * Runs a state-changing command at most once per platform message: the lookup, the change and the record of
   * the reply share one transaction, so a redelivered message gets the first reply back and changes nothing.
   */
  private once(ctx: TrainerContext, fn: (c: TrainerContext) => Promise<Outgoing | null>): Promise<Outgoing | null> {
    const m = ctx.msg;
    const key: MessageKey | null = m.messageId
      ? { channel: m.channel, chatId: m.chatId, messageId: m.messageId }
      : null;
    return this.store.transaction(async (tx): Promise<Outgoing | null> => {
      if (key) {
        const previous = await tx.getProcessedReply(key);
        if (previous !== undefined) return { text: previous };
      }
      const out = await fn({ ...ctx, store: tx });
      if (out && key) await tx.recordProcessed(key, out.text, ctx.nowMs);
      return out;
    });
  }

  private async checkIn(
    cmd: Extract<Command, { kind: 'checkin' }>,
    m: Incoming,
    nowMs: number,
  ): Promise<Outgoing | null> {
    let session: SessionRecord | undefined;
    let typedName = cmd.name;
    if (cmd.bare) {
      // "2Q79XK4M Tên" is a check-in only in a chat whose open session has exactly this code; anything else is
      // left to the assistant (a question), so it tells a guesser nothing and is not counted as a wrong code.
      session = await this.store.openSessionForChat(m.channel, m.chatId, nowMs);
      if (!session || session.code !== cmd.code) return null;
    } else if (cmd.code && /\d/.test(cmd.code)) {
      const client = codeClient(m);
      const verdict = await this.codeGuard.check(client, nowMs);
      if (!verdict.ok) {
        this.logger.warn(
          { channel: m.channel, chatId: m.chatId, scope: verdict.scope },
          'attendance: code attempts throttled',
        );
        return { text: text.tooManyCodeAttempts(verdict.retryAfterSeconds, verdict.scope) };
      }
      session = await this.store.getSessionByCode(cmd.code);
      // Unknown, closed or expired: one answer that names no class, so a guesser learns nothing.
      if (!session || session.closedAt !== null || session.expiresAt <= nowMs) {
        await this.codeGuard.failed(client, nowMs);
        return { text: text.unknownCode(cmd.code) };
      }
    } else if (cmd.code) {
      // Codes always contain a digit; a digit-less "code" is the first word of a name ("có mặt Thanh").
      typedName = cmd.nameIfNoCode;
    }
    if (!session) {
      if (!m.isGroup) return { text: text.checkinHint };
      session = await this.store.openSessionForChat(m.channel, m.chatId, nowMs);
      if (!session) return cmd.explicit ? { text: text.groupNoSession } : null;
    }

    const name = typedName ? cleanName(typedName) : '';
    const known = cleanName(m.userName);
    // The web has no profile name: ask once (the console remembers the answer) instead of recording "Khách".
    if (!name && !known && m.channel === 'web') {
      return { text: classMsg.askName, prompt: { kind: 'name', command: `dd ${session.code}` } };
    }
    const outcome = await this.store.checkIn({
      sessionId: session.id,
      channel: m.channel,
      userId: m.userId,
      name: name || known || `Người dùng ${m.userId}`,
      nameGiven: name !== '',
      at: nowMs,
      messageId: m.messageId || null,
    });
    switch (outcome.kind) {
      case 'created':
        return { text: text.checkedIn(outcome.checkin.name, session, outcome.checkin, nowMs), outcome: 'checked-in' };
      case 'repeat':
        return { text: text.repeat(outcome.checkin, outcome.nameChanged, nowMs) };
      case 'full':
        return { text: text.sessionFull(session, outcome.capacity) };
    }
  }
}

export function openAttendance(deps: AttendanceDeps): Attendance {
  const store = deps.store ?? new SqliteAttendanceStore(deps.dbPath);
  return new AttendanceService(store, {
    now: deps.now,
    logger: deps.logger,
    publicUrl: deps.publicUrl,
    codeGuard: deps.codeGuard,
  });
}
