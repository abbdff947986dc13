// End to end with real processes: `memory-vault serve` on a pseudo-terminal, an agent on the
// real socket, the owner answering on the server's TTY; deny and expiry; the audit trail.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient } from '../../src/node/agent-api/agent-client.js';
import { cliVault, serveOnPty, type CliVault, type Watched, stopServed } from './cli-process.js';
import { codeOf } from './agent-fixture.js';

let v: CliVault;
let serve: Watched;
let client: AgentClient;
let agentId: string;
let serverPid: number;

beforeAll(async () => {
  v = cliVault();
  const created = v.json<{ agent: { id: string }; token: string }>(['agent', 'add', 'research-bot', '--max-level', '3']);
  agentId = created.agent.id;
  serve = serveOnPty(v, ['--approval-timeout', '5']);
  const m = await serve.waitFor(/listening on \S+ \(pid (\d+)\)/);
  serverPid = Number(m[1]);
  client = await AgentClient.connect({ socketPath: join(v.dir, 'agent.sock'), token: created.token });
}, 60_000);

afterAll(async () => {
  client?.close();
  await stopServed(serve, serverPid, v);
});

describe('memory-vault serve with the owner on its terminal', () => {
  let sealedId = '';

  it('an agent stores and recalls levels 0-2 over the socket', async () => {
    for (const level of [0, 1, 2] as const) {
      const m = await client.store({ content: `plain ${level}`, level, title: `plain ${level}` });
      expect(await client.recall(m.id)).toMatchObject({ status: 'ok', content: `plain ${level}` });
    }
  });

  it('level 3: pending at once, shown on the TTY with agent, level, title, metadata and justification; "y" releases it', async () => {
    const m = await client.store({ content: 'the launch codes are 0000', level: 3, title: 'launch codes', metadata: { system: 'silo-7' } });
    sealedId = m.id;
    const from = serve.output.length;
    const r = await client.recall(m.id, 'quarterly drill');
    expect(r.status).toBe('pending');
    if (r.status !== 'pending') return;
    const shown = await serve.waitFor(new RegExp(`APPROVAL REQUEST ${r.requestId}[\\s\\S]*?Approve\\?`), 20_000, from);
    expect(shown[0]).toContain('research-bot');
    expect(shown[0]).toContain('level 3 (Sealed)');
    expect(shown[0]).toContain('"launch codes"');
    expect(shown[0]).toContain('system=silo-7');
    expect(shown[0]).toContain('quarterly drill');
    expect(shown[0]).not.toContain('0000');
    serve.child.stdin?.write('y\n');
    expect(await client.wait(r.requestId, 20_000)).toMatchObject({ status: 'ok', content: 'the launch codes are 0000' });
  });

  it('"n" on the TTY denies: the waiting agent gets APPROVAL_DENIED', async () => {
    const from = serve.output.length;
    const r = await client.recall(sealedId, 'again');
    if (r.status !== 'pending') throw new Error('expected pending');
    await serve.waitFor(new RegExp(`APPROVAL REQUEST ${r.requestId}[\\s\\S]*?Approve\\?`), 20_000, from);
    serve.child.stdin?.write('n\n');
    expect(await codeOf(client.wait(r.requestId, 20_000))).toBe('APPROVAL_DENIED');
  });

  it('unanswered requests expire: APPROVAL_EXPIRED', async () => {
    const r = await client.recall(sealedId, 'nobody answers');
    if (r.status !== 'pending') throw new Error('expected pending');
    expect(await codeOf(client.wait(r.requestId, 30_000))).toBe('APPROVAL_EXPIRED');
  }, 40_000);

  it('a second process gets VAULT_BUSY; owner commands go through the server instead', () => {
    const busy = v.cli(['--json', 'list']);
    expect(busy.status).toBe(34);
    expect(JSON.parse(busy.stdout)).toMatchObject({ ok: false, error: { code: 'VAULT_BUSY' } });
    const agents = v.json<{ id: string; name: string }[]>(['agent', 'list']);
    expect(agents.map((a) => a.name)).toEqual(['research-bot']);
    const st = v.json<{ vaultId: string; pendingApprovals: number; lockdown: { on: boolean } }>(['status']);
    expect(st).toMatchObject({ pendingApprovals: 0, lockdown: { on: false } });
  });

  it('status through the running server states the server process: its pid, RSS and the connections it holds (issue 17)', () => {
    const st = v.json<{
      server: { pid: number; rssBytes: number; heapUsedBytes: number; agentConnections: number; ownerConnections: number };
    }>(['status']);
    expect(st.server.pid).toBe(serverPid);
    // RSS is the serving process's own (above its heap), not the CLI's that asked.
    expect(st.server.rssBytes).toBeGreaterThan(st.server.heapUsedBytes);
    expect(st.server.agentConnections).toBeGreaterThanOrEqual(1); // this file's agent client
    expect(st.server.ownerConnections).toBeGreaterThanOrEqual(1); // the status call itself
    expect(v.cli(['status']).stdout).toMatch(new RegExp(`server: pid ${serverPid}, RSS \\d+ MB \\(heap \\d+ MB`));
  });

  it('lockdown through the running server stops agent recalls at once, and lifts with the owner login', async () => {
    const m = await client.store({ content: 'during lockdown', level: 1, title: 'lockdown probe' });
    expect(v.json<{ on: boolean }>(['lockdown', 'on', '--reason', 'drill']).on).toBe(true);
    expect(await codeOf(client.recall(m.id))).toBe('LOCKDOWN');
    expect(v.json<{ on: boolean }>(['lockdown', 'status']).on).toBe(true);
    expect(v.json<{ on: boolean }>(['lockdown', 'off']).on).toBe(false);
    expect(await client.recall(m.id)).toMatchObject({ status: 'ok', content: 'during lockdown' });
  });

  it('every step is in the audit log, attributed to the agent', async () => {
    process.kill(serverPid, 'SIGTERM');
    expect(await serve.exited()).toBe(0);
    serverPid = 0;
    const events = v.json<{ seq: number; event: { kind: string; outcome: string; code?: string; actor: { id: string } } }[]>([
      'audit',
      'list',
      '--limit',
      '1000',
    ]);
    const byAgent = events.filter((e) => e.event.actor.id === agentId).map((e) => `${e.event.kind}:${e.event.code ?? e.event.outcome}`);
    expect(byAgent).toEqual(
      expect.arrayContaining([
        'memory.store:ok',
        'memory.recall:ok',
        'approval.requested:ok',
        'memory.recall:APPROVAL_DENIED',
        'memory.recall:APPROVAL_EXPIRED',
      ]),
    );
    const kinds = events.map((e) => e.event.kind);
    expect(kinds).toEqual(expect.arrayContaining(['approval.granted', 'approval.denied', 'approval.expired']));
    expect(v.cli(['audit', 'verify']).status).toBe(0);
  });
});
