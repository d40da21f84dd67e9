// `npm start` as a real process: builds the index of a temp corpus, serves /healthz and /api/chat, and stops
// cleanly on SIGTERM sent to npm (as a supervisor such as systemd or Docker does).
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_PROCEDURES } from '../helpers/fixture';

const REPO = path.resolve(import.meta.dirname, '../..');
let dir: string;
const running = new Set<ChildProcess>();

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tlhc-start-'));
  const corpus = path.join(dir, 'corpus', 'thu-tuc');
  mkdirSync(corpus, { recursive: true });
  for (const id of FIXTURE_PROCEDURES)
    copyFileSync(path.join(REPO, 'corpus/thu-tuc', `${id}.md`), path.join(corpus, `${id}.md`));
});

afterAll(() => {
  for (const p of running) {
    try {
      if (p.pid) process.kill(-p.pid, 'SIGKILL'); // the process group of this test's own npm start, if anything is left
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface Started {
  proc: ChildProcess;
  base: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  startupMs: number;
}

/** `npm start` in its own process group (so that afterAll can clean up), without any bot token. */
async function npmStart(name: string, extraEnv: Record<string, string> = {}): Promise<Started> {
  const port = await freePort();
  const env: Record<string, string | undefined> = { ...process.env };
  for (const k of Object.keys(env)) if (/^(TELEGRAM|ZALO|OPENAI|ADMIN_TOKEN|CHAT_MODEL|VITEST)/.test(k)) delete env[k];
  const t0 = Date.now();
  const proc = spawn('npm', ['start'], {
    cwd: REPO,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      CORPUS_DIR: path.join(dir, 'corpus'),
      DATA_DIR: path.join(dir, name),
      LOG_LEVEL: 'info',
      ...extraEnv,
    },
  });
  running.add(proc);
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`npm start exited early (${proc.exitCode}):\n${out}`);
    const ok = await fetch(`${base}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`/healthz never became 200:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { proc, base, output: () => out, exited, startupMs: Date.now() - t0 };
}

async function ask(base: string): Promise<{ text: string; citations: unknown[] }> {
  const res = await fetch(`${base}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sessionId: 'start-test-session', text: 'chứng thực bản sao cần giấy tờ gì' }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { text: string; citations: unknown[] };
}

async function stopsWithin(s: Started, ms: number) {
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms));
  const result = await Promise.race([s.exited, timer]);
  if (result === 'timeout') throw new Error(`npm start did not exit within ${ms} ms:\n${s.output()}`);
  return result;
}

describe('npm start', () => {
  it('refuses an invalid configuration with a message naming the variable and exit code 1', async () => {
    const proc = spawn('npm', ['start'], {
      cwd: REPO,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PORT: 'not-a-port',
        DATA_DIR: path.join(dir, 'data-bad'),
        CORPUS_DIR: path.join(dir, 'corpus'),
      },
    });
    running.add(proc);
    let out = '';
    proc.stdout!.on('data', (d) => (out += d));
    proc.stderr!.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => proc.once('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(out).toContain('Invalid configuration:');
    expect(out).toMatch(/PORT: /);
    expect(out).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
  });

  it('builds the index, answers, and exits 0 on SIGTERM forwarded by npm', async () => {
    // npm runs scripts with `sh -c`; bash (like `exec` in the script) hands the signal straight to tsx → node.
    const s = await npmStart('data-bash', { npm_config_script_shell: '/bin/bash' });
    expect(s.output()).toMatch(/Index needs building/);
    expect(s.output()).toContain('ADMIN_TOKEN is not set: /admin is only served to a browser on this machine');
    expect(s.output()).toContain('no chat channel is running');
    const a = await ask(s.base);
    expect(a.text).toContain('chứng thực');
    expect(a.citations.length).toBeGreaterThan(0);
    expect(s.output()).not.toContain('chứng thực bản sao cần giấy tờ gì'); // no message text in info logs

    const t0 = Date.now();
    s.proc.kill('SIGTERM');
    expect(await stopsWithin(s, 8_000)).toEqual({ code: 0, signal: null });
    expect(Date.now() - t0).toBeLessThan(8_000);
    expect(s.output()).toMatch(/"msg":"stopped"/);
    await expect(fetch(`${s.base}/healthz`)).rejects.toThrow();
    console.log(`npm start: /healthz 200 after ${s.startupMs} ms (fixture corpus, index built at start)`);
  });

  it('still stops gracefully when /bin/sh swallows the SIGTERM sent to npm', async () => {
    // Debian's dash does not exec the script, so npm's SIGTERM kills sh and never reaches node; main.ts notices
    // that its launcher is gone and shuts down cleanly instead of running on as an orphan.
    const s = await npmStart('data-sh');
    await ask(s.base);
    s.proc.kill('SIGTERM');
    await stopsWithin(s, 8_000);
    const deadline = Date.now() + 8_000;
    while (!/"msg":"stopped"/.test(s.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(s.output()).toMatch(/"msg":"stopped"/);
    await expect(fetch(`${s.base}/healthz`)).rejects.toThrow();
  });
});
