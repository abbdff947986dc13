// Threat: any local process (an agent runs as the same OS user) floods owner.sock without ever
// logging in. The owner transport's own copy of the line handling queued every frame in an
// unbounded promise chain, so a burst of small frames was held in memory however large it grew,
// and it had no drain on shutdown. On the shared line transport (src/node/rpc/line-rpc-server.ts)
// frames beyond the in-flight cap are parked under a byte cap, and the one past it is refused
// RATE_LIMITED with its id; the connection and the server stay usable.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OwnerClient } from '../../src/node/agent-api/owner-client.js';
import { startServerFixture, until, type ServerFixture } from '../agent-api/agent-fixture.js';
import { TEST_PASSPHRASE } from '../support/vault-fixture.js';

let fx: ServerFixture | undefined;
let flooder: Socket | undefined;
afterEach(async () => {
  flooder?.destroy();
  await fx?.close();
  fx = undefined;
});

describe('owner socket flooded before login', () => {
  it('frames past the parked-bytes cap are refused RATE_LIMITED with their id, the rest UNAUTHORIZED; the owner still logs in', async () => {
    fx = await startServerFixture({ server: { ownerLimits: { maxInFlightPerConnection: 1, maxParkedBytesPerConnection: 512 } } });
    const socket = connect(fx.server.ownerSocket);
    flooder = socket;
    await new Promise<void>((r, j) => {
      socket.once('connect', () => r());
      socket.once('error', j);
    });
    const replies: { id?: unknown; error?: { data?: { code?: string } } }[] = [];
    let rest = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      const parts = `${rest}${chunk}`.split('\n');
      rest = parts.pop() ?? '';
      for (const p of parts) replies.push(JSON.parse(p) as (typeof replies)[number]);
    });
    const frames = 1000;
    socket.write(
      Array.from({ length: frames }, (_, i) => `${JSON.stringify({ jsonrpc: '2.0', id: i, method: 'approvals.list', params: {} })}\n`).join(
        '',
      ),
    );
    await until(() => (replies.length >= frames ? true : undefined), 60_000);
    const codes = replies.map((r) => r.error?.data?.code);
    expect(codes.every((c) => c === 'UNAUTHORIZED' || c === 'RATE_LIMITED')).toBe(true);
    const limited = replies.filter((r) => r.error?.data?.code === 'RATE_LIMITED');
    expect(limited.length).toBeGreaterThan(0);
    // Each refusal names the frame it refused, and every frame got exactly one answer.
    expect(new Set(replies.map((r) => r.id)).size).toBe(frames);
    expect(socket.destroyed).toBe(false);
    // The owner is not locked out by it.
    const c = await OwnerClient.tryConnect(fx.server.ownerSocket);
    if (!c) throw new Error('no owner socket');
    await c.login(TEST_PASSPHRASE);
    expect(await c.call<unknown[]>('approvals.list')).toEqual([]);
    c.close();
  });
});
