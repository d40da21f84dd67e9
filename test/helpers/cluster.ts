// Real replicas for the cluster test and `npm run bench:cluster`: `npm start` processes on one PostgreSQL database
// and one INDEX_DIR, behind nginx running deploy/nginx-replicas.conf with its ports rewritten.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '../..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A port below the ephemeral range (32768-60999 here), so that nothing else is handed it meanwhile. */
export async function lowPort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port below 32768');
}

export interface Replica {
  name: string;
  proc: ChildProcess;
  port: number;
  base: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills the whole process group (npm, tsx, node). */
  kill(signal?: NodeJS.Signals): void;
}

/** `npm start` in its own process group, without bot tokens from the caller's environment. */
export function startReplica(name: string, env: Record<string, string>): Promise<Replica> {
  return freePort().then((port) => {
    const base: Record<string, string | undefined> = { ...process.env };
    for (const k of Object.keys(base))
      if (/^(TELEGRAM|ZALO|OPENAI|ADMIN_TOKEN|CHAT_MODEL|VITEST|DATABASE_URL|INDEX_DIR)/.test(k)) delete base[k];
    const proc = spawn('npm', ['start'], {
      cwd: REPO,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...base, PORT: String(port), HOST: '127.0.0.1', ...env },
    });
    let out = '';
    proc.stdout!.on('data', (d) => (out += d));
    proc.stderr!.on('data', (d) => (out += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      proc.once('exit', (code, signal) => resolve({ code, signal })),
    );
    return {
      name,
      proc,
      port,
      base: `http://127.0.0.1:${port}`,
      output: () => out,
      exited,
      kill(signal: NodeJS.Signals = 'SIGKILL') {
        try {
          process.kill(-proc.pid!, signal);
        } catch {
          // already gone
        }
      },
    };
  });
}

/** Resolves once GET /healthz answers 200. */
export async function waitHealthy(base: string, r?: Replica, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (r && r.proc.exitCode !== null) throw new Error(`${r.name} exited early (${r.proc.exitCode}):\n${r.output()}`);
    const ok = await fetch(`${base}/healthz`).then(
      (res) => res.status === 200,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${base}/healthz never became 200${r ? `:\n${r.output()}` : ''}`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

export interface Nginx {
  base: string;
  port: number;
  /** The nginx master's pid (its workers are its children). */
  pid: number;
  stop(): void;
}

/** CPU seconds (user + system) used so far by `roots` and all their descendants (Linux /proc). */
export function treeCpuSeconds(roots: number[]): number {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const f = readFileSync(`/proc/${name}/stat`, 'utf8');
      const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(name), { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) });
    } catch {
      // exited meanwhile
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = stats.get(p)?.ppid ?? 0, hops++)
      if (roots.includes(p)) return true;
    return false;
  };
  let ticks = 0;
  for (const [pid, s] of stats) if (inTree(pid)) ticks += s.ticks;
  return ticks / 100;
}

/** nginx in the foreground with deploy/nginx-replicas.conf, its upstream servers and listen port rewritten. */
export async function startNginx(dir: string, upstreamPorts: number[]): Promise<Nginx> {
  const port = await lowPort();
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755); // worker processes run as an unprivileged user
  const site = readFileSync(path.join(REPO, 'deploy/nginx-replicas.conf'), 'utf8')
    .replace(
      /^(\s*)server 127\.0\.0\.1:\d+ ([^\n]*)\n(?:\s*server 127\.0\.0\.1:\d+ [^\n]*\n)*/m,
      (_m, indent: string, rest: string) =>
        upstreamPorts.map((p) => `${indent}server 127.0.0.1:${p} ${rest}\n`).join(''),
    )
    .replace(/listen 8080;/, `listen 127.0.0.1:${port};`);
  writeFileSync(path.join(dir, 'site.conf'), site);
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    [
      'daemon off;',
      'worker_processes 1;',
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/error.log warn;`,
      'events { worker_connections 1024; }',
      'http {',
      '  access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir}/${t};`),
      `  include ${dir}/site.conf;`,
      '}',
    ].join('\n'),
  );
  // Debian puts nginx in /usr/sbin, which is not on every PATH.
  const bin = spawnSync('nginx', ['-v']).error && existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
  const test = spawnSync(bin, ['-t', '-c', path.join(dir, 'nginx.conf')], { encoding: 'utf8' });
  if (test.status !== 0) throw new Error(`nginx -t failed: ${test.error?.message ?? test.stderr}`);
  const proc = spawn(bin, ['-c', path.join(dir, 'nginx.conf')], { stdio: 'ignore', detached: true });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  while (
    !(await fetch(`${base}/`).then(
      () => true,
      () => false,
    ))
  ) {
    if (Date.now() > deadline) throw new Error('nginx did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    port,
    pid: proc.pid!,
    stop() {
      try {
        process.kill(-proc.pid!, 'SIGTERM');
      } catch {
        // gone
      }
    },
  };
}
