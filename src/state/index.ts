// Where shared state lives (layer 11): every store opened on SQLite files and memory (one machine) or on
// PostgreSQL (DATABASE_URL, several replicas), and the one-way import of a machine's SQLite data into PostgreSQL.
export { ImportError, importSqlite } from './import-sqlite';
export { openSharedState, replicaName, type SharedState } from './stores';
