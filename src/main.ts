// `npm start`: validate the configuration, ensure the search index, open the databases, serve the web console,
// dashboard, health, metrics and webhooks on one HTTP server, then start the chat channels whose tokens are set.
import type { Server } from 'node:http';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { createAnswerer } from './answer';
import { CodeAttemptGuard, openAttendance } from './attendance';
import { type ChannelRunner, createChannels } from './channels';
import { createChatCore } from './chat';
import { CorpusManager, stopBuilds } from './corpus';
import { ocrFromConfig, ocrStatus } from './ocr';
import {
  createEmbedder,
  type IndexWatch,
  LiveIndex,
  loadVersion,
  openPublishedIndex,
  openRetriever,
  PgIndexVersions,
  Retriever,
  watchIndexVersions,
} from './search';
import { createApp, drainServer, instrumentCore, Metrics, onStopSignals, watchLauncher } from './server';
import { openSharedState, type SharedState } from './state';
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

/**
 * The search engine, served through one holder (LiveIndex) that swaps in rebuilt indexes without a restart: with
 * DATABASE_URL the newest published index version in the shared INDEX_DIR (publishing one when needed) and a watcher
 * that swaps to newer versions, whichever replica published them; otherwise the local index, as on one machine.
 */
async function openSearch(config: Config, state: SharedState): Promise<{ live: LiveIndex; watch?: IndexWatch }> {
  if (!state.database) return { live: new LiveIndex(await openRetriever(config)) };
  const embedder = createEmbedder(config);
  const versions = new PgIndexVersions(state.database);
  const log = (m: string) => logger.info({ module: 'index' }, m);
  const { index, version } = await openPublishedIndex({
    config,
    embedder,
    versions,
    replica: state.replica,
    log,
    ocr: ocrFromConfig(config),
  });
  const live = new LiveIndex(new Retriever(index, embedder));
  const watch = watchIndexVersions({
    versions,
    replica: state.replica,
    intervalMs: config.INDEX_POLL_SECONDS * 1000,
    current: version,
    load: (v) => loadVersion(config, v, embedder),
    swap: (next) => live.swapIndex(next),
    log: logger,
  });
  log(`search index: serving version ${version.id} (${version.chunks} chunks) from ${config.indexDir}`);
  return { live, watch };
}

async function main(): Promise<void> {
  const config = readConfig();
  configureLogger(config);
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled promise rejection'));

  const state = await openSharedState(config, {
    onPoolError: (err) => logger.error({ err: err.message }, 'database: idle connection lost'),
  });
  logger.info(
    { backend: state.backend, replica: state.replica },
    state.database
      ? `shared state: PostgreSQL (this replica: ${state.replica})`
      : `shared state: SQLite files in ${config.dataDir} and memory (one machine)`,
  );
  const { live, watch } = await openSearch(config, state);
  const answerer = createAnswerer(config, live);
  // Uploads, edits and deletions on the documents page rebuild the index in the background; with DATABASE_URL the
  // build is published as a new version (every replica swaps to it), else it is swapped in here.
  const corpus = new CorpusManager({
    config,
    live,
    logger,
    published: watch && { adopt: (v) => watch.adopt(v), replica: state.replica },
  });
  const gaps = state.gaps;
  const attendanceStore = state.attendance;
  const attendance = openAttendance({
    dbPath: path.join(config.dataDir, 'attendance.db'),
    store: attendanceStore,
    logger: logger.child({ module: 'attendance' }),
    publicUrl: config.PUBLIC_URL,
    codeGuard: new CodeAttemptGuard(
      (at) => attendanceStore.countOpenSessions(at),
      state.codeAttempts.clients,
      state.codeAttempts.global,
    ),
  });
  const feedback = state.feedback;

  const metrics = new Metrics();
  const voice = config.sttEnabled ? createVoiceTranscriber(config, { logger, observer: metrics }) : undefined;
  const core = instrumentCore(
    createChatCore({
      config,
      answerer,
      attendance,
      retriever: live,
      feedback,
      voice,
      logger,
      limits: state.limits,
      answers: state.answers,
      memory: state.conversations,
      seen: state.seen,
      documents: corpus,
      gaps,
    }),
    metrics,
  );
  const channels: ChannelRunner[] = await createChannels(config, core, { logger, dataDir: config.dataDir, state });
  const app = createApp({
    config,
    core,
    metrics,
    retriever: live,
    attendance,
    feedback,
    channels,
    logger,
    corpus,
    gaps,
    files: state.files,
    adminLockout: state.adminLockout,
    codeLockout: state.codeLockout,
    adminSessions: state.adminSessions,
    database: state.database,
    indexVersion: watch ? () => watch.version() : () => live.version,
  });

  let server: Server;
  let port: number;
  try {
    ({ server, port } = await listen(app, config));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why =
      e.code === 'EADDRINUSE' ? `port ${config.PORT} is already in use (set PORT to another port)` : e.message;
    logger.fatal({ code: e.code }, `cannot listen on ${config.HOST}:${config.PORT}: ${why}`);
    await watch?.stop();
    await state.close();
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
      chunks: live.index.chunks.length,
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
    // A build still running is stopped: the old index stays, its uploads are processed again at the next start.
    stopBuilds();
    await watch?.stop();
    await state.close();
    logger.info('stopped');
    process.exit(0);
  };
  onStopSignals((signal) => void shutdown(signal), logger);
  watchLauncher(() => {
    logger.warn('the launching process (npm/sh) exited without passing on its signal; stopping');
    void shutdown('launcher-exited');
  });

  // After the stop handlers, so that nothing here can delay them: the ffmpeg and OCR checks run tools.
  if (config.sttEnabled)
    void ffmpegAvailable(config.FFMPEG_PATH).then(
      (ok) =>
        ok ||
        logger.warn(
          { ffmpeg: config.FFMPEG_PATH },
          `voice notes: ${config.FFMPEG_PATH} does not run (apt-get install ffmpeg, or set FFMPEG_PATH); only audio in STT_FORMATS (${config.STT_FORMATS.join(', ')}) can be transcribed`,
        ),
    );
  void ocrStatus(config).then((ocr) =>
    ocr.ok
      ? logger.info(
          { ocr: true, lang: config.OCR_LANG, dpi: config.OCR_DPI },
          `scanned PDFs: OCR with Tesseract (${config.OCR_LANG}, ${config.OCR_DPI} dpi)`,
        )
      : logger.warn({ ocr: false }, `scanned PDFs: ${ocr.why}; scanned pages are skipped`),
  );
  corpus.resumeInterrupted();
}

main().catch((err) => {
  logger.fatal({ err }, 'start-up failed');
  process.exit(1);
});
