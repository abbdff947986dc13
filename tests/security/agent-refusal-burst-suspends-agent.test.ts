// Threat: any agent could put the whole vault in lockdown with 10 refused recalls — a denial of
// service handed to the least trusted party. Now a burst of refusals from one agent suspends that
// agent only (AGENT_SUSPENDED at login and on every call, persisted, audited as agent.suspend),
// other agents keep being served, and only the owner lifts it (agent.resume). Bursts from several
// agents within the window, and bursts from the owner, still mean lockdown.
import { afterEach, describe, expect, it } from 'vitest';
import type { Requester } from '../../src/core/model/requester.js';
import { AgentClient } from '../../src/node/agent-api/agent-client.js';
import { resumeAgent } from '../../src/node/agent-api/registry-agent-suspender.js';
import { DesktopAgents } from '../../src/main/services/desktop-agents.js';
import { collectHealth } from '../../src/cli/io/health.js';
import { codeOf, startServerFixture, type ServerFixture } from '../agent-api/agent-fixture.js';
import { decidingGate, newVault } from '../support/vault-fixture.js';

const owner: Requester = { kind: 'owner', channel: 'cli' };

let fx: ServerFixture | undefined;
let cleanups: (() => void)[] = [];
afterEach(async () => {
  await fx?.close();
  fx = undefined;
  for (const c of cleanups.reverse()) c();
  cleanups = [];
});

function events(f: ServerFixture) {
  return f.session.repo.readAuditRecords(0, 100_000).map(
    (r) =>
      JSON.parse(r.json) as {
        kind: string;
        outcome: string;
        code?: string;
        reason?: string;
        actor: { type: string; id: string };
        details?: Record<string, unknown>;
      },
  );
}

describe('a refusal burst from one agent suspends that agent, not the vault', () => {
  it('10 refused recalls from A: A gets AGENT_SUSPENDED, B is still served, no lockdown, audited, owner resume works', async () => {
    fx = await startServerFixture();
    const a = await fx.agent('agent-a', 1);
    const b = await fx.agent('agent-b', 2);
    const secret = await fx.session.engine.store({ content: 'level two', level: 2, title: 'above A' }, owner);

    for (let i = 0; i < 10; i++) expect(await codeOf(a.client.recall(secret.id, 'probe'))).toBe('FORBIDDEN');

    // A is out on every call, on this connection and on a new one.
    expect(await codeOf(a.client.recall(secret.id, 'again'))).toBe('AGENT_SUSPENDED');
    expect(await codeOf(a.client.list())).toBe('AGENT_SUSPENDED');
    expect(await codeOf(AgentClient.connect({ socketPath: fx.server.agentSocket, token: a.token }))).toBe('AGENT_SUSPENDED');

    // B is served; the vault is not in lockdown.
    expect(await b.client.recall(secret.id, 'allowed')).toMatchObject({ status: 'ok', content: 'level two' });
    expect(fx.session.engine.lockdownStatus().on).toBe(false);
    expect(events(fx).some((e) => e.kind === 'lockdown.on')).toBe(false);

    // Persisted and audited: the registry row and the agent.suspend leaf.
    const record = fx.server.registry.get(a.id);
    expect(record.suspendedAt).not.toBeNull();
    expect(record.suspendedReason).toContain('10 refusals within 60 s');
    const suspend = events(fx).filter((e) => e.kind === 'agent.suspend');
    expect(suspend).toHaveLength(1);
    expect(suspend[0]).toMatchObject({ outcome: 'ok', actor: { type: 'system', id: 'anomaly-detector' }, details: { agentId: a.id } });
    // Shown to the owner in the desktop list.
    const desktop = new DesktopAgents(fx.session, fx.server.registry, Date.now);
    expect(desktop.list().find((x) => x.id === a.id)).toMatchObject({
      state: 'suspended',
      suspendedReason: expect.stringContaining('Burst of refused requests'),
    });

    // …and in status --json (health).
    expect((await collectHealth(fx.session)).suspendedAgents).toEqual([expect.objectContaining({ id: a.id, name: 'agent-a' })]);

    // The owner lifts it (the function behind CLI, owner socket and desktop); A works again from zero.
    const resumed = await desktop.resume(a.id);
    expect(resumed.state).toBe('active');
    expect(events(fx).filter((e) => e.kind === 'agent.resume')).toEqual([
      expect.objectContaining({ actor: { type: 'owner', id: 'desktop' }, details: { agentId: a.id } }),
    ]);
    const again = await AgentClient.connect({ socketPath: fx.server.agentSocket, token: a.token });
    expect(await again.list()).toEqual(expect.any(Array));
    // Its refusal window started afresh: one more refusal does not suspend it again.
    expect(await codeOf(again.recall(secret.id, 'one more'))).toBe('FORBIDDEN');
    expect(await codeOf(again.list())).toBe('OK');
    again.close();
    // Resuming an active agent changes nothing and records nothing.
    await resumeAgent(fx.session.engine, fx.server.registry, 'agent-a', 'terminal');
    expect(events(fx).filter((e) => e.kind === 'agent.resume')).toHaveLength(1);
  });

  it("the suspended agent's pending requests leave the owner's queue (approval.cancelled, agent-suspended)", async () => {
    fx = await startServerFixture();
    const a = await fx.agent('asker', 3);
    const b = await fx.agent('bystander', 3);
    const sealed = await fx.session.engine.store({ content: 'sealed', level: 3, title: 'L3' }, owner);
    const above = await fx.session.engine.store({ content: 'higher', level: 4, title: 'L4' }, owner);
    const pendingA = await a.client.recall(sealed.id, 'first ask');
    const pendingB = await b.client.recall(sealed.id, 'legit');
    if (pendingA.status !== 'pending' || pendingB.status !== 'pending') throw new Error('expected pending requests');
    for (let i = 0; i < 10; i++) expect(await codeOf(a.client.recall(above.id, 'probe'))).toBe('FORBIDDEN');
    expect(await codeOf(a.client.list())).toBe('AGENT_SUSPENDED');
    expect(fx.server.broker.view(pendingA.requestId).state).toBe('cancelled');
    // B's request is untouched; the vault stays open.
    expect(fx.server.broker.pending().map((v) => v.requestId)).toEqual([pendingB.requestId]);
    expect(fx.session.engine.lockdownStatus().on).toBe(false);
    expect(events(fx)).toContainEqual(
      expect.objectContaining({ kind: 'approval.cancelled', details: expect.objectContaining({ requestId: pendingA.requestId }) }),
    );
  });

  it('refused stores outside the scope count too', async () => {
    fx = await startServerFixture();
    const a = await fx.agent('scoped', 1, ['work']);
    for (let i = 0; i < 5; i++)
      expect(await codeOf(a.client.store({ content: 'x', level: 1, title: 't', namespace: 'private' }))).toBe('FORBIDDEN');
    for (let i = 0; i < 5; i++)
      expect(await codeOf(a.client.store({ content: 'x', level: 3, title: 't', namespace: 'work' }))).toBe('FORBIDDEN');
    expect(await codeOf(a.client.list())).toBe('AGENT_SUSPENDED');
    expect(events(fx).filter((e) => e.kind === 'memory.store' && e.outcome === 'refused' && e.code === 'FORBIDDEN')).toHaveLength(10);
    expect(fx.session.engine.lockdownStatus().on).toBe(false);
  });

  it('bursts from 3 distinct agents within the window: each suspended, then vault-wide lockdown', async () => {
    fx = await startServerFixture();
    const secret = await fx.session.engine.store({ content: 'level two', level: 2, title: 'above them' }, owner);
    const agents = [await fx.agent('one', 1), await fx.agent('two', 1), await fx.agent('three', 1)];
    for (const [n, x] of agents.entries()) {
      for (let i = 0; i < 10; i++) expect(await codeOf(x.client.recall(secret.id, 'probe'))).toBe('FORBIDDEN');
      expect(fx.session.engine.lockdownStatus().on).toBe(n === 2);
    }
    expect(events(fx).filter((e) => e.kind === 'agent.suspend')).toHaveLength(3);
    expect(fx.session.engine.lockdownStatus()).toMatchObject({ on: true, by: 'anomaly', reason: expect.stringContaining('3 agents') });
  });

  it('a burst from the owner still trips lockdown', async () => {
    const v = await newVault({ gates: { approvals: decidingGate('denied') }, config: { anomaly: { maxRefusals: 3, windowMs: 60_000 } } });
    cleanups.push(v.remove, () => v.session.close());
    const m = await v.session.engine.store({ content: 'c', level: 3, title: 't' }, owner);
    for (let i = 0; i < 3; i++) expect(await codeOf(v.session.engine.recall({ memoryId: m.id }, owner))).toBe('APPROVAL_DENIED');
    expect(v.session.engine.lockdownStatus()).toMatchObject({ on: true, by: 'anomaly' });
  });
});

