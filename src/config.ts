import { config as loadDotenv } from 'dotenv';
import path from 'node:path';
import { z } from 'zod';
import { AUDIO_FORMATS, CONVERSION_TARGETS, DEFAULT_STT_FORMATS } from './domain';

/** A `channel:userId` list such as "telegram:123,zalo:abc". */
const idList = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(/[,\s]+/)
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[a-z-]+:.+$/, 'each entry must look like channel:userId')));

const optionalString = z
  .string()
  .optional()
  .transform((s) => (s && s.trim() !== '' ? s.trim() : undefined));

const optionalUrl = optionalString.pipe(z.string().url().optional());

const intWithDefault = (def: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(def);

/** HNSW search breadth: recall@10 0.99 at 100,000 chunks (README, Performance). The only default of it. */
export const DEFAULT_SEARCH_EF = 1024;

const schema = z.object({
  CORPUS_DIR: z.string().default('corpus'),
  DATA_DIR: z.string().default('data'),
  PORT: intWithDefault(3000, 0, 65535),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  EMBEDDINGS: z.enum(['local', 'openai']).default('local'),
  EMBEDDING_DIM: intWithDefault(256, 32, 4096),
  EMBEDDING_MODEL: z.string().default('text-embedding-3-small'),
  EMBEDDING_BATCH: intWithDefault(64, 1, 2048),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl,
  CHAT_MODEL: optionalString,
  LLM_TIMEOUT_MS: intWithDefault(20_000, 500, 300_000),
  LLM_MAX_TOKENS: intWithDefault(600, 32, 8192),
  LLM_TEMPERATURE: z.coerce.number().min(0).max(2).default(0.1),
  LLM_MAX_RETRIES: intWithDefault(2, 0, 10),
  /** Model calls running at once across all users; a question beyond it gets the extractive answer at once. */
  LLM_MAX_CONCURRENT: intWithDefault(4, 1, 256),

  /** Speech-to-text model on an OpenAI-compatible /audio/transcriptions; unset = voice notes get a "please type" reply. */
  STT_MODEL: optionalString,
  STT_BASE_URL: optionalUrl,
  STT_API_KEY: optionalString,
  STT_TIMEOUT_MS: intWithDefault(30_000, 1000, 600_000),
  /** Audio formats the transcription server accepts as they come; others are converted with ffmpeg. */
  STT_FORMATS: z
    .string()
    .default(DEFAULT_STT_FORMATS.join(','))
    .transform((s) =>
      s
        .split(/[,\s]+/)
        .map((x) => x.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(AUDIO_FORMATS)).min(1)),
  VOICE_MAX_SECONDS: intWithDefault(120, 1, 1800),
  VOICE_MAX_MB: intWithDefault(10, 1, 100),
  FFMPEG_PATH: z.string().default('ffmpeg'),

  SEARCH_EF: intWithDefault(DEFAULT_SEARCH_EF, 10, 4000),
  SEARCH_TOP_K: intWithDefault(6, 1, 50),
  MIN_CONFIDENCE: z.coerce.number().min(0).max(1).default(0.55),
  MAX_QUESTION_CHARS: intWithDefault(500, 50, 5000),
  MAX_ANSWER_CHARS: intWithDefault(1800, 200, 20_000),

  TELEGRAM_BOT_TOKEN: optionalString,
  TELEGRAM_API_ROOT: z.string().url().default('https://api.telegram.org'),
  TELEGRAM_WEBHOOK_URL: optionalUrl,
  /** Telegram's secret_token: 1-256 of A-Z a-z 0-9 _ -; we require at least 16 so it cannot be guessed. */
  TELEGRAM_WEBHOOK_SECRET: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16-256 characters of A-Z, a-z, 0-9, "_" or "-"')
      .optional(),
  ),

  ZALO_BOT_TOKEN: optionalString,
  ZALO_BOT_API_ROOT: z.string().url().default('https://bot-api.zaloplatforms.com'),
  ZALO_BOT_WEBHOOK_URL: optionalUrl,
  ZALO_BOT_WEBHOOK_SECRET: optionalString.pipe(z.string().min(8).max(256).optional()),
  /** getUpdates long-poll timeout in seconds (polling mode). */
  ZALO_BOT_POLL_TIMEOUT_S: intWithDefault(30, 1, 60),

  ZALO_OA_APP_ID: optionalString,
  ZALO_OA_SECRET_KEY: optionalString,
  ZALO_OA_WEBHOOK_SECRET_KEY: optionalString,
  ZALO_OA_ACCESS_TOKEN: optionalString,
  ZALO_OA_REFRESH_TOKEN: optionalString,
  ZALO_OA_API_ROOT: z.string().url().default('https://openapi.zalo.me'),
  ZALO_OA_OAUTH_ROOT: z.string().url().default('https://oauth.zaloapp.com'),
  /** Path of the OA webhook on this server (register https://<host><path> in the Zalo developer console). */
  ZALO_OA_WEBHOOK_PATH: z
    .string()
    .regex(/^\/[\w\-./]*$/, 'must be a path starting with "/"')
    .default('/webhooks/zalo-oa'),

  ADMIN_IDS: idList,
  TRAINER_IDS: idList,
  ADMIN_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  /** Public address of the web console (https://host), used in the sign-in link the bot sends to trainers. */
  PUBLIC_URL: optionalUrl,
  RATE_LIMIT_PER_MINUTE: intWithDefault(12, 1, 10_000),
  /** Messages per minute from one network address (web console), whatever session ids it rotates through. */
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: intWithDefault(60, 1, 100_000),
  /** Reverse proxies in front of this server: 0 = use the TCP peer; N = take the client from X-Forwarded-For, N hops back. */
  TRUST_PROXY: intWithDefault(0, 0, 10),
  MEMORY_TURNS: intWithDefault(4, 0, 50),
  /** A conversation untouched this long forgets its topic (follow-ups, /nguon, Zalo's numbered choices). */
  MEMORY_TTL_MINUTES: intWithDefault(1440, 1, 43_200),

  /** PostgreSQL for all shared state (several replicas); unset = SQLite files and memory (one machine). */
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection string')
      .optional(),
  ),
  /** Connections of this replica's pool. */
  DATABASE_POOL_SIZE: intWithDefault(8, 1, 200),
  /** Where the search index lives (default DATA_DIR/index); with DATABASE_URL, a directory all replicas share. */
  INDEX_DIR: optionalString,
  /** With DATABASE_URL: how often a replica looks for a newer published index version. */
  INDEX_POLL_SECONDS: intWithDefault(5, 1, 3600),

  /** Largest document upload (one request, all its files) on the dashboard or from Telegram, in MB. */
  UPLOAD_MAX_MB: intWithDefault(20, 1, 500),
  /** OCR of scanned PDF pages: auto = with Tesseract when it is installed; off = scanned pages are skipped. */
  OCR: z.enum(['auto', 'off']).default('auto'),
  /** Tesseract language(s), e.g. "vie" or "vie+eng". */
  OCR_LANG: z
    .string()
    .regex(/^[a-z_]{3,16}(\+[a-z_]{3,16})*$/, 'must look like "vie" or "vie+eng"')
    .default('vie'),
  OCR_DPI: intWithDefault(300, 150, 600),
  /** Limit for rendering one page and for each recognition pass of it. */
  OCR_PAGE_TIMEOUT_MS: intWithDefault(60_000, 1000, 600_000),
  TESSERACT_PATH: z.string().default('tesseract'),
  PDFTOPPM_PATH: z.string().default('pdftoppm'),
});

