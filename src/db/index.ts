// PostgreSQL for several replicas (layer 2, beside infra): the pool with its query statistics, the schema
// migrations, and leases (one poller per bot). The stores built on it live with their domains (*-pg.ts).
export {
  type Database,
  LOCKS,
  openDatabase,
  type PoolOptions,
  QUERY_BUCKETS,
  type Queryable,
  QueryStats,
} from './pg';
export { PgLeaseStore } from './leases';
export { migratePg, PG_LATEST_VERSION, PG_MIGRATIONS, type PgMigration } from './migrations-pg';
