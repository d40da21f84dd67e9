import { randomBytes } from 'node:crypto';
import type { Answerer } from '../answer';
import type { Attendance } from '../attendance';
import { nfc } from '../text';
import type { VoiceTranscriber } from '../voice';
import { type Button, documentsOf, type HandleOptions, type Incoming, type Outgoing, type Role } from '../domain';
import { MemoryProcessedEvents, type ProcessedEventStore } from '../infra';
import type { Config } from '../config';
import { logger as rootLogger, type Logger } from '../log';
import { catalogFor, type CatalogSource } from './catalog';
import { isAttendanceCommand, parseCommand, sourcesReply, truncateQuestion, type ParsedCommand } from './commands';
import type { FeedbackStore, Vote } from './feedback';
import type { AnswerLog } from './answer-log';
import { MemoryAnswerLog } from './answer-log-memory';
import { ChatLimits, memoryLimitStores, type ChatLimitStores } from './limits';
import { MemoryConversationStore, type ConversationStore } from './memory';
import { msg } from './messages';
import { roleOfIdentity } from './roles';
import { answerVoice } from './voice';
import { receiveDocument, type DocumentIntake } from './documents';
import { type GapStore, maskPersonalData } from '../gaps';

interface ChatCoreDeps {
  config: Config;
  answerer: Answerer;
  attendance: Pick<Attendance, 'handle' | 'looksLikeAttendance' | 'isTrainer'>;
  /** The retriever (only its loaded index is used, for the /thutuc catalog). */
  retriever: CatalogSource;
  feedback: FeedbackStore;
  /** Transcribes voice notes; without it they get a "please type" reply and the procedure menu. */
  voice?: VoiceTranscriber;
  now?: () => Date;
  logger?: Logger;
  /** Rate-limit counters (default: in memory). */
  limits?: ChatLimitStores;
  /** Answers that may receive votes (default: the last 20,000, in memory). */
  answers?: AnswerLog;
  /** Follow-up topics and /nguon sources per chat (default: in memory). */
  memory?: ConversationStore;
  /** Duplicate filter of deliveries (default: the last 10,000 ids, in memory). */
  seen?: ProcessedEventStore;
  /** Where admins' documents sent in the chat go (the corpus manager); without it they are politely refused. */
  documents?: DocumentIntake;
  /** Declined questions and 👎 votes, for the report of what the corpus cannot answer. */
  gaps?: GapStore;
}

export interface ChatCore {
  /** Handles a message or, when `action` is set, a button tap. Never throws. */
  handle(msg: Incoming, opts?: HandleOptions): Promise<Outgoing[]>;
}

/** Longest text the core looks at; a platform may deliver megabytes (Zalo sets no limit). */
const MAX_INPUT_CHARS = 10_000;

/** Feedback buttons under an answer. */
function feedbackButtons(answerId: string): Button[][] {
  return [
    [
      { text: '👍', action: { type: 'vote', answerId, vote: 'up' } },
      { text: '👎', action: { type: 'vote', answerId, vote: 'down' } },
    ],
  ];
}

