// A fake CDN on 127.0.0.1 serving audio files (what a voice note URL points at), with knobs for the bad cases:
// no Content-Length (chunked), an HTTP error, or a connection that never answers.
import { createServer, type ServerResponse } from 'node:http';
import { listenLocal } from './listen';

export interface MediaOptions {
  /** Send without Content-Length, in 64 KiB chunks. */
  chunked?: boolean;
  status?: number;
  hang?: boolean;
}

export interface FakeMedia {
  /** Serves `data`; returns its URL. */
  add(name: string, data: Buffer, opts?: MediaOptions): string;
  /** Names requested, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startFakeMedia(): Promise<FakeMedia> {
  const files = new Map<string, { data: Buffer; opts: MediaOptions }>();
  const requests: string[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1).split('?')[0]);
    requests.push(name);
    const f = files.get(name);
    if (!f) {
      res.writeHead(404).end('not found');
      return;
    }
    if (f.opts.hang) {
      hanging.add(res);
      return;
    }
    if (f.opts.status) {
      res.writeHead(f.opts.status).end('error');
      return;
    }
    if (!f.opts.chunked) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': f.data.length }).end(f.data);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    for (let i = 0; i < f.data.length; i += 65536) res.write(f.data.subarray(i, i + 65536));
    res.end();
  });
  const origin = await listenLocal(server);
  return {
    requests,
    add(name, data, opts = {}) {
      files.set(name, { data, opts });
      return `${origin}/${encodeURIComponent(name)}`;
    },
    async close() {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