describe('the owner sees and lifts a suspension from the CLI', () => {
  it('`agent list` shows it, `agent resume <name>` lifts it, both audited', async () => {
    // The compiled CLI is needed (npm test builds it first); the harness says so when it is missing.
    const { createSandbox, expectOk, initVault } = await import('../cli/cli-harness.js');
    const { reopen } = await import('../support/vault-fixture.js');
    const { AgentRegistry } = await import('../../src/node/agent-api/agent-registry.js');
    const { RegistryAgentSuspender } = await import('../../src/node/agent-api/registry-agent-suspender.js');
    const sb = createSandbox();
    cleanups.push(() => sb.cleanup());
    await initVault(sb);
    const created = expectOk(await sb.vcli(['agent', 'add', 'bot', '--max-level', '1'])) as { agent: { id: string } };
    const s = await reopen(sb.vault);
    try {
      expect(
        await new RegistryAgentSuspender(new AgentRegistry(s.database), s.engine).suspend(
          created.agent.id,
          'Burst of refused requests (test)',
        ),
      ).toBe(true);
    } finally {
      s.close();
    }
    const listed = expectOk(await sb.vcli(['agent', 'list'])) as {
      id: string;
      suspendedAt: string | null;
      suspendedReason: string | null;
    }[];
    expect(listed[0]).toMatchObject({ id: created.agent.id, suspendedReason: 'Burst of refused requests (test)' });
    expect(listed[0]?.suspendedAt).not.toBeNull();
    const human = await sb.cli(['--vault', sb.vault, 'agent', 'list']);
    expect(human.stdout).toContain('SUSPENDED');
    const resumed = expectOk(await sb.vcli(['agent', 'resume', 'bot'])) as { suspendedAt: string | null };
    expect(resumed.suspendedAt).toBeNull();
    const after = await reopen(sb.vault);
    try {
      const kinds = after.repo
        .readAuditRecords(0, 10_000)
        .map((r) => JSON.parse(r.json) as { kind: string; actor: { type: string; id: string } });
      expect(kinds.filter((e) => e.kind === 'agent.suspend')).toHaveLength(1);
      expect(kinds.filter((e) => e.kind === 'agent.resume')).toEqual([expect.objectContaining({ actor: { type: 'owner', id: 'cli' } })]);
    } finally {
      after.close();
    }
  });
});
