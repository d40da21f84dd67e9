// One throwaway PostgreSQL cluster per test file (started in beforeAll, removed in afterAll), and a fresh,
// migrated database per call: the contract suites run each store against it beside its SQLite/memory twin.
import { afterAll, beforeAll } from 'vitest';
import { migratePg } from '../../src/db/migrations-pg';
import { openDatabase, type Database } from '../../src/db/pg';
import { startPgCluster, type PgCluster } from './pg-cluster';

export interface PgHarness {
  cluster(): PgCluster;
  /** A new empty database with the schema applied; closed in afterAll. */
  database(opts?: { max?: number }): Promise<Database>;
}

export function usePg(): PgHarness {
  let cluster: PgCluster | undefined;
  const open: Database[] = [];
  let n = 0;
  beforeAll(() => {
    cluster = startPgCluster();
  });
  afterAll(async () => {
    await Promise.allSettled(open.map((d) => d.close()));
    cluster?.stop();
  });
  return {
    cluster: () => cluster!,
    async database(opts = {}) {
      const url = await cluster!.createDatabase(`t${process.pid}_${++n}`);
      const db = openDatabase(url, { max: opts.max ?? 8 });
      open.push(db);
      await migratePg(db);
      return db;
    },
  };
}