export type Config = z.infer<typeof schema> & {
  /** Absolute paths derived from CORPUS_DIR / DATA_DIR. */
  corpusDir: string;
  dataDir: string;
  indexDir: string;
  llmEnabled: boolean;
  /** Voice notes are transcribed (STT_MODEL and an endpoint or key are set). */
  sttEnabled: boolean;
};

export class ConfigError extends Error {}

/** Validate the environment once; every option is documented in .env.example and the README. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, opts: { dotenv?: boolean } = {}): Config {
  if (opts.dotenv !== false && env === process.env) loadDotenv({ quiet: true });
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if (c.EMBEDDINGS === 'openai' && !c.OPENAI_API_KEY && !c.OPENAI_BASE_URL) {
    throw new ConfigError('Invalid configuration:\n  EMBEDDINGS: "openai" needs OPENAI_API_KEY and/or OPENAI_BASE_URL');
  }
  if (c.TELEGRAM_WEBHOOK_URL && !c.TELEGRAM_BOT_TOKEN) {
    throw new ConfigError('Invalid configuration:\n  TELEGRAM_WEBHOOK_URL: set TELEGRAM_BOT_TOKEN too');
  }
  if (c.TELEGRAM_WEBHOOK_URL && !c.TELEGRAM_WEBHOOK_SECRET) {
    throw new ConfigError(
      'Invalid configuration:\n  TELEGRAM_WEBHOOK_SECRET: required with TELEGRAM_WEBHOOK_URL (16-256 characters of A-Z, a-z, 0-9, "_" or "-"); without it anyone could post forged updates',
    );
  }
  if (c.ZALO_BOT_WEBHOOK_URL && (!c.ZALO_BOT_TOKEN || !c.ZALO_BOT_WEBHOOK_SECRET)) {
    throw new ConfigError(
      'Invalid configuration:\n  ZALO_BOT_WEBHOOK_URL: set ZALO_BOT_TOKEN and ZALO_BOT_WEBHOOK_SECRET (8-256 chars) too',
    );
  }
  if (c.STT_MODEL && !(c.STT_BASE_URL || c.STT_API_KEY || c.OPENAI_BASE_URL || c.OPENAI_API_KEY)) {
    throw new ConfigError(
      'Invalid configuration:\n  STT_MODEL: set STT_BASE_URL and/or STT_API_KEY (or OPENAI_BASE_URL / OPENAI_API_KEY) too',
    );
  }
  if (!c.STT_FORMATS.some((f) => CONVERSION_TARGETS.includes(f))) {
    throw new ConfigError(
      `Invalid configuration:\n  STT_FORMATS: include at least one of ${CONVERSION_TARGETS.join(', ')} (ffmpeg converts other audio to it)`,
    );
  }
  const dataDir = path.resolve(c.DATA_DIR);
  return {
    ...c,
    corpusDir: path.resolve(c.CORPUS_DIR),
    dataDir,
    indexDir: c.INDEX_DIR ? path.resolve(c.INDEX_DIR) : path.join(dataDir, 'index'),
    llmEnabled: Boolean(c.CHAT_MODEL && (c.OPENAI_API_KEY || c.OPENAI_BASE_URL)),
    sttEnabled: Boolean(c.STT_MODEL),
  };
}
