// A local NatLangChain stand-in over real HTTP (node:http on 127.0.0.1, port 0) with the
// endpoints the vault uses: POST /entries, GET /entries/{id}/proof, POST /mine, GET /health.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChainEntry {
  readonly entryId: string;
  readonly body: Record<string, unknown>;
  block: number | null;
}

export interface FakeChain {
  readonly url: string;
  readonly entries: ChainEntry[];
  /** Mine every pending entry into a new block. */
  mine(): void;
  stop(): Promise<void>;
  /** Listen again on the same port after stop(). */
  start(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeChain(): Promise<FakeChain> {
  const entries: ChainEntry[] = [];
  let height = 0;
  let server: Server | null = null;
  let port = 0;
  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    if (req.method === 'GET' && url === '/health') return send(res, 200, { status: 'healthy' });
    if (req.method === 'POST' && url === '/entries') {
      const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
      const entry: ChainEntry = { entryId: `entry-${entries.length + 1}`, body, block: null };
      entries.push(entry);
      return send(res, 201, { success: true, entry_id: entry.entryId, status: 'pending' });
    }
    if (req.method === 'POST' && url === '/mine') {
      chain.mine();
      return send(res, 200, { success: true, block_height: height });
    }
    const m = /^\/entries\/([^/]+)\/proof$/.exec(url);
    if (req.method === 'GET' && m) {
      const e = entries.find((x) => x.entryId === decodeURIComponent(m[1] ?? ''));
      if (!e) return send(res, 404, { error: 'not found' });
      if (e.block === null) return send(res, 200, { included: false });
      return send(res, 200, {
        included: true,
        block_hash: `block-${e.block}`,
        block_height: e.block,
        merkle_proof: ['aa', 'bb'],
        timestamp: '2026-01-01T00:00:00Z',
      });
    }
    return send(res, 404, { error: 'not found' });
  };
  const listen = (p: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      server = createServer((req, res) => {
        handler(req, res).catch(() => send(res, 500, { error: 'fake chain failure' }));
      });
      server.once('error', reject);
      server.listen(p, '127.0.0.1', () => {
        port = (server?.address() as AddressInfo).port;
        resolve();
      });
    });
  await listen(0);
  const chain: FakeChain = {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    entries,
    mine() {
      height++;
      for (const e of entries) if (e.block === null) e.block = height;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        const s = server;
        server = null;
        if (!s) return resolve();
        s.closeAllConnections();
        s.close(() => resolve());
      }),
    start: () => listen(port),
  };
  return chain;
}
