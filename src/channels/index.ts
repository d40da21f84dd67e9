import type { Config } from '../config';
import type { ChatCore } from '../chat/core';
import type { Logger } from '../log';
import { createTelegramBot } from './telegram';

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
    const tg = createTelegramBot(config, core);
    out.push({ name: 'telegram', webhookPath: tg.webhookPath, webhookHandler: tg.webhookPath ? tg.webhookHandler : undefined, start: tg.start, stop: tg.stop });
  }
  return out;
}
