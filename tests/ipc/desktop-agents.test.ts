// Agents and tokens over IPC against a real vault with the real agent socket server: the token is
// shown once (in the create reply) and never again; it is the running server's registry that
// learns it; revoking it makes the agent's next call fail with UNAUTHORIZED; each change commits
// with its audit event.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentState, toAgentDto } from '../../src/main/services/desktop-agents.js';
import { AgentClient } from '../../src/node/agent-api/agent-client.js';
import type { AgentRecord } from '../../src/node/agent-api/agent-registry.js';
import type { AgentDto, CreatedAgentDto } from '../../src/shared/agents.contract.js';
import type { AuditPageDto } from '../../src/shared/audit.contract.js';
import { contracts } from '../../src/shared/contracts.js';
import { TEST_PASSPHRASE } from '../support/vault-fixture.js';
import { harness, type Harness } from './ipc-fixture.js';

function value<T>(r: { ok: boolean; value?: unknown; error?: unknown }): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value as T;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'RESOLVED';
  } catch (e) {
    return typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : `THREW ${String(e)}`;
  }
}

let h: Harness;
const clients: AgentClient[] = [];
async function connect(token: string): Promise<AgentClient> {
  const c = await AgentClient.connect({ socketPath: h.agentSocket, token, timeoutMs: 10_000 });
  clients.push(c);
  return c;
}

beforeEach(async () => {
  h = harness({}, { agentServer: true });
  value(await h.call(contracts.vault.create.channel, { credential: { kind: 'passphrase', passphrase: TEST_PASSPHRASE } }));
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await h.close();
});

async function auditText(): Promise<string> {
  return JSON.stringify(value<AuditPageDto>(await h.call(contracts.audit.list.channel, { limit: 500 })).events);
}

describe('creating an agent', () => {
  it('returns the token once; the list, a second list and the audit log never contain it', async () => {
    const created = value<CreatedAgentDto>(await h.call(contracts.agents.create.channel, { name: 'Research_Bot', maxLevel: 3 }));
    expect(created.token).toMatch(/^mvt_[A-Za-z0-9_-]{43}$/);
    expect(created.agent).toMatchObject({
      name: 'Research_Bot',
      maxLevel: 3,
      namespaces: null,
      state: 'active',
      expiresAt: null,
      revokedAt: null,
      lastUsedAt: null,
    });
    expect(Object.keys(created.agent)).not.toContain('token');

    const listed = value<AgentDto[]>(await h.call(contracts.agents.list.channel, {}));
    expect(listed).toEqual([created.agent]);
    expect(JSON.stringify(listed)).not.toContain(created.token);
    expect(JSON.stringify(value(await h.call(contracts.agents.list.channel, {})))).not.toContain(created.token.slice(4));

    const audit = value<AuditPageDto>(await h.call(contracts.audit.list.channel, { limit: 10, filter: { kind: 'agent.create' } }));
    expect(audit.events).toHaveLength(1);
    expect(audit.events[0]).toMatchObject({
      actor: { type: 'owner', id: 'desktop' },
      outcome: 'ok',
      details: { agentId: created.agent.id, name: 'Research_Bot', maxLevel: 3 },
    });
    expect(await auditText()).not.toContain(created.token.slice(4));
  });

  it("registers the token with the running server: the agent connects, within the token's scope", async () => {
    const created = value<CreatedAgentDto>(
      await h.call(contracts.agents.create.channel, { name: 'infra-bot', maxLevel: 2, namespaces: ['infra'], expiresInDays: 30 }),
    );
    expect(created.agent.namespaces).toEqual(['infra']);
    expect(created.agent.expiresAt).not.toBeNull();
    const client = await connect(created.token);
    await expect(client.store({ content: 'ok', level: 1, title: 'In scope', namespace: 'infra' })).resolves.toMatchObject({
      namespace: 'infra',
    });
    expect(await codeOf(client.store({ content: 'no', level: 1, title: 'Elsewhere', namespace: 'personal' }))).toBe('FORBIDDEN');
    expect(await codeOf(client.store({ content: 'no', level: 3, title: 'Too high', namespace: 'infra' }))).toBe('FORBIDDEN');
    // The server's registry recorded the use; the window sees it.
    const [listed] = value<AgentDto[]>(await h.call(contracts.agents.list.channel, {}));
    expect(listed?.lastUsedAt).not.toBeNull();
  });

  it('works without an agent server too (the session database is the registry)', async () => {
    const plain = harness();
    try {
      value(await plain.call(contracts.vault.create.channel, { credential: { kind: 'passphrase', passphrase: TEST_PASSPHRASE } }));
      const created = value<CreatedAgentDto>(await plain.call(contracts.agents.create.channel, { name: 'offline', maxLevel: 0 }));
      expect(value<AgentDto[]>(await plain.call(contracts.agents.list.channel, {})).map((a) => a.id)).toEqual([created.agent.id]);
    } finally {
      await plain.close();
    }
  });

  it('is refused while the vault is locked', async () => {
    value(await h.call(contracts.vault.lock.channel, {}));
    expect(await h.call(contracts.agents.list.channel, {})).toMatchObject({ ok: false, error: { code: 'VAULT_LOCKED' } });
    expect(await h.call(contracts.agents.create.channel, { name: 'late', maxLevel: 1 })).toMatchObject({
      ok: false,
      error: { code: 'VAULT_LOCKED' },
    });
  });
});

