// Finds a TCP port P on 127.0.0.1 such that P and P+1 are both free (swtpm server + ctrl).
import { createServer, createConnection } from 'node:net';

function listenOn(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(undefined));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      const addr = srv.address();
      const got = typeof addr === 'object' && addr ? addr.port : undefined;
      srv.close(() => resolve(got));
    });
  });
}

export async function findFreePortPair(attempts = 50): Promise<number> {
  for (let i = 0; i < attempts; i++) {
    const p = await listenOn(0);
    if (p === undefined || p >= 65535) continue;
    if ((await listenOn(p + 1)) !== undefined) return p;
  }
  throw new Error('No free TCP port pair found on 127.0.0.1');
}

/** Resolves true once a TCP connection to host:port succeeds. */
export function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ port, host });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => {
      sock.destroy();
      resolve(false);
    });
  });
}
