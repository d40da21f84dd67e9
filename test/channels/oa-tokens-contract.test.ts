// OATokenStore contract over SQLite (one machine) and PostgreSQL (several replicas): seeding from the environment,
// and rotation under the store's lock, exactly one refresh among concurrent callers (in PostgreSQL across three
// pools, as three replicas would be), a failed refresh leaving the stored pair usable.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ZaloOATokenStore, type OATokens, type OATokenStore } from '../../src/channels/zalo-oa-store';
import { PgOATokenStore } from '../../src/channels/zalo-oa-store-pg';
import { openDatabase } from '../../src/db/pg';
import { usePg } from '../helpers/pg';

const pg = usePg();
const dir = mkdtempSync(path.join(tmpdir(), 'tlhc-oa-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** `replicas` stores over one backing store: the same file, or one database through separate pools. */
const backends: [string, (replicas: number) => Promise<OATokenStore[]>][] = [
  ['sqlite', async () => [new ZaloOATokenStore(path.join(dir, `${++n}.db`), 'app-1')]],
  [
    'postgres',
    async (replicas) => {
      const first = await pg.database();
      const url = first.pool.options.connectionString!;
      const dbs = [first, ...Array.from({ length: replicas - 1 }, () => openDatabase(url, { max: 4 }))];
      afterAll(() => Promise.all(dbs.slice(1).map((d) => d.close())));
      return dbs.map((d) => new PgOATokenStore(d, 'app-1'));
    },
  ],
];

describe.each(backends)('OATokenStore contract: %s', (_name, open) => {
  it('seeds from the environment once, keeps a rotated pair, re-seeds when the operator pastes a new pair', async () => {
    const [s] = await open(1);
    expect(await s.load()).toBeUndefined();
    expect(await s.seed(undefined, undefined)).toBe('empty');
    expect(await s.seed('at-0', 'rt-0')).toBe('seeded');
    expect(await s.load()).toEqual({ accessToken: 'at-0', refreshToken: 'rt-0', expiresAt: null });
    await s.rotate(
      () => true,
      async () => ({ accessToken: 'at-1', refreshToken: 'rt-1', expiresAt: 5000 }),
    );
    expect(await s.seed('at-0', 'rt-0')).toBe('kept'); // a restart with the same environment keeps the rotated pair
    expect((await s.load())?.refreshToken).toBe('rt-1');
    expect(await s.seed(undefined, undefined)).toBe('kept');
    expect(await s.seed('at-9', 'rt-9')).toBe('seeded');
    expect((await s.load())?.accessToken).toBe('at-9');
    await s.close();
  });

  it('refreshes exactly once when many callers find the token stale at once; the others get the new pair', async () => {
    const stores = await open(3);
    await stores[0].seed('at-0', 'rt-0');
    let calls = 0;
    const used: (string | null)[] = [];
    const refresh = async (t: OATokens | undefined): Promise<OATokens> => {
      calls++;
      used.push(t?.refreshToken ?? null);
      await new Promise((r) => setTimeout(r, 50));
      return { accessToken: `at-${calls}`, refreshToken: `rt-${calls}`, expiresAt: null };
    };
    const stale = (t: OATokens | undefined) => t?.accessToken === 'at-0';
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => stores[i % stores.length].rotate(stale, refresh)),
    );
    expect(calls).toBe(1);
    expect(used).toEqual(['rt-0']);
    expect(new Set(results.map((r) => r?.accessToken))).toEqual(new Set(['at-1']));
    expect(await stores[stores.length - 1].load()).toEqual({
      accessToken: 'at-1',
      refreshToken: 'rt-1',
      expiresAt: null,
    });
    for (const s of stores) await s.close();
  });

  it('leaves the stored pair as it was when the refresh fails', async () => {
    const [s] = await open(1);
    await s.seed('at-0', 'rt-0');
    await expect(
      s.rotate(
        () => true,
        async () => Promise.reject(new Error('-14014 invalid refresh token')),
      ),
    ).rejects.toThrow('-14014');
    expect(await s.load()).toEqual({ accessToken: 'at-0', refreshToken: 'rt-0', expiresAt: null });
    // ...and the lock is free again.
    expect(
      (
        await s.rotate(
          () => true,
          async () => ({ accessToken: 'at-2', refreshToken: 'rt-2', expiresAt: 1 }),
        )
      )?.accessToken,
    ).toBe('at-2');
    await s.close();
  });
});
