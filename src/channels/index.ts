import type { Config } from '../config';
import type { ChatCore } from '../chat';
import type { Logger } from '../log';
import { createTelegramBot } from './telegram';
import { createZaloBot } from './zalo';
import { createZaloOA } from './zalo-oa';
import { hasStoredZaloOATokens } from './zalo-oa-store';

/**
 * What the server needs from a chat platform: an optional webhook route and a lifecycle. Each adapter only
 * translates platform updates to Incoming and Outgoing back; no business logic lives here.
 */
export interface ChannelRunner {
  name: string;
  /** POST route on the project's HTTP server, when the channel receives webhooks. */
  webhookPath?: string;
  webhookHandler?: (req: Request) => Promise<Response>;
  /** Starts polling or registers the webhook; resolves once running. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ChannelDeps {
  logger: Logger;
  /** Directory for channel state (e.g. the Zalo OA token pair). */
  dataDir: string;
}

/** The channels whose credentials are configured. */
export function createChannels(config: Config, core: ChatCore, deps: ChannelDeps): ChannelRunner[] {
  const out: ChannelRunner[] = [];
  if (config.TELEGRAM_BOT_TOKEN) {
    const tg = createTelegramBot(config, core, { logger: deps.logger });
    out.push({
      name: 'telegram',
      webhookPath: tg.webhookPath,
      webhookHandler: tg.webhookPath ? tg.webhookHandler : undefined,
      start: tg.start,
      stop: tg.stop,
    });
  }
  if (config.ZALO_BOT_TOKEN) {
    // Webhook mode when ZALO_BOT_WEBHOOK_URL is set (mounted at its pathname), else long polling.
    const zb = createZaloBot(config, core, deps);
    out.push({
      name: zb.name,
      webhookPath: zb.webhookPath,
      webhookHandler: zb.webhookPath ? zb.webhookHandler : undefined,
      start: zb.start,
      stop: zb.stop,
    });
  }
  const oaApp = config.ZALO_OA_APP_ID;
  if (
    oaApp &&
    config.ZALO_OA_SECRET_KEY &&
    (config.ZALO_OA_ACCESS_TOKEN || config.ZALO_OA_REFRESH_TOKEN || hasStoredZaloOATokens(deps.dataDir, oaApp))
  ) {
    const oa = createZaloOA(config, core, deps);
    out.push({
      name: oa.name,
      webhookPath: oa.webhookPath,
      webhookHandler: oa.webhookHandler,
      start: oa.start,
      stop: oa.stop,
    });
  }
  return out;
}
export { WEBHOOK_MAX_BYTES } from './common';
