// The shared line transport on a real Unix socket: framing under any split of the byte stream,
// the frame-limit reply, stale and live sockets, caps, deadlines and drain. No timing assertions:
// deadlines are short and every wait is for an event, with generous limits.
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { chunksAt } from '../../../tests/support/byte-chunks.js';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LineRpcServer, type LineRpcConnection, type LineRpcLimits, type LineRpcSession } from './line-rpc-server.js';
import { methodTable, serveFrame } from './method-table.js';
import { failResponse } from './rpc-reply.js';
import { VaultError } from '../../core/errors.js';

const LIMITS: LineRpcLimits = {
  maxConnections: 8,
  unauthenticatedDeadlineMs: 60_000,
  idleTimeoutMs: 0,
  maxFrameBytes: 4096,
  maxUnauthenticatedFrameBytes: 1024,
  maxInFlightPerConnection: 4,
  maxParkedBytesPerConnection: 64 * 1024,
  maxParkedBytesTotal: 1024 * 1024,
  maxUnwrittenBytes: 1024 * 1024,
};

/** Handlers: `login` authenticates the connection, `echo` returns its text, `hold` waits for release(). */
let releaseHeld: () => void = () => undefined;
const schemas = {
  login: z.object({}).strict(),
  echo: z.object({ text: z.string() }).strict(),
  hold: z.object({}).strict(),
  big: z.object({ size: z.number().int() }).strict(),
} as const;
let bigServed = 0;
const table = methodTable<typeof schemas, LineRpcConnection>(schemas, {
  login: (_p, c) => {
    c.markAuthenticated();
    return { ok: true };
  },
  echo: (p) => ({ text: p.text }),
  hold: () => new Promise((r) => (releaseHeld = () => r({ held: true }))),
  big: (p) => {
    bigServed++;
    return { text: 'x'.repeat(p.size) };
  },
});

let dir = '';
let server: LineRpcServer | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await server?.close(1000);
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

async function start(limits: Partial<LineRpcLimits> = {}, session: Partial<LineRpcSession> = {}): Promise<string> {
  dir = mkdtempSync(join(tmpdir(), 'line-rpc-'));
  const path = join(dir, 'test.sock');
  server = new LineRpcServer({
    name: 'agent',
    socketPath: path,
    loginName: 'login',
    limits: { ...LIMITS, ...limits },
    openSession: (c) => ({
      onFrame: async (frame) => {
        const r = await serveFrame(frame, table, c);
        if (r) c.send(r);
      },
      ...session,
    }),
  });
  await server.listen();
  return path;
}

interface Peer {
  readonly socket: Socket;
  readonly lines: string[];
  readonly closed: Promise<void>;
}

async function peer(path: string): Promise<Peer> {
  const socket = connect(path);
  sockets.push(socket);
  socket.on('error', () => undefined);
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  await new Promise<void>((r) => socket.once('connect', () => r()));
  const lines: string[] = [];
  let rest = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    const parts = `${rest}${chunk}`.split('\n');
    rest = parts.pop() ?? '';
    lines.push(...parts);
  });
  return { socket, lines, closed };
}

async function until<T>(fn: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 2000; i++) {
    const v = fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`not reached: ${what}`);
}

const parse = (l: string | undefined) =>
  JSON.parse(l ?? 'null') as { id?: unknown; result?: unknown; error?: { code: number; message: string; data: { code: string } } };

async function writeChunks(s: Socket, chunks: Buffer[]): Promise<void> {
  for (const c of chunks) await new Promise<void>((r) => s.write(c, () => r()));
}

