// The owner socket: nothing before a completed OPAQUE login; every unfinished login is audited
// and spaced by a server-wide backoff; a connection is logged in only after its success leaf
// committed; decisions made here reach the waiting agent; transport caps answer with codes.
import { existsSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OwnerClient } from '../../src/node/agent-api/owner-client.js';
import { LoginBackoff } from '../../src/node/owner-channel/login-backoff.js';
import { clientStartLogin } from '../../src/node/owner-channel/opaque-pake.js';
import { OwnerTransport } from '../../src/node/owner-channel/owner-transport.js';
import { defaultLockdownRules } from '../../src/core/engine/lockdown.js';
import { setLockdownRules } from '../../src/cli/commands/recovery/lockdown-rules.js';
import { AGENT_SOCKET, OWNER_SOCKET, startVaultServer } from '../../src/node/agent-api/vault-server.js';
import { newVault, passphrase, TEST_PASSPHRASE } from '../support/vault-fixture.js';
import { codeOf, startServerFixture, until, type ServerFixture } from './agent-fixture.js';

let fx: ServerFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

/** A raw connection to the owner socket: write JSON lines, read every line it answers. */
async function raw(
  path: string,
): Promise<{ socket: Socket; lines: string[]; closed: Promise<void>; send(o: object): void; next(): Promise<string> }> {
  const socket = connect(path);
  await new Promise<void>((r, j) => {
    socket.once('connect', () => r());
    socket.once('error', j);
  });
  const lines: string[] = [];
  let buf = '';
  socket.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    for (let i = buf.indexOf('\n'); i !== -1; i = buf.indexOf('\n')) {
      lines.push(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  let read = 0;
  return {
    socket,
    lines,
    closed,
    send: (o) => socket.write(`${JSON.stringify(o)}\n`),
    next: async () => {
      const l = await until(() => lines[read]);
      read++;
      return l;
    },
  };
}

const errorOf = (line: string) =>
  (JSON.parse(line) as { error?: { data: { code: string; details?: Record<string, unknown> } } }).error?.data;

function ownerAuthEvents(f: ServerFixture): { outcome: string; code?: string }[] {
  return f.session.repo
    .readAuditRecords(0, 10_000)
    .map((r) => JSON.parse(r.json) as { kind: string; outcome: string; code?: string })
    .filter((e) => e.kind === 'owner.auth')
    .map((e) => ({ outcome: e.outcome, ...(e.code ? { code: e.code } : {}) }));
}

async function connectOwner(path: string): Promise<OwnerClient> {
  const c = await OwnerClient.tryConnect(path);
  if (!c) throw new Error('no owner socket');
  return c;
}

async function loggedIn(path: string, password = TEST_PASSPHRASE): Promise<OwnerClient> {
  const c = await connectOwner(path);
  await c.login(password);
  return c;
}

describe('owner socket', () => {
  it('refuses every method before login, in clear or sealed-looking, and the client sends nothing before logging in', async () => {
    fx = await startServerFixture();
    const r = await raw(fx.server.ownerSocket);
    r.send({ jsonrpc: '2.0', id: 1, method: 'approvals.list', params: {} });
    expect(errorOf(await r.next())?.code).toBe('UNAUTHORIZED');
    r.send({ jsonrpc: '2.0', id: 2, method: 'agents.create', params: { name: 'x', maxLevel: 5, namespaces: null, expiresAt: null } });
    expect(errorOf(await r.next())?.code).toBe('UNAUTHORIZED');
    // The old login with the passphrase in clear is no longer a method at all.
    r.send({ jsonrpc: '2.0', id: 3, method: 'owner.login', params: { passphrase: TEST_PASSPHRASE } });
    expect(errorOf(await r.next())?.code).toBe('UNAUTHORIZED');
    r.send({ jsonrpc: '2.0', id: 4, method: 'owner.login.finish', params: { finishLoginRequest: 'AAAA' } });
    expect(errorOf(await r.next())?.code).toBe('UNAUTHORIZED');
    r.socket.destroy();
    expect(fx.server.registry.list()).toHaveLength(0);
    const c = await connectOwner(fx.server.ownerSocket);
    expect(await codeOf(c.call('approvals.list'))).toBe('UNAUTHORIZED');
    c.close();
  });

  it('a wrong passphrase is refused by the client (the server did not prove itself) and audited as a refused owner.auth', async () => {
    fx = await startServerFixture();
    const c = await connectOwner(fx.server.ownerSocket);
    expect(await codeOf(c.login('not the passphrase'))).toBe('SERVER_UNTRUSTED');
    expect(c.loggedIn).toBe(false);
    expect(await codeOf(c.call('approvals.list'))).toBe('SERVER_UNTRUSTED');
    const f = fx;
    expect(await until(() => (ownerAuthEvents(f).length ? ownerAuthEvents(f) : undefined))).toEqual([
      { outcome: 'refused', code: 'BAD_CREDENTIALS' },
    ]);
  });

  it('backoff: every unfinished login spaces the next by 2^n x 250 ms, server-wide across reconnects, capped at 30 s; each is audited; success resets it', async () => {
    let now = 1_000_000;
    fx = await startServerFixture({ server: { ownerBackoff: new LoginBackoff(() => now) } });
    const path = fx.server.ownerSocket;
    const { startLoginRequest } = await clientStartLogin('guess');
    /** One guess: start a login on a fresh connection, never finish it, hang up. */
    const guess = async (): Promise<{ code?: string; retryAfterMs?: unknown }> => {
      const r = await raw(path);
      r.send({ jsonrpc: '2.0', id: 1, method: 'owner.login.start', params: { startLoginRequest } });
      const e = errorOf(await r.next());
      r.socket.destroy();
      await r.closed;
      return e ? { code: e.code, retryAfterMs: e.details?.['retryAfterMs'] } : {};
    };
    const expected = [250, 500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000];
    for (const wait of expected) {
      expect(await guess()).toEqual({}); // allowed: a login response came back
      expect(await guess()).toEqual({ code: 'RATE_LIMITED', retryAfterMs: wait });
      now += wait - 1;
      expect((await guess()).code).toBe('RATE_LIMITED');
      now += 1;
    }
    const f = fx;
    const refused = await until(() => {
      const ev = ownerAuthEvents(f);
      return ev.length >= expected.length ? ev : undefined;
    });
    // Only the guesses the server answered are audited; the rate-limited ones never ran.
    expect(refused).toEqual(expected.map(() => ({ outcome: 'refused', code: 'BAD_CREDENTIALS' })));
    // The owner, after the wait, logs in; that resets the backoff.
    const c = await loggedIn(path);
    expect(await guess()).toEqual({});
    c.close();
    expect(ownerAuthEvents(f).filter((e) => e.outcome === 'ok')).toHaveLength(1);
  });

  it('unfinished owner-socket logins count towards the "repeated bad credentials" lockdown rule, like failed unlocks', async () => {
    let now = 0;
    fx = await startServerFixture({ server: { ownerBackoff: new LoginBackoff(() => now) } });
    await setLockdownRules(fx.session, { ...defaultLockdownRules(), maxBadCredentials: 2 });
    const f = fx;
    for (let i = 1; i <= 2; i++) {
      const c = await connectOwner(f.server.ownerSocket);
      expect(await codeOf(c.login(`wrong guess ${i}`))).toBe('SERVER_UNTRUSTED');
      await until(() => (ownerAuthEvents(f).length >= i ? true : undefined));
      now += 60_000;
    }
    await until(() => (f.session.engine.lockdownStatus().on ? true : undefined));
    expect(f.session.engine.lockdownStatus().reason).toMatch(/2 failed unlock attempts/);
  });

  it('a connection is logged in only after the success leaf committed: a failed audit write means not logged in', async () => {
    fx = await startServerFixture();
    const { client } = await fx.agent('asker', 3);
    const m = await client.store({ content: 'never released', level: 3, title: 'x' });
    const r = await client.recall(m.id, 'please');
    if (r.status !== 'pending') throw new Error('expected pending');
    const engine = fx.session.engine;
    const original = engine.recordEvent.bind(engine);
    const spy = vi.spyOn(engine, 'recordEvent').mockImplementation((event, durability) => {
      if (event.kind === 'owner.auth' && event.outcome === 'ok') return Promise.reject(new Error('disk full'));
      return original(event, durability);
    });
    try {
      const c = await connectOwner(fx.server.ownerSocket);
      expect(await codeOf(c.login(TEST_PASSPHRASE))).toBe('INTERNAL');
      expect(c.loggedIn).toBe(false);
      expect(await codeOf(c.call('approvals.decide', { requestId: r.requestId, approve: true }))).not.toBe('OK');
    } finally {
      spy.mockRestore();
    }
    expect(fx.server.broker.pending().map((p) => p.requestId)).toEqual([r.requestId]);
    expect(ownerAuthEvents(fx).filter((e) => e.outcome === 'ok')).toHaveLength(0);
  });

  it('after login, the owner decides a pending request and creates agents atomically with their audit event', async () => {
    fx = await startServerFixture();
    const { client } = await fx.agent('asker', 3);
    const m = await client.store({ content: 'owner-approved', level: 3, title: 'x' });
    const r = await client.recall(m.id, 'please');
    if (r.status !== 'pending') throw new Error('expected pending');
    const c = await loggedIn(fx.server.ownerSocket);
    const pending = await c.call<{ requestId: string; digest: string }[]>('approvals.list');
    expect(pending.map((p) => p.requestId)).toEqual([r.requestId]);
    await c.call('approvals.decide', { requestId: r.requestId, approve: true, digest: pending[0]?.digest });
    expect(await client.wait(r.requestId, 5_000)).toMatchObject({ status: 'ok', content: 'owner-approved' });
    expect(await codeOf(c.call('agents.create', { name: 'bad name with spaces', maxLevel: 1, namespaces: null, expiresAt: null }))).toBe(
      'INVALID_INPUT',
    );
    const created = await c.call<{ agent: { id: string } }>('agents.create', {
      name: 'new-agent',
      maxLevel: 1,
      namespaces: ['ns'],
      expiresAt: null,
    });
    const events = fx.session.repo
      .readAuditRecords(0, 10_000)
      .map((x) => JSON.parse(x.json) as { kind: string; details?: { agentId?: string } });
    expect(events.some((e) => e.kind === 'agent.create' && e.details?.agentId === created.agent.id)).toBe(true);
    expect(ownerAuthEvents(fx)).toEqual([{ outcome: 'ok' }]);
    c.close();
  });

  it('caps: a login deadline closes idle unauthenticated connections, too many connections get RATE_LIMITED, an oversized frame gets INVALID_INPUT', async () => {
    fx = await startServerFixture({ server: { ownerLimits: { loginDeadlineMs: 2_000, maxConnections: 2, maxFrameBytes: 1024 } } });
    const path = fx.server.ownerSocket;
    const idle = await raw(path);
    const second = await raw(path);
    // A round trip on each: the server has accepted both before the third connects.
    for (const r of [idle, second]) {
      r.send({ jsonrpc: '2.0', id: 1, method: 'approvals.list', params: {} });
      expect(errorOf(await r.next())?.code).toBe('UNAUTHORIZED');
    }
    const third = await raw(path);
    expect(errorOf(await third.next())).toMatchObject({ code: 'RATE_LIMITED', details: { maxConnections: 2 } });
    await third.closed;
    // The idle ones are closed by the login deadline (a functional wait, not a timing check).
    await idle.closed;
    await second.closed;
    const big = await raw(path);
    big.socket.write('x'.repeat(2048));
    expect(errorOf(await big.next())?.code).toBe('INVALID_INPUT');
    await big.closed;
    // A logged-in connection outlives the deadline.
    const c = await loggedIn(path);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await c.call<unknown[]>('approvals.list')).toEqual([]);
    c.close();
  });

  it('refuses to start over a live owner socket (another server or an impostor) with VAULT_BUSY', async () => {
    fx = await startServerFixture();
    const second = new OwnerTransport({
      socketPath: fx.server.ownerSocket,
      registration: null,
      backoff: new LoginBackoff(() => 0),
      onLoginOk: () => Promise.resolve(),
      onLoginFailed: () => Promise.resolve(),
      serve: () => Promise.reject(new Error('unused')),
    });
    expect(await codeOf(second.listen())).toBe('VAULT_BUSY');
    // The first server still answers.
    const c = await loggedIn(fx.server.ownerSocket);
    expect(await c.call<unknown[]>('approvals.list')).toEqual([]);
    c.close();
  });

  it('a server does not start over a live owner.sock planted before it (VAULT_BUSY), and leaves no agent socket behind', async () => {
    const v = await newVault();
    const squatter = createServer((sock) => sock.destroy());
    const ownerSock = join(v.dir, OWNER_SOCKET);
    await new Promise<void>((r) => squatter.listen(ownerSock, () => r()));
    try {
      expect(await codeOf(startVaultServer(v.session, { ownerCredential: passphrase }))).toBe('VAULT_BUSY');
      expect(existsSync(join(v.dir, AGENT_SOCKET))).toBe(false);
    } finally {
      await new Promise<void>((r) => squatter.close(() => r()));
      v.session.close();
      v.remove();
    }
  });

  it('a server holding no owner credential (TPM-only vault) refuses owner logins and says so', async () => {
    fx = await startServerFixture({ server: { ownerCredential: { kind: 'tpm2' } } });
    const c = await connectOwner(fx.server.ownerSocket);
    const e = await c.login(TEST_PASSPHRASE).then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(String((e as Error).message)).toContain('TPM');
    c.close();
  });
});
