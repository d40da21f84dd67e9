// Several replicas: start on the newest published index version (publishing one first when there is none or
// when this replica's corpus is newer), then look for newer versions every INDEX_POLL_SECONDS and swap to them
// without a restart. The swap is a hook (`swap`): main.ts swaps the LiveIndex holder (live-index.ts).
import type { Config } from '../config';
import type { Logger } from '../log';
import type { OcrEngine } from '../ocr';
import type { IndexEmbedder } from './embedder';
import type { SearchIndex } from './index-store';
import { loadVersion, publishIndex, versionStaleness, type IndexVersion, type PgIndexVersions } from './index-versions';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface OpenPublishedOptions {
  config: Pick<Config, 'corpusDir' | 'indexDir' | 'SEARCH_EF'>;
  embedder: IndexEmbedder;
  versions: PgIndexVersions;
  replica: string;
  log: (msg: string) => void;
  /** Reads scanned PDF pages when this replica has to publish. */
  ocr?: OcrEngine;
  /** How long to wait for another replica's first ingest (ms). */
  waitMs?: number;
}

/** The index this replica starts with, and its version. */
export async function openPublishedIndex(
  o: OpenPublishedOptions,
): Promise<{ index: SearchIndex; version: IndexVersion }> {
  const deadline = Date.now() + (o.waitMs ?? 30 * 60_000);
  let told = false;
  for (;;) {
    const latest = await o.versions.latest();
    const stale = latest
      ? versionStaleness(o.config.indexDir, latest, o.config.corpusDir, o.embedder.id)
      : 'no index yet';
    if (latest && !stale) return { index: await loadVersion(o.config, latest, o.embedder), version: latest };
    const r = await publishIndex({
      config: o.config,
      embedder: o.embedder,
      versions: o.versions,
      replica: o.replica,
      log: o.log,
      ocr: o.ocr,
    });
    if (r.status === 'published') return { index: r.index, version: r.version };
    if (r.status === 'current')
      return { index: await loadVersion(o.config, r.version, o.embedder), version: r.version };
    // Another replica is ingesting: serve the newest version meanwhile if this replica can read it, else wait.
    if (latest && !stale?.startsWith(`version ${latest.id} is missing`)) {
      o.log(`Another replica is publishing a new index version; serving version ${latest.id} until it is ready.`);
      return { index: await loadVersion(o.config, latest, o.embedder), version: latest };
    }
    if (Date.now() > deadline)
      throw new Error(`no index version appeared in ${o.config.indexDir} (another replica was ingesting)`);
    if (!told) o.log('Another replica is building the first index version; waiting for it ...');
    told = true;
    await sleep(1000);
  }
}

export interface IndexWatchOptions {
  versions: Pick<PgIndexVersions, 'latest' | 'serving' | 'forget'>;
  replica: string;
  intervalMs: number;
  /** The version served at start. */
  current: IndexVersion;
  load: (v: IndexVersion) => Promise<SearchIndex>;
  /** Puts the loaded index in service (main.ts: the LiveIndex holder's swapIndex). */
  swap: (index: SearchIndex, v: IndexVersion) => void;
  log: Logger;
}

export interface IndexWatch {
  /** The version served now. */
  version(): number;
  /** One look for a newer version (the timer calls it; tests too). */
  check(): Promise<void>;
  /**
   * Serves `v` now, unless this replica already serves it or a newer one: for a version this replica has just
   * published (a corpus job), so that it need not wait for the next look. Throws when `v` cannot be loaded.
   */
  adopt(v: IndexVersion): Promise<void>;
  stop(): Promise<void>;
}

export function watchIndexVersions(o: IndexWatchOptions): IndexWatch {
  const log = o.log.child({ module: 'index-watch' });
  let current = o.current;
  let failedId: number | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  async function switchTo(v: IndexVersion): Promise<void> {
    const t0 = Date.now();
    const index = await o.load(v);
    o.swap(index, v);
    log.info(
      { from: current.id, to: v.id, chunks: v.chunks, loadMs: Date.now() - t0 },
      `search index: now serving version ${v.id}`,
    );
    current = v;
  }

  async function once(): Promise<void> {
    const latest = await o.versions.latest();
    if (latest && latest.id > current.id && latest.id !== failedId) {
      try {
        await switchTo(latest);
      } catch (err) {
        // Logged once per version; the old index keeps serving.
        failedId = latest.id;
        log.error(
          { version: latest.id, err: (err as Error).message },
          `search index: version ${latest.id} could not be loaded; still serving ${current.id}`,
        );
      }
    }
    await o.versions.serving(o.replica, current.id, Date.now());
  }

  /** One swap at a time: a look and an adoption never load two versions at once. */
  function serialized<T>(fn: () => Promise<T>): Promise<T> {
    const prev = running ?? Promise.resolve();
    const next = prev.then(fn);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    running = settled;
    void settled.finally(() => {
      if (running === settled) running = undefined;
    });
    return next;
  }

  function check(): Promise<void> {
    if (running) return running;
    return serialized(() =>
      once().catch((err) => log.warn({ err: (err as Error).message }, 'search index: version check failed')),
    );
  }

  function adopt(v: IndexVersion): Promise<void> {
    return serialized(async () => {
      if (v.id <= current.id) return;
      await switchTo(v);
      await o.versions.serving(o.replica, current.id, Date.now());
    });
  }

  const timer = setInterval(() => void (stopped ? undefined : check()), o.intervalMs);
  timer.unref();
  void check();
  return {
    version: () => current.id,
    check,
    adopt,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await o.versions.forget(o.replica).catch(() => undefined);
    },
  };
}
