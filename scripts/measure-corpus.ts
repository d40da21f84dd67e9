// Ingest and start-up on the shipped corpus: `tsx scripts/measure-corpus.ts [--json] [--no-clone]`
//
// 1. Ingest of CORPUS_DIR (default: the repository's corpus/) into a temp index with the configured embedder:
//    cold (nothing to reuse) and warm (every file unchanged), with chunk counts per top-level folder.
// 2. A fresh `git clone` of this repository's HEAD into a temp directory (node_modules linked from here, as after
//    `npm install`), `npm start` with an empty DATA_DIR, and the time until GET /healthz answers 200; then a restart
//    over the index it built. Target (issue 14): healthy within 60 s on the project's 2-core machine.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config';
import { ingest } from '../src/search/build';
import { createEmbedder } from '../src/search/embedder';

const REPO = path.resolve(import.meta.dirname, '..');
const START_TARGET_S = 60;

interface IngestFigures {
  files: number;
  chunks: number;
  coldSeconds: number;
  warmSeconds: number;
  chunksByFolder: Record<string, number>;
  timings: Record<string, number>;
}

async function measureIngest(corpusDir: string): Promise<IngestFigures> {
  const config = loadConfig({ ...process.env, CORPUS_DIR: corpusDir });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'measure-ingest-'));
  try {
    const indexDir = path.join(dir, 'index');
    const embedder = createEmbedder(config);
    let t0 = performance.now();
    const cold = await ingest({ corpusDir, indexDir, embedder, ef: config.SEARCH_EF });
    const coldSeconds = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const warm = await ingest({ corpusDir, indexDir, embedder, ef: config.SEARCH_EF });
    const warmSeconds = (performance.now() - t0) / 1000;
    const chunksByFolder: Record<string, number> = {};
    for (const c of warm.index.chunks) {
      const top = c.citation.source.split('/')[0];
      chunksByFolder[top] = (chunksByFolder[top] ?? 0) + 1;
    }
    const timings = Object.fromEntries(
      Object.entries(cold.report.timings ?? {}).map(([k, v]) => [k, Math.round(v) / 1000]),
    );
    return {
      files: cold.report.indexed,
      chunks: cold.report.chunks,
      coldSeconds,
      warmSeconds,
      chunksByFolder,
      timings,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

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

/** `npm start` in `cwd` (own process group), until /healthz is 200; returns seconds and the health body. */
async function startUntilHealthy(cwd: string, dataDir: string): Promise<{ seconds: number; chunks: number }> {
  const port = await freePort();
  const env: Record<string, string | undefined> = { ...process.env };
  for (const k of Object.keys(env))
    if (/^(TELEGRAM|ZALO|OPENAI|ADMIN_TOKEN|CHAT_MODEL|CORPUS_DIR)/.test(k)) delete env[k];
  const t0 = performance.now();
  const proc = spawn('npm', ['start'], {
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  try {
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`npm start exited early (${proc.exitCode}):\n${out}`);
      const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
      if (res?.status === 200) {
        const seconds = (performance.now() - t0) / 1000;
        const body = (await res.json()) as { chunks?: number };
        return { seconds, chunks: body.chunks ?? 0 };
      }
      if (performance.now() - t0 > 180_000) throw new Error(`/healthz not 200 after 180 s:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    // Our own npm start: its process group, by id.
    try {
      process.kill(-proc.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  }
}

async function measureFreshClone(): Promise<{ commit: string; firstStart: number; restart: number; chunks: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'measure-clone-'));
  try {
    const clone = path.join(dir, 'repo');
    execFileSync('git', ['clone', '--quiet', '--no-hardlinks', REPO, clone]);
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: clone }).toString().trim();
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
    const data = path.join(dir, 'data');
    const first = await startUntilHealthy(clone, data);
    const again = await startUntilHealthy(clone, data);
    return { commit, firstStart: first.seconds, restart: again.seconds, chunks: first.chunks };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const args = new Set(process.argv.slice(2));
const corpusDir = path.resolve(process.env.CORPUS_DIR ?? path.join(REPO, 'corpus'));
const ing = await measureIngest(corpusDir);
const start = args.has('--no-clone') ? undefined : await measureFreshClone();
const result = {
  machine: { cpus: os.cpus().length, node: process.version, load1: os.loadavg()[0] },
  ingest: ing,
  start,
};

if (args.has('--json')) {
  console.log(JSON.stringify(result, null, 2));
} else {
  const rows: [string, string][] = [
    ['corpus', `${path.relative(REPO, corpusDir) || corpusDir}: ${ing.files} files, ${ing.chunks} chunks`],
    [
      'chunks by folder',
      Object.entries(ing.chunksByFolder)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ],
    ['ingest, cold (s)', ing.coldSeconds.toFixed(1)],
    [
      '  read+split / embed / HNSW / BM25 / write (s)',
      ['read', 'embed', 'vector', 'lexical', 'write'].map((k) => (ing.timings[k] ?? 0).toFixed(1)).join(' / '),
    ],
    ['ingest, warm: nothing changed (s)', ing.warmSeconds.toFixed(1)],
  ];
  if (start) {
    rows.push(
      [
        `fresh clone (${start.commit}): npm start to /healthz 200 (s)`,
        `${start.firstStart.toFixed(1)} (target <= ${START_TARGET_S}: ${start.firstStart <= START_TARGET_S ? 'PASS' : 'FAIL'})`,
      ],
      ['  restart over its index (s)', start.restart.toFixed(1)],
      ['  chunks served', String(start.chunks)],
    );
  }
  rows.push([
    'machine',
    `${result.machine.cpus} CPUs, Node ${result.machine.node}, load average ${result.machine.load1.toFixed(1)} at the end`,
  ]);
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`| ${'measure'.padEnd(w)} | value |\n|${'-'.repeat(w + 2)}|-------|`);
  for (const [k, v] of rows) console.log(`| ${k.padEnd(w)} | ${v} |`);
}
