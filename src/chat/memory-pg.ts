// ConversationStore on PostgreSQL (an UNLOGGED table), so a follow-up keeps its topic on whichever replica it
// lands. Each call is one statement; the turn list is trimmed in SQL.
import type { Turn } from '../answer';
import type { Queryable } from '../db';
import type { Choices, ConversationOptions, ConversationStore, LastAnswer } from './memory';
import type { Button } from '../domain';

const PRUNE_EVERY = 1000;

export class PgConversationStore implements ConversationStore {
  private writes = 0;

  constructor(
    private readonly q: Queryable,
    private readonly o: ConversationOptions,
  ) {}

  private async row(
    chatKey: string,
    nowMs: number,
    column: 'turns' | 'last_answer' | 'choices, choices_at',
  ): Promise<Record<string, unknown> | undefined> {
    return (
      await this.q.query(`SELECT ${column} FROM conversations WHERE chat_key = $1 AND expires_at > $2`, [
        chatKey,
        nowMs,
      ])
    ).rows[0];
  }

  private maybePrune(nowMs: number): void {
    if (++this.writes % PRUNE_EVERY === 0)
      void this.q.query('DELETE FROM conversations WHERE expires_at <= $1', [nowMs]).catch(() => undefined);
  }

  async history(chatKey: string, nowMs: number): Promise<Turn[]> {
    return ((await this.row(chatKey, nowMs, 'turns'))?.turns as Turn[] | undefined) ?? [];
  }

  async lastAnswer(chatKey: string, nowMs: number): Promise<LastAnswer | undefined> {
    return ((await this.row(chatKey, nowMs, 'last_answer'))?.last_answer as LastAnswer | null | undefined) ?? undefined;
  }

  async remember(chatKey: string, turn: Turn, last: LastAnswer, nowMs: number): Promise<void> {
    this.maybePrune(nowMs);
    const max = Math.max(0, this.o.maxTurns);
    // An expired row starts afresh; otherwise the new turn is appended and only the last `max` are kept.
    await this.q.query(
      `INSERT INTO conversations AS c (chat_key, turns, last_answer, expires_at)
         VALUES ($1, CASE WHEN $5::int > 0 THEN jsonb_build_array($2::jsonb) ELSE '[]'::jsonb END, $3::jsonb, $4::bigint + $6::bigint)
       ON CONFLICT (chat_key) DO UPDATE SET
         turns = (SELECT COALESCE(jsonb_agg(x.t ORDER BY x.i), '[]'::jsonb) FROM (
                    SELECT t, i FROM jsonb_array_elements(
                      CASE WHEN c.expires_at > $4::bigint THEN c.turns ELSE '[]'::jsonb END || jsonb_build_array($2::jsonb)
                    ) WITH ORDINALITY AS e(t, i) ORDER BY i DESC LIMIT $5) x),
         last_answer = EXCLUDED.last_answer,
         choices = CASE WHEN c.expires_at > $4 THEN c.choices END,
         choices_at = CASE WHEN c.expires_at > $4 THEN c.choices_at END,
         expires_at = EXCLUDED.expires_at`,
      [chatKey, JSON.stringify(turn), JSON.stringify(last), nowMs, max, this.o.ttlMs],
    );
  }

  async choices(chatKey: string, nowMs: number): Promise<Choices | undefined> {
    const r = await this.row(chatKey, nowMs, 'choices, choices_at');
    return r?.choices ? { buttons: r.choices as Button[], at: r.choices_at as number } : undefined;
  }

  async setChoices(chatKey: string, buttons: Button[], nowMs: number): Promise<void> {
    this.maybePrune(nowMs);
    await this.q.query(
      `INSERT INTO conversations AS c (chat_key, choices, choices_at, expires_at) VALUES ($1, $2::jsonb, $3::bigint, $3::bigint + $4::bigint)
       ON CONFLICT (chat_key) DO UPDATE SET choices = EXCLUDED.choices, choices_at = EXCLUDED.choices_at,
         turns = CASE WHEN c.expires_at > $3 THEN c.turns ELSE '[]'::jsonb END,
         last_answer = CASE WHEN c.expires_at > $3 THEN c.last_answer END,
         expires_at = EXCLUDED.expires_at`,
      [chatKey, JSON.stringify(buttons), nowMs, this.o.ttlMs],
    );
  }
}
