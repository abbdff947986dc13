// Threat: one agent (or any local process) exhausting the vault server — 500 pending approvals in
// 217 ms from one agent; 300 idle unauthenticated connections, each holding a 2 MiB partial line,
// took `serve` from 96 MB to 733 MB. Every such resource is now capped with a stable code:
// pending approvals per agent (RATE_LIMITED), connections per socket (RATE_LIMITED, closed), the
// login deadline (UNAUTHORIZED, closed), frame bytes before login, parked frame bytes per
// connection (RATE_LIMITED) and across connections (RATE_LIMITED, closed). The caps are stated
// in status. No timing figures are asserted: deadlines here are short, waits are generous.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Requester } from '../../src/core/model/requester.js';
import { codeOf, startServerFixture, until, type ServerFixture } from '../agent-api/agent-fixture.js';

const owner: Requester = { kind: 'owner', channel: 'cli' };

let fx: ServerFixture | undefined;
const raws: Socket[] = [];
afterEach(async () => {
  for (const s of raws.splice(0)) s.destroy();
  await fx?.close();
  fx = undefined;
});

interface Raw {
  readonly socket: Socket;
  readonly lines: { id?: unknown; error?: { data?: { code?: string } }; result?: unknown }[];
  closed: boolean;
  send(obj: object): void;
}

async function raw(path: string): Promise<Raw> {
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect(path);
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
  raws.push(socket);
  const r: Raw = {
    socket,
    lines: [],
    closed: false,
    send: (obj) => socket.write(`${JSON.stringify(obj)}\n`),
  };
  let buf = '';
  socket.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      r.lines.push(JSON.parse(buf.slice(0, nl)) as Raw['lines'][number]);
      buf = buf.slice(nl + 1);
    }
  });
  socket.on('error', () => undefined);
  socket.on('close', () => (r.closed = true));
  return r;
}

const codeOfLine = (l: Raw['lines'][number] | undefined) => l?.error?.data?.code ?? (l && 'result' in l ? 'OK' : undefined);

describe('pending approval requests per agent', () => {
  it('the 21st pending request from one agent is RATE_LIMITED; other agents and freed slots are not affected', async () => {
    fx = await startServerFixture();
    const a = await fx.agent('flooder', 3);
    const b = await fx.agent('neighbour', 3);
    const m = await fx.session.engine.store({ content: 'sealed', level: 3, title: 'L3' }, owner);
    const pending: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await a.client.recall(m.id, `ask ${i}`);
      expect(r.status).toBe('pending');
      if (r.status === 'pending') pending.push(r.requestId);
    }
    expect(await codeOf(a.client.recall(m.id, 'one too many'))).toBe('RATE_LIMITED');
    expect(fx.server.broker.pending()).toHaveLength(20);
    // The refusal is audited with its code.
    const refused = fx.session.repo.readAuditRecords(0, 100_000).map((x) => JSON.parse(x.json) as { code?: string; actor: { id: string } });
    expect(refused.filter((e) => e.code === 'RATE_LIMITED' && e.actor.id === a.id)).toHaveLength(1);
    // Another agent still gets its request in.
    expect((await b.client.recall(m.id, 'mine')).status).toBe('pending');
    // A request that ends frees its slot.
    await a.client.cancel(pending[0] ?? '');
    await until(() => (fx?.server.broker.pending().filter((v) => v.requester.id === a.id).length === 19 ? true : undefined));
    expect((await a.client.recall(m.id, 'now there is room')).status).toBe('pending');
    expect(fx.session.engine.status().limits).toMatchObject({ pendingApprovalsPerAgent: 20 });
  });
});

