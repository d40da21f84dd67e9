// Versioned search indexes for several replicas: one ingest (at a time, across replicas: a transaction-scoped
// advisory lock held for the whole build) writes a complete index into INDEX_DIR/v<N>/ and records version N in
// PostgreSQL when it is complete; every replica loads the newest recorded version (index-watch.ts swaps to it
// without a restart). INDEX_DIR must be one directory that every replica sees (a shared volume).
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import type { Config } from '../config';
import { type Database, LOCKS, type Queryable } from '../db';
import { ingest, type IngestOptions, type IngestReport } from './build';
import { indexStaleness } from './corpus-files';
import type { OcrEngine } from '../ocr';
import type { IndexEmbedder } from './embedder';
import { loadIndex, type SearchIndex } from './index-store';

export interface IndexVersion {
  id: number;
  /** Directory name under INDEX_DIR ("v12"). */
  dir: string;
  chunks: number;
  embedder: string;
  createdBy: string;
  createdAt: number;
}

const COLUMNS = 'id, dir, chunks, embedder, created_by AS "createdBy", created_at AS "createdAt"';
/** Published versions kept on disk besides the ones a replica still serves. */
const KEEP_VERSIONS = 3;
/** A replica that has not reported for this long no longer holds a version on disk. */
const REPLICA_STALE_MS = 5 * 60_000;

export class PgIndexVersions {
  constructor(private readonly db: Database) {}

  async latest(q: Queryable = this.db.pool): Promise<IndexVersion | undefined> {
    return (await q.query(`SELECT ${COLUMNS} FROM index_versions ORDER BY id DESC LIMIT 1`)).rows[0];
  }

  /**
   * Runs `fn` holding the ingest lock for its whole duration (the transaction stays open until it returns);
   * 'busy' at once when another replica holds it. `fn` records its version on `client`, visible on commit.
   */
  async exclusive<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T | 'busy'> {
    return this.db.transaction(async (c) => {
      const { ok } = (await c.query('SELECT pg_try_advisory_xact_lock($1) AS ok', [LOCKS.ingest])).rows[0] as {
        ok: boolean;
      };
      return ok ? fn(c) : 'busy';
    });
  }

  /** Heartbeat: `replica` serves `version` (old versions in use stay on disk). */
  async serving(replica: string, version: number, nowMs: number): Promise<void> {
    await this.db.pool.query(
      `INSERT INTO index_replicas (replica, version, seen_at) VALUES ($1, $2, $3)
       ON CONFLICT (replica) DO UPDATE SET version = EXCLUDED.version, seen_at = EXCLUDED.seen_at`,
      [replica, version, nowMs],
    );
  }

  async forget(replica: string): Promise<void> {
    await this.db.pool.query('DELETE FROM index_replicas WHERE replica = $1', [replica]);
  }

  /** Versions that live replicas serve. */
  async inUse(nowMs: number, q: Queryable = this.db.pool): Promise<Set<number>> {
    const r = await q.query('SELECT DISTINCT version FROM index_replicas WHERE seen_at > $1', [
      nowMs - REPLICA_STALE_MS,
    ]);
    return new Set(r.rows.map((x) => x.version as number));
  }
}

export type PublishResult =
  | { status: 'published'; version: IndexVersion; index: SearchIndex; report: IngestReport }
  | { status: 'current'; version: IndexVersion }
  | { status: 'busy' };

export interface PublishOptions {
  config: Pick<Config, 'corpusDir' | 'indexDir' | 'SEARCH_EF'>;
  embedder: IndexEmbedder;
  versions: PgIndexVersions;
  replica: string;
  /** Build a new version even when the newest one matches the corpus. */
  force?: boolean;
  /** Runs under the ingest lock before the build (a corpus job applies its changes to CORPUS_DIR there). */
  prepare?: () => void | Promise<void>;
  progress?: Pick<IngestOptions, 'onProgress' | 'onProblem' | 'onOcrPage' | 'onFile'>;
  /** Reads scanned PDF pages (cached by file hash, so a version that reuses a file costs nothing). */
  ocr?: OcrEngine;
  log?: (msg: string) => void;
}

/** Why `v` does not match this replica's corpus and embedder, or undefined when it does. */
export function versionStaleness(
  indexDir: string,
  v: IndexVersion,
  corpusDir: string,
  embedderId: string,
): string | undefined {
  const dir = path.join(indexDir, v.dir);
  if (!existsSync(path.join(dir, 'manifest.json')))
    return `version ${v.id} is missing from ${indexDir} (is INDEX_DIR shared by every replica?)`;
  return indexStaleness(corpusDir, dir, embedderId);
}

/**
 * Ingests CORPUS_DIR into a new version under the ingest lock (incrementally, reusing the newest version's vectors),
 * records it, and removes old version directories no replica serves. Nothing is built when the newest version
 * already matches the corpus ('current'), or when another replica is ingesting ('busy').
 */
export async function publishIndex(o: PublishOptions): Promise<PublishResult> {
  const { indexDir, corpusDir } = o.config;
  const result = await o.versions.exclusive(async (c): Promise<PublishResult> => {
    await o.prepare?.();
    const latest = await o.versions.latest(c);
    const stale = latest ? versionStaleness(indexDir, latest, corpusDir, o.embedder.id) : 'no index yet';
    if (latest && !stale && !o.force) return { status: 'current', version: latest };
    o.log?.(`Publishing a new index version (${o.force ? 'forced' : stale}); ingesting ${corpusDir} ...`);
    const id = (await c.query("SELECT nextval('index_versions_id_seq') AS id")).rows[0].id as number;
    const dir = `v${id}`;
    const { report, index } = await ingest({
      corpusDir,
      indexDir: path.join(indexDir, dir),
      previousDir: latest ? path.join(indexDir, latest.dir) : undefined,
      embedder: o.embedder,
      ef: o.config.SEARCH_EF,
      ocr: o.ocr,
      ...o.progress,
    });
    const version: IndexVersion = {
      id,
      dir,
      chunks: index.chunks.length,
      embedder: o.embedder.id,
      createdBy: o.replica,
      createdAt: Date.now(),
    };
    await c.query(
      'INSERT INTO index_versions (id, dir, chunks, embedder, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [version.id, version.dir, version.chunks, version.embedder, version.createdBy, version.createdAt],
    );
    await removeOldVersions(indexDir, id, await o.versions.inUse(Date.now(), c));
    return { status: 'published', version, index, report };
  });
  return result === 'busy' ? { status: 'busy' } : result;
}

/** Deletes version directories older than the newest KEEP_VERSIONS, unless a replica still serves them. */
function removeOldVersions(indexDir: string, newest: number, inUse: Set<number>): void {
  if (!existsSync(indexDir)) return;
  for (const name of readdirSync(indexDir)) {
    const m = /^v(\d+)$/.exec(name);
    if (!m) continue;
    const id = Number(m[1]);
    if (id > newest - KEEP_VERSIONS || inUse.has(id)) continue;
    rmSync(path.join(indexDir, name), { recursive: true, force: true });
  }
}

export function loadVersion(
  config: Pick<Config, 'indexDir' | 'SEARCH_EF'>,
  v: IndexVersion,
  embedder: IndexEmbedder,
): Promise<SearchIndex> {
  return loadIndex(path.join(config.indexDir, v.dir), embedder, config.SEARCH_EF);
}
