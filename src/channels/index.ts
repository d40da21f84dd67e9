import type { Config } from '../config';
import type { ChatCore, ConversationStore } from '../chat';
import type { PgLeaseStore } from '../db';
import type { ProcessedEventStore } from '../infra';
import type { Logger } from '../log';
import type { ChannelRunner } from './common';
import { exclusivePolling } from './poll-lease';
import { createTelegramBot } from './telegram';
import { createZaloBot } from './zalo';
import { createZaloOA } from './zalo-oa';
import { hasStoredZaloOATokens, hasTokens, type OATokenStore } from './zalo-oa-store';

export interface ChannelDeps {
  logger: Logger;
  /** Directory for channel state (e.g. the Zalo OA token pair) when no shared stores are given. */
  dataDir: string;
  /**
   * Shared state (PostgreSQL with DATABASE_URL): OA tokens and event ids, Zalo choices. (Redelivered Zalo Bot
   * updates are caught by the chat core's duplicate filter.)
   */
  state?: {
    replica: string;
    oaTokens(appId: string): OATokenStore;
    oaProcessed(): ProcessedEventStore;
    conversations: ConversationStore;
    /** With several replicas: at most one of them polls each bot (the others stand by). */
    leases?: PgLeaseStore;
  };
}

/** The channels whose credentials are configured. */
export async function createChannels(config: Config, core: ChatCore, deps: ChannelDeps): Promise<ChannelRunner[]> {
  const out: ChannelRunner[] = [];
  const s = deps.state;
  const polling = (runner: ChannelRunner, hint: string): ChannelRunner =>
    s?.leases && !runner.webhookPath
      ? exclusivePolling(runner, { leases: s.leases, holder: s.replica, logger: deps.logger, hint })
      : runner;
  if (config.TELEGRAM_BOT_TOKEN) {
    const tg = createTelegramBot(config, core, { logger: deps.logger });
    out.push(
      polling(
        {
          name: 'telegram',
          webhookPath: tg.webhookPath,
          webhookHandler: tg.webhookPath ? tg.webhookHandler : undefined,
          start: tg.start,
          stop: tg.stop,
        },
        'set TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET',
      ),
    );
  }
  if (config.ZALO_BOT_TOKEN) {
    // Webhook mode when ZALO_BOT_WEBHOOK_URL is set (mounted at its pathname), else long polling.
    const zb = createZaloBot(config, core, { ...deps, conversations: s?.conversations });
    out.push(
      polling(
        {
          name: zb.name,
          webhookPath: zb.webhookPath,
          webhookHandler: zb.webhookPath ? zb.webhookHandler : undefined,
          start: zb.start,
          stop: zb.stop,
        },
        'set ZALO_BOT_WEBHOOK_URL and ZALO_BOT_WEBHOOK_SECRET',
      ),
    );
  }
  const oaApp = config.ZALO_OA_APP_ID;
  if (oaApp && config.ZALO_OA_SECRET_KEY) {
    const stored =
      config.ZALO_OA_ACCESS_TOKEN || config.ZALO_OA_REFRESH_TOKEN
        ? true
        : s
          ? await hasTokens(s.oaTokens(oaApp))
          : await hasStoredZaloOATokens(deps.dataDir, oaApp);
    if (stored) {
      const oa = createZaloOA(config, core, {
        ...deps,
        tokens: s?.oaTokens(oaApp),
        processed: s?.oaProcessed(),
        conversations: s?.conversations,
      });
      out.push({
        name: oa.name,
        webhookPath: oa.webhookPath,
        webhookHandler: oa.webhookHandler,
        start: oa.start,
        stop: oa.stop,
      });
    }
  }
  return out;
}
export { type ChannelRunner, WEBHOOK_MAX_BYTES } from './common';
export { type OATokenStore, ZALO_OA_DB, ZALO_OA_MIGRATIONS, ZaloOATokenStore } from './zalo-oa-store';
export { PgOATokenStore } from './zalo-oa-store-pg';
export { OA_PROCESSED_RETENTION_MS } from './zalo-oa';
