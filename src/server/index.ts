// The HTTP server (layer 9): web console and chat API, dashboard, webhooks, health, metrics, lifecycle.
export { createApp } from './app';
export { type AdminSessionStore, MemoryAdminSessionStore } from './admin-session-store';
export { PgAdminSessionStore } from './admin-session-store-pg';
export { type ExportFileStore, FileStore } from './file-store';
export { PgFileStore } from './file-store-pg';
export { drainServer, onStopSignals, watchLauncher } from './lifecycle';
export { instrumentCore, Metrics } from './metrics';