describe('line framing', () => {
  it('any split of a valid stream yields the same frames, answered in order', async () => {
    const path = await start({ maxInFlightPerConnection: 1 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ maxLength: 40 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        async (texts, cuts, crlf) => {
          const stream = Buffer.from(
            texts
              .map((text, i) => `${JSON.stringify({ jsonrpc: '2.0', id: i, method: 'echo', params: { text } })}${crlf ? '\r\n' : '\n'}`)
              .join(''),
          );
          const p = await peer(path);
          await writeChunks(p.socket, chunksAt(stream, cuts));
          await until(() => (p.lines.length >= texts.length ? true : undefined), 'all replies');
          expect(p.lines.map((l) => parse(l))).toEqual(texts.map((text, i) => ({ jsonrpc: '2.0', id: i, result: { text } })));
          p.socket.destroy();
        },
      ),
      { numRuns: 25 },
    );
  });

  it('an oversized frame, however it is split, gets one -32600 INVALID_INPUT reply and the connection closes', async () => {
    const path = await start();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1025, max: 6000 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.boolean(),
        async (size, cuts, finished) => {
          const p = await peer(path);
          const bytes = Buffer.concat([Buffer.alloc(size, 0x61), finished ? Buffer.from('\n') : Buffer.alloc(0)]);
          await writeChunks(p.socket, chunksAt(bytes, cuts)).catch(() => undefined);
          await p.closed;
          expect(p.lines).toHaveLength(1);
          expect(parse(p.lines[0])).toMatchObject({
            id: null,
            error: { code: -32600, message: 'Frame larger than 1024 bytes before login.', data: { code: 'INVALID_INPUT' } },
          });
        },
      ),
      { numRuns: 15 },
    );
  });

  it('the frame limit rises once the connection has authenticated', async () => {
    const path = await start();
    const p = await peer(path);
    p.socket.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'login', params: {} })}\n`);
    await until(() => p.lines[0], 'login');
    const text = 'b'.repeat(2000);
    p.socket.write(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'echo', params: { text } })}\n`);
    expect(parse(await until(() => p.lines[1], 'echo'))).toMatchObject({ id: 2, result: { text } });
    p.socket.write(Buffer.alloc(5000, 0x62));
    await p.closed;
    expect(parse(p.lines[2]).error?.message).toBe('Frame larger than 4096 bytes.');
  });
});

describe('socket file', () => {
  it('is 0600, and is removed on close', async () => {
    const path = await start();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await server?.close(1000);
    server = undefined;
    expect(() => statSync(path)).toThrow();
  });

  it('a dead socket file left by a crash is replaced; a live one is refused VAULT_BUSY and left alone', async () => {
    dir = mkdtempSync(join(tmpdir(), 'line-rpc-'));
    const path = join(dir, 'test.sock');
    writeFileSync(path, 'stale');
    const first = new LineRpcServer({
      name: 'owner',
      socketPath: path,
      loginName: 'login',
      limits: LIMITS,
      openSession: () => ({ onFrame: () => Promise.resolve() }),
    });
    await first.listen();
    const second = new LineRpcServer({
      name: 'owner',
      socketPath: path,
      loginName: 'login',
      limits: LIMITS,
      openSession: () => ({ onFrame: () => Promise.resolve() }),
    });
    await expect(second.listen()).rejects.toMatchObject({ code: 'VAULT_BUSY' });
    await second.close(100);
    // The refused server did not unlink the live socket: the first still accepts.
    const p = await peer(path);
    expect(p.socket.destroyed).toBe(false);
    p.socket.destroy();
    await first.close(1000);
  });

  it('refuses a socket directory writable by group or others', async () => {
    dir = mkdtempSync(join(tmpdir(), 'line-rpc-'));
    chmodSync(dir, 0o777);
    const s = new LineRpcServer({
      name: 'agent',
      socketPath: join(dir, 'x.sock'),
      loginName: 'login',
      limits: LIMITS,
      openSession: () => ({ onFrame: () => Promise.resolve() }),
    });
    await expect(s.listen()).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('caps and deadlines', () => {
  it('a connection past the cap gets one RATE_LIMITED line and is closed', async () => {
    const path = await start({ maxConnections: 1 });
    const first = await peer(path);
    first.socket.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'echo', params: { text: 'x' } })}\n`);
    await until(() => first.lines[0], 'first answered');
    const extra = await peer(path);
    await extra.closed;
    expect(parse(extra.lines[0])).toMatchObject({ error: { data: { code: 'RATE_LIMITED' } } });
    expect(parse(extra.lines[0]).error?.message).toBe('Too many agent connections are open.');
  });

  it('the unauthenticated deadline closes with the session answer, or silently; an authenticated connection stays', async () => {
    const path = await start(
      { unauthenticatedDeadlineMs: 100 },
      { onDeadline: () => failResponse(null, new VaultError('UNAUTHORIZED', 'Too slow.')) },
    );
    const authed = await peer(path);
    authed.socket.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'login', params: {} })}\n`);
    await until(() => authed.lines[0], 'login');
    const slow = await peer(path);
    await slow.closed;
    expect(parse(slow.lines[0])).toMatchObject({ error: { message: 'Too slow.', data: { code: 'UNAUTHORIZED' } } });
    authed.socket.write(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'echo', params: { text: 'still here' } })}\n`);
    expect(parse(await until(() => authed.lines[1], 'echo'))).toMatchObject({ result: { text: 'still here' } });
  });

  it('an idle timeout closes a quiet connection but not one whose request is still running', async () => {
    const path = await start({ idleTimeoutMs: 100 });
    const busy = await peer(path);
    busy.socket.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'hold', params: {} })}\n`);
    const quiet = await peer(path);
    await quiet.closed;
    expect(quiet.lines).toEqual([]);
    expect(busy.socket.destroyed).toBe(false);
    releaseHeld();
    expect(parse(await until(() => busy.lines[0], 'held reply'))).toMatchObject({ result: { held: true } });
  });

  it('frames beyond the in-flight cap are parked in order; one past the parked-bytes cap is refused RATE_LIMITED with its id', async () => {
    const path = await start({ maxInFlightPerConnection: 1, maxParkedBytesPerConnection: 200 });
    const p = await peer(path);
    const send = (o: object) => p.socket.write(`${JSON.stringify(o)}\n`);
    send({ jsonrpc: '2.0', id: 1, method: 'hold', params: {} });
    send({ jsonrpc: '2.0', id: 2, method: 'echo', params: { text: 'parked' } });
    send({ jsonrpc: '2.0', id: 3, method: 'echo', params: { text: 'p'.repeat(300) } });
    const refused = parse(await until(() => p.lines[0], 'refusal'));
    expect(refused).toMatchObject({ id: 3, error: { data: { code: 'RATE_LIMITED' } } });
    releaseHeld();
    await until(() => (p.lines.length >= 3 ? true : undefined), 'held and parked replies');
    expect(p.lines.slice(1).map((l) => parse(l).id)).toEqual([1, 2]);
  });
});