export function createChatCore(deps: ChatCoreDeps): ChatCore {
  const { config, answerer, attendance, feedback } = deps;
  const now = deps.now ?? (() => new Date());
  const log = (deps.logger ?? rootLogger).child({ module: 'chat' });
  const seen = deps.seen ?? new MemoryProcessedEvents(10_000);
  const limits = new ChatLimits(deps.limits ?? memoryLimitStores(config));
  const memory =
    deps.memory ??
    new MemoryConversationStore({ maxTurns: config.MEMORY_TURNS, ttlMs: config.MEMORY_TTL_MINUTES * 60_000 });
  const answers = deps.answers ?? new MemoryAnswerLog();
  const catalog = catalogFor(deps.retriever);

  const ids = (m: Incoming) => ({ channel: m.channel, chatId: m.chatId, userId: m.userId, messageId: m.messageId });

  async function handle(m: Incoming, opts: HandleOptions = {}): Promise<Outgoing[]> {
    const started = Date.now();
    try {
      const delivery = m.messageId && !m.oneDelivery ? `${m.channel}:${m.chatId}:${m.messageId}` : undefined;
      if (delivery && !(await seen.claim(delivery, now().getTime()))) {
        log.info({ ...ids(m), route: 'duplicate' }, 'chat: duplicate delivery ignored');
        return [];
      }
      const { route, out } = m.action !== undefined ? await tap(m, m.action) : await message(m, opts);
      // Not awaited: the reply need not wait for the mark (a duplicate meanwhile still finds the claim).
      if (delivery)
        void seen
          .done(delivery, now().getTime())
          .catch((err) => log.warn({ err, ...ids(m) }, 'chat: marking a delivery handled failed'));
      log.info({ ...ids(m), route, replies: out.length, ms: Date.now() - started }, 'chat: handled');
      return out;
    } catch (err) {
      log.error({ err, ...ids(m), ms: Date.now() - started }, 'chat: handling failed');
      return [{ text: msg.error, outcome: 'failed' }];
    }
  }

  type Routed = { route: string; out: Outgoing[] };

  /** `counted`: the rate limit was already charged (a transcribed voice note counts once). */
  async function message(m: Incoming, opts: HandleOptions, counted = false): Promise<Routed> {
    // Looked up only where a role matters (a plain question needs none): a database query with several replicas.
    let roleLookup: Promise<Role> | undefined;
    const role = () =>
      (roleLookup ??= roleOfIdentity(config, m.signedInAs ?? `${m.channel}:${m.userId}`, (k) =>
        attendance.isTrainer(k),
      ));
    const kind = m.kind ?? 'text';
    // Hard cap before any parsing (questions are cut again, with a note, at MAX_QUESTION_CHARS).
    const text = nfc((m.text ?? '').slice(0, MAX_INPUT_CHARS)).trim();
    const command = kind === 'text' ? parseCommand(text) : undefined;
    const nowMs = now().getTime();

    // In groups: commands, messages addressed to the bot, and check-ins ("có mặt") only.
    if (m.isGroup && !m.addressedToBot && !command) {
      if (kind !== 'text' || !text || !attendance.looksLikeAttendance(text)) return { route: 'group-ignored', out: [] };
      if (!(await limits.message(m, nowMs)).ok) return { route: 'rate-limited', out: [] };
      const reply = await attendance.handle({ ...m, text }, await role());
      return { route: 'attendance', out: reply ? [reply] : [] };
    }
    if (kind === 'sticker') return { route: 'hint', out: [{ text: msg.stickerHint }] };
    if (kind === 'document') {
      if (!(await limits.message(m, nowMs)).ok) return { route: 'rate-limited', out: [] };
      return receiveDocument(m, await role(), { intake: deps.documents, log });
    }
    if (kind !== 'text' && kind !== 'voice') return { route: 'hint', out: [{ text: msg.photoHint }] };
    if (kind === 'text' && !text) return { route: 'hint', out: [{ text: msg.emptyHint }] };

    const verdict = counted ? ({ ok: true } as const) : await limits.message(m, nowMs);
    if (!verdict.ok) {
      // The web console shows a reply to every message (an empty one looks like a hang); bots warn once a window.
      const warn = m.channel === 'web' || verdict.warn;
      return { route: 'rate-limited', out: warn ? [{ text: msg.rateLimited(verdict.retryAfterSeconds) }] : [] };
    }
    if (kind === 'voice') return answerVoice(m, voiceRoute(opts));
    if (command)
      return runCommand(
        m,
        { ...m, text: command.slash ? text : `/${command.name} ${command.args}`.trim() },
        command,
        role,
        opts,
      );
    if (attendance.looksLikeAttendance(text)) {
      const reply = await attendance.handle({ ...m, text }, await role());
      if (reply) return { route: 'attendance', out: [reply] };
    }
    return { route: 'question', out: [await ask(m, text, opts)] };
  }

  async function runCommand(
    m: Incoming,
    normalized: Incoming,
    c: ParsedCommand,
    role: () => Promise<Role>,
    opts: HandleOptions,
  ): Promise<Routed> {
    switch (c.name) {
      case 'start':
        return { route: 'start', out: [{ text: msg.start }] };
      case 'help':
      case 'trogiup':
        return { route: 'help', out: [{ text: msg.help((await role()) !== 'user') }] };
      case 'hoi':
        return c.args
          ? { route: 'question', out: [await ask(m, c.args, opts)] }
          : { route: 'hoi-usage', out: [{ text: msg.askUsage }] };
      case 'thutuc':
        return { route: 'catalog', out: [catalog().home()] };
      case 'nguon':
        return {
          route: 'sources',
          out: [
            {
              text: sourcesReply(
                c.args,
                await memory.lastAnswer(chatKey(m), now().getTime()),
                documentsOf(deps.retriever.index.chunks),
              ),
            },
          ],
        };
    }
    const reply = await attendance.handle(normalized, await role());
    if (reply) return { route: 'attendance', out: [reply] };
    if (isAttendanceCommand(c.name)) log.warn({ ...ids(m), command: c.name }, 'chat: attendance declined its command');
    return { route: 'unknown-command', out: [{ text: msg.unknownCommand }] };
  }

  const chatKey = (m: Incoming) => `${m.channel}:${m.chatId}`;

  /** Into the report of unanswered questions (masked there); a failing store never costs the reply. */
  async function recordGap(e: {
    kind: 'declined' | 'downvoted';
    question: string;
    channel: string;
    mode?: string;
    reason?: string;
  }): Promise<void> {
    try {
      await deps.gaps?.record({ ...e, at: now() });
    } catch (err) {
      log.error({ err, kind: e.kind }, 'chat: could not record an unanswered question');
    }
  }

  const voiceRoute = (opts: HandleOptions) => ({
    voice: deps.voice,
    limits: { seconds: config.VOICE_MAX_SECONDS, mb: config.VOICE_MAX_MB },
    menu: () => catalog().home(),
    asTyped: (typed: Incoming) => message(typed, opts, true),
    log,
  });

  async function ask(m: Incoming, raw: string, opts: HandleOptions): Promise<Outgoing> {
    const question = truncateQuestion(raw, config.MAX_QUESTION_CHARS);
    const truncated = question !== raw;
    const key = chatKey(m);
    const t0 = Date.now();
    let soFar = '';
    const onPartial = opts.onPartial;
    const onToken = onPartial ? (d: string) => onPartial((soFar += d)) : undefined;
    const answer = await answerer.answer(question, { history: await memory.history(key, now().getTime()), onToken });
    await memory.remember(
      key,
      { question, answer: answer.text, topic: answer.topic },
      { question, citations: answer.citations, mode: answer.mode },
      now().getTime(),
    );
    // Choices (which procedure? the nearest ones we have) as buttons; numbered choices on Zalo.
    const choices = (answer.suggestions ?? [])
      .map((s) => ({ text: s.title, action: catalog().suggestionAction(s.docId, s.section) }))
      .filter((b): b is Button => b.action !== undefined)
      .map((b) => [b]);
    const text = truncated ? `${msg.truncated(config.MAX_QUESTION_CHARS)}\n\n${answer.text}` : answer.text;
    if (answer.mode === 'smalltalk' || answer.mode === 'clarify') {
      log.info({ ...ids(m), mode: answer.mode, ms: Date.now() - t0 }, 'chat: answered');
      return { text, mode: answer.mode, ...(choices.length ? { buttons: choices } : {}) };
    }
    const answerId = randomBytes(6).toString('base64url');
    await answers.remember(answerId, { question, answer: answer.text, mode: answer.mode, chat: key }, now().getTime());
    if (answer.mode === 'declined')
      await recordGap({ kind: 'declined', question, channel: m.channel, mode: answer.mode, reason: answer.reason });
    log.info(
      {
        ...ids(m),
        answerId,
        mode: answer.mode,
        confidence: Number(answer.confidence.toFixed(3)),
        citations: answer.citations.length,
        truncated,
        ms: Date.now() - t0,
      },
      'chat: answered',
    );
    return {
      text,
      citations: answer.citations,
      mode: answer.mode,
      answerId,
      buttons: [...choices, ...feedbackButtons(answerId)],
    };
  }

  async function tap(m: Incoming, action: NonNullable<Incoming['action']>): Promise<Routed> {
    if (!(await limits.tap(m, now().getTime())).ok)
      return { route: 'rate-limited', out: [{ text: '', notice: msg.tapsLimited }] };
    switch (action.type) {
      case 'vote':
        return vote(m, action.answerId, action.vote);
      case 'voted':
        return { route: 'feedback-done', out: [{ text: '', notice: msg.feedbackThanks }] };
      case 'invalid':
        return { route: 'callback-unknown', out: [{ text: '', notice: msg.expiredButton }] };
      default: {
        const out = catalog().handle(action);
        // Opening a procedure makes it the conversation's topic: "lệ phí bao nhiêu?" then asks about it.
        const p = out ? catalog().procedureOf(action) : undefined;
        if (p)
          await memory.remember(
            chatKey(m),
            { question: p.title, answer: out!.text, topic: { docId: p.docId, title: p.title } },
            { question: p.title, citations: out!.citations ?? [], mode: 'catalog' },
            now().getTime(),
          );
        return { route: 'catalog', out: [out ? { ...out, notice: '' } : { text: '', notice: msg.expiredButton }] };
      }
    }
  }

  async function vote(m: Incoming, answerId: string, v: Vote): Promise<Routed> {
    const p = await answers.get(answerId, now().getTime());
    // Only answers we gave, voted on from the chat that received them: no votes on made-up or foreign ids.
    if (!p || p.chat !== chatKey(m)) {
      log.info({ ...ids(m), answerId, known: Boolean(p) }, 'chat: vote on an unknown answer refused');
      return { route: 'feedback-refused', out: [{ text: '', notice: msg.voteExpired, editButtons: [] }] };
    }
    await feedback.record({
      answerId,
      vote: v,
      question: maskPersonalData(p.question),
      answer: p.answer,
      mode: p.mode,
      channel: m.channel,
      chatId: m.chatId,
      userId: m.userId,
      at: now(),
    });
    log.info({ ...ids(m), answerId, vote: v }, 'chat: feedback recorded');
    if (v === 'down') await recordGap({ kind: 'downvoted', question: p.question, channel: m.channel, mode: p.mode });
    return {
      route: 'feedback',
      out: [
        {
          text: '',
          notice: msg.feedbackThanks,
          editButtons: [[{ text: msg.feedbackDone(v), action: { type: 'voted' } }]],
        },
      ],
    };
  }

  return { handle };
}
