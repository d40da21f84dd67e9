// `npm start`: validate the configuration, ensure the search index, open the databases, serve the web console,
// dashboard, health, metrics and webhooks on one HTTP server, then start the chat channels whose tokens are set.
import type { Server } from 'node:http';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { createAnswerer } from './answer';
import { openAttendance } from './attendance';
import { type ChannelRunner, createChannels } from './channels';
import { createChatCore, openFeedbackStore } from './chat';
import { openRetriever } from './search';
import { createApp, drainServer, instrumentCore, Metrics, onStopSignals, watchLauncher } from './server';
import { createVoiceTranscriber, ffmpegAvailable } from './voice';
import { ConfigError, loadConfig, type Config } from './config';
import { configureLogger, logger } from './log';

const DRAIN_TIMEOUT_MS = 8_000;
const CHANNEL_STOP_TIMEOUT_MS = 5_000;

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(
        `${err.message}\nFix the variable(s) above in the environment or in .env, then run npm start again.\n`,
      );
      process.exit(1);
    }
    throw err;
  }
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T | undefined> =>
  Promise.race([
    p,
    new Promise<undefined>((resolve) =>
      setTimeout(() => {
        logger.warn({ what, ms }, 'shutdown: step timed out');
        resolve(undefined);
      }, ms).unref(),
    ),
  ]);

function consoleUrl(host: string, port: number): string {
  const shown =
    host === '0.0.0.0' || host === '::' || host === '' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}/`;
}

function listen(app: ReturnType<typeof createApp>, config: Config): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) =>
      resolve({ server, port: info.port }),
    ) as Server;
    server.once('error', reject);
  });
}

async function main(): Promise<void> {
  const config = readConfig();
  configureLogger(config);
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled promise rejection'));

  const retriever = await openRetriever(config);
  const answerer = createAnswerer(config, retriever);
  const attendance = openAttendance({
    dbPath: path.join(config.dataDir, 'attendance.db'),
    logger: logger.child({ module: 'attendance' }),
    publicUrl: config.PUBLIC_URL,
  });
  const feedback = openFeedbackStore(path.join(config.dataDir, 'feedback.db'));

  const metrics = new Metrics();
  const voice = config.sttEnabled ? createVoiceTranscriber(config, { logger, observer: metrics }) : undefined;
  const core = instrumentCore(
    createChatCore({ config, answerer, attendance, retriever, feedback, voice, logger }),
    metrics,
  );
  const channels: ChannelRunner[] = createChannels(config, core, { logger, dataDir: config.dataDir });
  const app = createApp({ config, core, metrics, retriever, attendance, feedback, channels, logger });

  let server: Server;
  let port: number;
  try {
    ({ server, port } = await listen(app, config));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why =
      e.code === 'EADDRINUSE' ? `port ${config.PORT} is already in use (set PORT to another port)` : e.message;
    logger.fatal({ code: e.code }, `cannot listen on ${config.HOST}:${config.PORT}: ${why}`);
    attendance.close();
    feedback.close();
    process.exit(1);
  }

  const started: ChannelRunner[] = [];
  for (const ch of channels) {
    try {
      await ch.start();
      started.push(ch);
    } catch (err) {
      metrics.channelError(ch.name);
      logger.error(
        { err: (err as Error).message, channel: ch.name },
        `channel ${ch.name} failed to start; the web console keeps running`,
      );
    }
  }

  const url = consoleUrl(config.HOST, port);
  logger.info(
    {
      url,
      host: config.HOST,
      port,
      chunks: retriever.index.chunks.length,
      startupMs: Math.round(process.uptime() * 1000),
    },
    `web console: ${url}`,
  );
  logger.info(
    {
      channels: started.map((c) => ({
        name: c.name,
        mode: c.webhookPath ? 'webhook' : 'polling',
        path: c.webhookPath,
      })),
    },
    started.length
      ? `channels running: ${started.map((c) => `${c.name} (${c.webhookPath ? `webhook ${c.webhookPath}` : 'polling'})`).join(', ')}`
      : 'no chat channel is running (no bot token set): only the web console answers',
  );
  if (config.ADMIN_TOKEN)
    logger.info({ adminProtected: true }, `attendance dashboard: ${url}admin (protected by ADMIN_TOKEN)`);
  else {
    logger.warn(
      { adminProtected: false },
      `ADMIN_TOKEN is not set: /admin is only served to a browser on this machine (http://localhost:${port}/admin); behind a reverse proxy, set ADMIN_TOKEN`,
    );
  }
  logger.info(
    { stt: config.sttEnabled, model: config.STT_MODEL ?? null, formats: config.STT_FORMATS },
    config.sttEnabled
      ? `voice notes: transcribed with ${config.STT_MODEL}`
      : 'voice notes: STT_MODEL is not set; voice notes get a "please type" reply',
  );
  if (config.sttEnabled && !(await ffmpegAvailable(config.FFMPEG_PATH))) {
    logger.warn(
      { ffmpeg: config.FFMPEG_PATH },
      `voice notes: ${config.FFMPEG_PATH} does not run (apt-get install ffmpeg, or set FFMPEG_PATH); only audio in STT_FORMATS (${config.STT_FORMATS.join(', ')}) can be transcribed`,
    );
  }
  logger.info(
    { llm: config.llmEnabled, embeddings: config.EMBEDDINGS },
    `answers: ${config.llmEnabled ? 'LLM mode' : 'offline extractive mode'}; ready in ${Math.round(process.uptime() * 1000)} ms after process start`,
  );

  let stopping = false;
  const shutdown = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down: no new connections; finishing requests in flight');
    const [drained] = await Promise.all([
      drainServer(server, DRAIN_TIMEOUT_MS),
      Promise.allSettled(started.map((ch) => withTimeout(ch.stop(), CHANNEL_STOP_TIMEOUT_MS, `stop ${ch.name}`))),
    ]);
    if (!drained) logger.warn({ ms: DRAIN_TIMEOUT_MS }, 'shutdown: requests still running were cut off');
    attendance.close();
    feedback.close();
    logger.info('stopped');
    process.exit(0);
  };
  onStopSignals((signal) => void shutdown(signal), logger);
  watchLauncher(() => {
    logger.warn('the launching process (npm/sh) exited without passing on its signal; stopping');
    void shutdown('launcher-exited');
  });
}

main().catch((err) => {
  logger.fatal({ err }, 'start-up failed');
  process.exit(1);
});
