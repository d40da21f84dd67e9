// Two replicas long-polling one bot token conflict (Telegram answers 409, Zalo splits the updates), so with
// DATABASE_URL a bot in polling mode polls from one replica only: the holder of a lease in the database. The others
// refuse to poll and stand by (trying again every few seconds, so that polling resumes elsewhere when the holder
// dies). Several replicas should use webhooks; the log says so.
import type { PgLeaseStore } from '../db';
import type { Logger } from '../log';
import type { ChannelRunner } from './common';

export const POLL_LEASE_TTL_MS = 30_000;

export interface PollLeaseOptions {
  leases: Pick<PgLeaseStore, 'acquire' | 'release' | 'holder'>;
  holder: string;
  logger: Logger;
  /** How to switch the bot to webhooks (named in the warning). */
  hint: string;
  ttlMs?: number;
}

export function exclusivePolling(runner: ChannelRunner, o: PollLeaseOptions): ChannelRunner {
  const ttl = o.ttlMs ?? POLL_LEASE_TTL_MS;
  const name = `poll:${runner.name}`;
  const log = o.logger.child({ module: 'poll-lease', channel: runner.name });
  let timer: NodeJS.Timeout | undefined;
  let polling = false;
  let stopped = false;
  let warned = false;

  /** One look at the lease; `first`: errors propagate (start() fails as an unleased start would). */
  async function tick(first = false): Promise<void> {
    if (stopped) return;
    try {
      const mine = await o.leases.acquire(name, o.holder, ttl, Date.now());
      if (mine && !polling) {
        try {
          await runner.start();
        } catch (err) {
          await o.leases.release(name, o.holder).catch(() => undefined);
          throw err;
        }
        polling = true;
        log.info({ holder: o.holder }, `${runner.name}: this replica holds the polling lease and polls`);
      } else if (!mine && polling) {
        // Lost the lease (this process stalled longer than the TTL): another replica polls now.
        polling = false;
        log.error({}, `${runner.name}: polling lease lost; stopping polling here`);
        await runner.stop();
      } else if (!mine && !warned) {
        warned = true;
        const other = await o.leases.holder(name, Date.now());
        log.warn(
          { holder: other },
          `${runner.name}: another replica (${other ?? 'unknown'}) is polling this bot; this one refuses to poll and stands by. With several replicas, use webhooks: ${o.hint}`,
        );
      }
    } catch (err) {
      if (first) throw err;
      log.error({ err: (err as Error).message }, `${runner.name}: polling lease check failed`);
    }
    if (!stopped) timer = setTimeout(() => void tick(), ttl / 3).unref();
  }

  return {
    ...runner,
    async start() {
      await tick(true);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (polling) {
        polling = false;
        await runner.stop();
        await o.leases.release(name, o.holder).catch(() => undefined);
      }
    },
  };
}