describe('backpressure', () => {
  it('a peer that does not read its replies is not served further until it reads; then every request is answered', async () => {
    bigServed = 0;
    const path = await start({ maxUnwrittenBytes: 64 * 1024, maxFrameBytes: 4096, maxUnauthenticatedFrameBytes: 4096 });
    const p = await peer(path);
    p.socket.pause();
    const requests = 200;
    p.socket.write(
      Array.from(
        { length: requests },
        (_, i) => `${JSON.stringify({ jsonrpc: '2.0', id: i, method: 'big', params: { size: 256 * 1024 } })}\n`,
      ).join(''),
    );
    // Wait until the server stops making progress (each reply is 256 KiB; the socket buffers hold a few).
    let last = -1;
    for (let stable = 0; stable < 20;) {
      await new Promise((r) => setTimeout(r, 25));
      stable = bigServed === last ? stable + 1 : 0;
      last = bigServed;
    }
    // Without backpressure all 200 (50 MiB of replies) would have been built and buffered by now.
    expect(bigServed).toBeLessThan(requests);
    p.socket.resume();
    await until(() => (p.lines.length >= requests ? true : undefined), 'every reply after reading');
    expect(new Set(p.lines.map((l) => parse(l).id)).size).toBe(requests);
  });
});

describe('shutdown', () => {
  it('drains: stops accepting, answers the request in flight, refuses nothing it had received', async () => {
    const path = await start();
    const p = await peer(path);
    p.socket.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'hold', params: {} })}\n`);
    await until(() => (server?.connectionCount === 1 ? true : undefined), 'accepted');
    await new Promise((r) => setTimeout(r, 20));
    const closing = server?.close(30_000);
    expect(server?.closing).toBe(true);
    // New connections are not served any more.
    const late = connect(path);
    const lateOutcome = await new Promise<string>((r) => {
      late.once('error', () => r('refused'));
      late.once('close', () => r('closed'));
    });
    expect(['refused', 'closed']).toContain(lateOutcome);
    releaseHeld();
    await closing;
    server = undefined;
    expect(parse(p.lines[0])).toMatchObject({ id: 1, result: { held: true } });
  });

  it('a server that never listened (VAULT_BUSY) does not remove the live socket when closed', async () => {
    dir = mkdtempSync(join(tmpdir(), 'line-rpc-'));
    const path = join(dir, 'live.sock');
    const squatter = createServer((s) => s.destroy());
    await new Promise<void>((r) => squatter.listen(path, () => r()));
    const s = new LineRpcServer({
      name: 'owner',
      socketPath: path,
      loginName: 'login',
      limits: LIMITS,
      openSession: () => ({ onFrame: () => Promise.resolve() }),
    });
    await expect(s.listen()).rejects.toMatchObject({ code: 'VAULT_BUSY' });
    await s.close(100);
    expect(statSync(path).isSocket()).toBe(true);
    await new Promise<void>((r) => squatter.close(() => r()));
  });
});
