// A throwaway PostgreSQL cluster for tests and benchmarks: initdb into a temp directory (as the `postgres` user
// when running as root, since initdb refuses root), listening on a Unix socket in that directory only, removed by
// stop(). About 3 s to a running server here.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface PgCluster {
  /** Directory of the Unix socket (the `host` of a connection string). */
  socketDir: string;
  /** The postmaster's pid (the server's other processes are its children). */
  pid(): number;
  /** Connection string of database `db` on this cluster. */
  url(db?: string): string;
  /** Creates an empty database and returns its connection string. */
  createDatabase(name: string): Promise<string>;
  stop(): void;
}

/** Debian keeps the server binaries out of PATH: /usr/lib/postgresql/<version>/bin, newest first. */
export function pgBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
    : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (!versions.length)
    throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)');
  return path.join(root, versions[0], 'bin');
}

export interface PgClusterOptions {
  /** Durable commits (fsync) as in production; tests turn them off for speed, benchmarks keep them. */
  durable?: boolean;
  maxConnections?: number;
}

export function startPgCluster(opts: PgClusterOptions = {}): PgCluster {
  const bin = pgBinDir();
  const dir = mkdtempSync(path.join(tmpdir(), 'tlhc-pg-'));
  const data = path.join(dir, 'data');
  const root = process.getuid?.() === 0;
  const pgUid = root ? Number(execFileSync('id', ['-u', 'postgres']).toString().trim()) : undefined;
  const pgGid = root ? Number(execFileSync('id', ['-g', 'postgres']).toString().trim()) : undefined;
  if (root) chownSync(dir, pgUid!, pgGid!);
  const run = (cmd: string, args: string[]) => {
    const full = root
      ? (['runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]] as const)
      : ([path.join(bin, cmd), args] as const);
    const r = spawnSync(full[0], [...full[1]], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
  };
  run('initdb', ['-D', data, '--no-sync', '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C']);
  const settings = [
    `-c listen_addresses=''`,
    `-k ${dir}`,
    `-c max_connections=${opts.maxConnections ?? 100}`,
    opts.durable ? '' : '-c fsync=off -c synchronous_commit=off -c full_page_writes=off',
  ].join(' ');
  run('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-o', settings, '-w', '-t', '60', 'start']);
  let stopped = false;
  const url = (db = 'postgres') => `postgresql://postgres@/${db}?host=${encodeURIComponent(dir)}`;
  return {
    socketDir: dir,
    pid: () => Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]),
    url,
    async createDatabase(name: string) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // pg_ctl could not do it: SIGQUIT is PostgreSQL's immediate shutdown.
        try {
          process.kill(Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]), 'SIGQUIT');
        } catch {
          // not running
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
