// The socket round-trip floor of the benchmarks (issue 17 item 4): a Unix socket server that
// answers every line at once with a fixed recall-shaped result, on the same line framer the
// vault's sockets use. An agent client measured against it and against the vault in the same run
// shows what share of a recall's round trip is the vault's own work.
import { createServer } from 'node:net';
import { z } from 'zod';
import { LineFramer } from '../node/rpc/line-framer.js';

const idSchema = z.object({ id: z.union([z.number(), z.string()]) });

/** Listens on `path`; resolves to a function that closes the server. */
export function startEmptyServer(path: string): Promise<() => Promise<void>> {
  const server = createServer((socket) => {
    const framer = new LineFramer(1024 * 1024);
    socket.on('data', (d: Buffer) => {
      for (const frame of framer.push(d)) {
        let id: number | string = 0;
        try {
          const parsed = idSchema.safeParse(JSON.parse(frame.toString('utf8')));
          if (parsed.success) id = parsed.data.id;
        } catch {
          /* answer anyway: this server measures the transport, not parsing */
        }
        socket.write(`${JSON.stringify({ jsonrpc: '2.0', id, result: { status: 'ok', content: 'empty handler' } })}\n`);
      }
    });
    socket.on('error', () => socket.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve(() => new Promise<void>((r) => server.close(() => r()))));
  });
}
