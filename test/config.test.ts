import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config';

const root = path.resolve(import.meta.dirname, '..');

describe('configuration', () => {
  it('defaults give an offline setup', () => {
    const c = loadConfig({}, { dotenv: false });
    expect(c.PORT).toBe(3000);
    expect(c.EMBEDDINGS).toBe('local');
    expect(c.llmEnabled).toBe(false);
    expect(c.indexDir).toBe(path.resolve('data', 'index'));
  });

  it('.env.example parses and documents every option', () => {
    const text = readFileSync(path.join(root, '.env.example'), 'utf8');
    const env = parse(text);
    const c = loadConfig(env, { dotenv: false });
    expect(c.TELEGRAM_API_ROOT).toBe('https://api.telegram.org');
    const schemaKeys = [...readFileSync(path.join(root, 'src/config.ts'), 'utf8').matchAll(/^ {2}([A-Z_]+):/gm)].map(
      (m) => m[1],
    );
    for (const k of schemaKeys) expect(Object.keys(env)).toContain(k);
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    for (const k of schemaKeys) expect(readme).toContain(k);
  });

  it('names the variable when a value is invalid', () => {
    expect(() => loadConfig({ PORT: 'abc' }, { dotenv: false })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc' }, { dotenv: false })).toThrow(/PORT/);
    expect(() => loadConfig({ ADMIN_IDS: '12345' }, { dotenv: false })).toThrow(/ADMIN_IDS/);
    expect(() => loadConfig({ EMBEDDINGS: 'openai' }, { dotenv: false })).toThrow(/OPENAI_API_KEY/);
    expect(() =>
      loadConfig(
        { ZALO_BOT_WEBHOOK_URL: 'https://x.example/zalo', ZALO_BOT_TOKEN: 't', ZALO_BOT_WEBHOOK_SECRET: 'short' },
        { dotenv: false },
      ),
    ).toThrow(/ZALO_BOT_WEBHOOK_SECRET/);
  });

  it('LLM mode needs a model and a key or base URL', () => {
    expect(loadConfig({ CHAT_MODEL: 'qwen' }, { dotenv: false }).llmEnabled).toBe(false);
    expect(
      loadConfig({ CHAT_MODEL: 'qwen', OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' }, { dotenv: false }).llmEnabled,
    ).toBe(true);
  });

  it('voice notes: STT_MODEL needs an endpoint or key (its own or the OpenAI one); STT_FORMATS is checked', () => {
    expect(loadConfig({}, { dotenv: false }).sttEnabled).toBe(false);
    expect(() => loadConfig({ STT_MODEL: 'whisper-1' }, { dotenv: false })).toThrow(/STT_MODEL/);
    const viaOpenAI = loadConfig({ STT_MODEL: 'whisper-1', OPENAI_API_KEY: 'sk-x' }, { dotenv: false });
    expect(viaOpenAI.sttEnabled).toBe(true);
    expect(viaOpenAI.STT_FORMATS).toEqual(['ogg', 'm4a', 'mp3', 'wav', 'flac', 'webm']);
    expect(
      loadConfig({ STT_MODEL: 'w', STT_BASE_URL: 'http://127.0.0.1:8080/v1', STT_FORMATS: 'WAV' }, { dotenv: false })
        .STT_FORMATS,
    ).toEqual(['wav']);
    expect(() => loadConfig({ STT_FORMATS: 'ogg,wma' }, { dotenv: false })).toThrow(/STT_FORMATS/);
    // ffmpeg needs a format it can convert to.
    expect(() => loadConfig({ STT_FORMATS: 'aac,m4a' }, { dotenv: false })).toThrow(/STT_FORMATS/);
    expect(() => loadConfig({ VOICE_MAX_SECONDS: '0' }, { dotenv: false })).toThrow(/VOICE_MAX_SECONDS/);
  });

  it('several replicas: DATABASE_URL must be a PostgreSQL URL; INDEX_DIR moves the index', () => {
    const one = loadConfig({ DATA_DIR: '/srv/tlhc' }, { dotenv: false });
    expect(one.DATABASE_URL).toBeUndefined();
    expect(one.indexDir).toBe(path.resolve('/srv/tlhc/index'));
    const many = loadConfig(
      { DATABASE_URL: 'postgresql://bot:pw@db:5432/tlhc', INDEX_DIR: '/mnt/shared/index' },
      { dotenv: false },
    );
    expect(many.DATABASE_URL).toBe('postgresql://bot:pw@db:5432/tlhc');
    expect(many.indexDir).toBe(path.resolve('/mnt/shared/index'));
    expect(many.DATABASE_POOL_SIZE).toBe(8);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://db/x' }, { dotenv: false })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ DATABASE_POOL_SIZE: '0' }, { dotenv: false })).toThrow(/DATABASE_POOL_SIZE/);
  });

  it('parses role lists', () => {
    const c = loadConfig({ TRAINER_IDS: 'telegram:1, zalo:abc' }, { dotenv: false });
    expect(c.TRAINER_IDS).toEqual(['telegram:1', 'zalo:abc']);
  });
});

describe('LOG_LEVEL', () => {
  it('is read from .env through the validated config, and the process logger takes it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'log-level-'));
    try {
      writeFileSync(path.join(dir, '.env'), 'LOG_LEVEL=debug\n');
      const script = `import { loadConfig } from ${JSON.stringify(path.join(root, 'src/config.ts'))};
import { configureLogger, logger } from ${JSON.stringify(path.join(root, 'src/log.ts'))};
const before = logger.level;
configureLogger(loadConfig());
console.log(JSON.stringify({ before, after: logger.level }));`;
      const env = { ...process.env };
      delete env.LOG_LEVEL;
      const out = execFileSync(
        process.execPath,
        [
          '--import',
          pathToFileURL(path.join(root, 'node_modules/tsx/dist/esm/index.mjs')).href,
          '--input-type=module',
          '-e',
          script,
        ],
        { cwd: dir, env, encoding: 'utf8' },
      );
      expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({ before: 'silent', after: 'debug' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an invalid level stops start-up with the variable named', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' }, { dotenv: false })).toThrow(/LOG_LEVEL/);
  });
});
