// Graceful shutdown pieces: draining the HTTP server and telling a repeated signal from a second one.
import http from 'node:http';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../../src/log';
import { drainServer, onStopSignals } from '../../src/server/lifecycle';

function slowServer(ms: number): Promise<{ server: http.Server; port: number }> {
  const app = new Hono();
  app.get('/slow', async (c) => {
    await new Promise((r) => setTimeout(r, ms));
    return c.text('fini');
  });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({ server, port: info.port }),
    ) as http.Server;
  });
}

/** A GET over a keep-alive agent (as browsers do), resolving with the status and body or the error. */
function get(port: number, agent: http.Agent): Promise<string> {
  return new Promise((resolve) => {
    http
      .get({ port, host: '127.0.0.1', path: '/slow', agent }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve(`${res.statusCode} ${body}`));
        res.on('error', (e) => resolve(`error ${e.message}`));
      })
      .on('error', (e) => resolve(`error ${e.message}`));
  });
}

describe('drainServer', () => {
  it('lets a request in flight finish, then closes its keep-alive connection at once', async () => {
    const { server, port } = await slowServer(400);
    const agent = new http.Agent({ keepAlive: true });
    const reply = get(port, agent);
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    const drained = await drainServer(server, 5_000);
    expect(drained).toBe(true);
    expect(await reply).toBe('200 fini');
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(server.listening).toBe(false);
    agent.destroy();
  });

  it('cuts requests still running after the bounded wait', async () => {
    const { server, port } = await slowServer(5_000);
    const agent = new http.Agent({ keepAlive: true });
    const reply = get(port, agent);
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    expect(await drainServer(server, 300)).toBe(false);
    expect(Date.now() - t0).toBeLessThan(1_500);
    expect(await reply).toMatch(/^error/);
    agent.destroy();
  });
});

describe('onStopSignals', () => {
  const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  afterEach(() => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      for (const l of process.listeners(sig)) if (!before[sig].includes(l)) process.removeListener(sig, l);
    }
    vi.restoreAllMocks();
  });

  it('stops once, ignores the same request relayed by npm/tsx, and forces exit on a later signal', () => {
    let t = 1_000_000;
    const stops: string[] = [];
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    onStopSignals(
      (s) => stops.push(s),
      logger,
      () => t,
    );
    process.emit('SIGTERM', 'SIGTERM');
    t += 50;
    process.emit('SIGTERM', 'SIGTERM');
    process.emit('SIGINT', 'SIGINT');
    expect(stops).toEqual(['SIGTERM']);
    expect(exit).not.toHaveBeenCalled();
    t += 5_000;
    process.emit('SIGINT', 'SIGINT');
    expect(exit).toHaveBeenCalledWith(1);
    expect(stops).toEqual(['SIGTERM']);
  });
});
