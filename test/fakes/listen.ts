import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listen on a free port of 127.0.0.1; resolves to the origin, e.g. "http://127.0.0.1:41234". */
export async function listenLocal(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
