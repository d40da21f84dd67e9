// The HTTP server (layer 9): web console and chat API, dashboard, webhooks, health, metrics, lifecycle.
export { createApp } from './app';
export { drainServer, onStopSignals, watchLauncher } from './lifecycle';
export { instrumentCore, Metrics } from './metrics';