describe('revoking an agent', () => {
  it('makes the token fail on the agent socket with UNAUTHORIZED, on an open connection and a new one', async () => {
    const created = value<CreatedAgentDto>(await h.call(contracts.agents.create.channel, { name: 'Research_Bot', maxLevel: 3 }));
    const client = await connect(created.token);
    await expect(client.list()).resolves.toEqual([]);

    const revoked = value<AgentDto>(await h.call(contracts.agents.revoke.channel, { agentId: created.agent.id }));
    expect(revoked).toMatchObject({ id: created.agent.id, state: 'revoked' });
    expect(revoked.revokedAt).not.toBeNull();

    expect(await codeOf(client.list())).toBe('UNAUTHORIZED');
    expect(await codeOf(connect(created.token))).toBe('UNAUTHORIZED');
    expect(value<AgentDto[]>(await h.call(contracts.agents.list.channel, {}))[0]?.state).toBe('revoked');

    const audit = value<AuditPageDto>(await h.call(contracts.audit.list.channel, { limit: 10, filter: { kind: 'agent.revoke' } }));
    expect(audit.events).toHaveLength(1);
    expect(audit.events[0]).toMatchObject({ actor: { type: 'owner', id: 'desktop' }, details: { agentId: created.agent.id } });
  });

  it('a second revoke changes nothing and records nothing; an unknown agent is NOT_FOUND', async () => {
    const created = value<CreatedAgentDto>(await h.call(contracts.agents.create.channel, { name: 'twice', maxLevel: 1 }));
    const first = value<AgentDto>(await h.call(contracts.agents.revoke.channel, { agentId: created.agent.id }));
    expect(value<AgentDto>(await h.call(contracts.agents.revoke.channel, { agentId: created.agent.id }))).toEqual(first);
    const audit = value<AuditPageDto>(await h.call(contracts.audit.list.channel, { limit: 10, filter: { kind: 'agent.revoke' } }));
    expect(audit.events).toHaveLength(1);
    expect(await h.call(contracts.agents.revoke.channel, { agentId: '0b9f3c9e-5f0e-4c55-9d2f-5a3c0f1e2d3c' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});

describe('agent state', () => {
  const base: AgentRecord = {
    id: 'a',
    name: 'n',
    maxLevel: 2,
    namespaces: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    expiresAt: '2026-02-01T00:00:00.000Z',
    revokedAt: null,
    lastUsedAt: null,
    suspendedAt: null,
    suspendedReason: null,
  };
  const jan15 = Date.parse('2026-01-15T00:00:00.000Z');
  const feb1 = Date.parse('2026-02-01T00:00:00.000Z');

  it('is active before expiry, expired from the expiry instant on, revoked whatever the time', () => {
    expect(agentState(base, jan15)).toBe('active');
    expect(agentState(base, feb1 - 1)).toBe('active');
    expect(agentState(base, feb1)).toBe('expired');
    expect(agentState({ ...base, revokedAt: '2026-01-10T00:00:00.000Z' }, jan15)).toBe('revoked');
    expect(agentState({ ...base, expiresAt: null }, feb1 * 2)).toBe('active');
  });

  it('the DTO carries the record fields and its state, nothing else', () => {
    expect(Object.keys(toAgentDto(base, jan15)).sort()).toEqual([
      'createdAt',
      'expiresAt',
      'id',
      'lastUsedAt',
      'maxLevel',
      'name',
      'namespaces',
      'revokedAt',
      'state',
      'suspendedAt',
      'suspendedReason',
    ]);
  });
});