describe('agent socket caps', () => {
  it('connections beyond the cap are answered RATE_LIMITED and closed', async () => {
    fx = await startServerFixture({ server: { agentLimits: { maxConnections: 3 } } });
    const open = [await raw(fx.server.agentSocket), await raw(fx.server.agentSocket), await raw(fx.server.agentSocket)];
    const extra = await raw(fx.server.agentSocket);
    await until(() => (extra.closed ? true : undefined));
    expect(codeOfLine(extra.lines[0])).toBe('RATE_LIMITED');
    expect(open.every((o) => !o.closed)).toBe(true);
    // Closing one makes room again (the server notices the close asynchronously: retry a while).
    open[0]?.socket.destroy();
    const { token } = fx.server.registry.create({ name: 'late', maxLevel: 1, namespaces: null, expiresAt: null });
    let admitted = false;
    for (let i = 0; i < 200 && !admitted; i++) {
      const r = await raw(fx.server.agentSocket);
      r.send({ jsonrpc: '2.0', id: 1, method: 'auth.login', params: { token } });
      await until(() => (r.lines.length > 0 || r.closed ? true : undefined));
      admitted = codeOfLine(r.lines[0]) === 'OK';
      if (!admitted) await new Promise((res) => setTimeout(res, 25));
    }
    expect(admitted).toBe(true);
  });

  it('a connection that does not log in before the deadline is closed; a logged-in one stays', async () => {
    fx = await startServerFixture({ server: { agentLimits: { loginDeadlineMs: 200 } } });
    const { token } = fx.server.registry.create({ name: 'prompt', maxLevel: 1, namespaces: null, expiresAt: null });
    const loggedIn = await raw(fx.server.agentSocket);
    loggedIn.send({ jsonrpc: '2.0', id: 1, method: 'auth.login', params: { token } });
    const idle = await raw(fx.server.agentSocket);
    await until(() => (idle.closed ? true : undefined));
    expect(codeOfLine(idle.lines[0])).toBe('UNAUTHORIZED');
    expect(loggedIn.closed).toBe(false);
    loggedIn.send({ jsonrpc: '2.0', id: 2, method: 'memory.list', params: {} });
    await until(() => (loggedIn.lines.length >= 2 ? true : undefined));
    expect(loggedIn.lines.map(codeOfLine)).toEqual(['OK', 'OK']);
  });

  it('before login a connection may not hold more than a small frame (the 733 MB reproduction)', async () => {
    fx = await startServerFixture();
    const idle = await raw(fx.server.agentSocket);
    // A 64 KiB line that never ends: before the fix the server kept up to 2 MiB of it per connection.
    idle.socket.write(Buffer.alloc(64 * 1024, 0x61));
    await until(() => (idle.closed ? true : undefined));
    expect(codeOfLine(idle.lines[0])).toBe('INVALID_INPUT');
    expect(JSON.stringify(idle.lines[0])).toContain('before auth.login');
  });

  it('frames parked behind a slow request are bounded per connection: the oversized one is refused RATE_LIMITED', async () => {
    fx = await startServerFixture({ server: { agentLimits: { maxInFlightPerConnection: 1, maxParkedBytesPerConnection: 8 * 1024 } } });
    const { token } = fx.server.registry.create({ name: 'pipeliner', maxLevel: 3, namespaces: null, expiresAt: null });
    const m = await fx.session.engine.store({ content: 'sealed', level: 3, title: 'L3' }, owner);
    const c = await raw(fx.server.agentSocket);
    c.send({ jsonrpc: '2.0', id: 1, method: 'auth.login', params: { token } });
    c.send({ jsonrpc: '2.0', id: 2, method: 'memory.recall', params: { memoryId: m.id, justification: 'slow one' } });
    await until(() => (c.lines.length >= 2 ? true : undefined));
    const requestId = (c.lines[1]?.result as { requestId: string }).requestId;
    // The only slot is held by a wait for the owner; what follows is parked.
    c.send({ jsonrpc: '2.0', id: 3, method: 'request.wait', params: { requestId, timeoutMs: 60_000 } });
    c.send({ jsonrpc: '2.0', id: 4, method: 'memory.list', params: {} });
    c.send({
      jsonrpc: '2.0',
      id: 5,
      method: 'memory.store',
      params: { content: 'x'.repeat(16 * 1024), level: 1, title: 'too big to park' },
    });
    await until(() => (c.lines.some((l) => l.id === 5) ? true : undefined));
    expect(codeOfLine(c.lines.find((l) => l.id === 5))).toBe('RATE_LIMITED');
    expect(c.lines.some((l) => l.id === 4)).toBe(false);
    // The owner answers: the wait ends, then the parked small frame is served in order.
    fx.server.broker.decide(requestId, { approve: false }, 'terminal', fx.server.broker.view(requestId).digest);
    await until(() => (c.lines.some((l) => l.id === 4) ? true : undefined));
    expect(codeOfLine(c.lines.find((l) => l.id === 3))).toBe('APPROVAL_DENIED');
    expect(codeOfLine(c.lines.find((l) => l.id === 4))).toBe('OK');
    expect(c.closed).toBe(false);
  });

  it('unanswered bytes across all connections are bounded: past the total the sending connection is closed', async () => {
    fx = await startServerFixture({ server: { agentLimits: { maxParkedBytesTotal: 40 * 1024 } } });
    const { token } = fx.server.registry.create({ name: 'slowloris', maxLevel: 1, namespaces: null, expiresAt: null });
    const conns: Raw[] = [];
    for (let i = 0; i < 4; i++) {
      const c = await raw(fx.server.agentSocket);
      c.send({ jsonrpc: '2.0', id: 1, method: 'auth.login', params: { token } });
      await until(() => (c.lines.length > 0 ? true : undefined));
      conns.push(c);
    }
    // Each leaves a 15 KiB line unfinished: the third one goes over 40 KiB in total.
    for (const c of conns) c.socket.write(`{"jsonrpc":"2.0","id":2,"method":"memory.store","params":{"title":"${'y'.repeat(15 * 1024)}`);
    await until(() => (conns.some((c) => c.closed) ? true : undefined));
    const closed = conns.filter((c) => c.closed);
    expect(closed.length).toBeGreaterThanOrEqual(1);
    expect(codeOfLine(closed[0]?.lines[1])).toBe('RATE_LIMITED');
    expect(conns[0]?.closed).toBe(false);
  });

  it('status states the caps in force', async () => {
    fx = await startServerFixture({ server: { agentLimits: { maxConnections: 7, loginDeadlineMs: 1234 } } });
    expect(fx.session.engine.status().limits).toMatchObject({
      pendingApprovalsPerAgent: 20,
      agentConnections: 7,
      agentLoginDeadlineMs: 1234,
      agentUnauthenticatedFrameBytes: 16 * 1024,
      agentParkedBytesPerConnection: 4 * 1024 * 1024,
      agentParkedBytesTotal: 64 * 1024 * 1024,
    });
  });
});
