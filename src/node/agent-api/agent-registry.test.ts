// Unique agent names in the registry itself: every owner surface (CLI, owner socket, desktop)
// creates through AgentRegistry.create, so a duplicate refused here is refused everywhere.
import { describe, expect, it } from 'vitest';
import { isVaultError } from '../../core/errors.js';
import type { AgentRow, AgentsTable, NewAgentRow } from '../store/agents.table.js';
import { AgentRegistry, agentNameKey } from './agent-registry.js';

/** An in-memory agents table: enough of the SQL one for create/list/revoke. */
function memoryTable(): AgentsTable {
  const rows = new Map<string, AgentRow>();
  const row = (r: NewAgentRow): AgentRow => ({
    id: r.id,
    name: r.name,
    token_hash: r.tokenHash,
    max_level: r.maxLevel,
    namespaces: r.namespaces,
    created_at: r.createdAt,
    expires_at: r.expiresAt,
    revoked_at: null,
    last_used_at: null,
    suspended_at: null,
    suspended_reason: null,
  });
  return {
    insert: (r) => void rows.set(r.id, row(r)),
    get: (id) => rows.get(id),
    byIdOrName: (k) => [...rows.values()].filter((r) => r.id === k || r.name === k),
    byTokenHash: (h) => [...rows.values()].find((r) => r.token_hash.equals(h)),
    status: (id) => rows.get(id),
    list: () => [...rows.values()],
    revoke: (id, at) => {
      const r = rows.get(id);
      if (!r || r.revoked_at !== null) return false;
      rows.set(id, { ...r, revoked_at: at });
      return true;
    },
    suspend: () => false,
    resume: () => undefined,
    touch: () => undefined,
  };
}

const spec = (name: string) => ({ name, maxLevel: 2 as const, namespaces: null, expiresAt: null });

function refusal(run: () => unknown): { code: string; details: unknown } | 'ACCEPTED' {
  try {
    run();
    return 'ACCEPTED';
  } catch (e) {
    if (isVaultError(e)) return { code: e.code, details: e.details };
    throw e;
  }
}

describe('agent names are unique', () => {
  it('refuses a second agent with the same name with INVALID_INPUT and names the field', () => {
    const registry = new AgentRegistry(memoryTable());
    const first = registry.create(spec('Research Bot'));
    expect(refusal(() => registry.create(spec('Research Bot')))).toEqual({
      code: 'INVALID_INPUT',
      details: { field: 'name', existingAgentId: first.agent.id },
    });
    expect(registry.list()).toHaveLength(1);
  });

  it('treats case, repeated spaces and full-width letters as the same name', () => {
    const registry = new AgentRegistry(memoryTable());
    registry.create(spec('Research Bot'));
    for (const lookalike of ['research bot', ' Research   Bot ', 'Ｒesearch Bot', 'RESEARCH\tBOT']) {
      expect(refusal(() => registry.create(spec(lookalike)))).toMatchObject({ code: 'INVALID_INPUT' });
    }
    expect(agentNameKey('Ｒesearch  Bot')).toBe('research bot');
  });

  it('keeps a revoked agent’s name taken, so audit entries and `agent revoke <name>` stay unambiguous', () => {
    const registry = new AgentRegistry(memoryTable());
    const { agent } = registry.create(spec('Old Bot'));
    registry.revoke(agent.id);
    expect(refusal(() => registry.create(spec('Old Bot')))).toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('accepts distinct names', () => {
    const registry = new AgentRegistry(memoryTable());
    registry.create(spec('Research Bot'));
    expect(refusal(() => registry.create(spec('Research Bot 2')))).toBe('ACCEPTED');
    expect(registry.list().map((a) => a.name)).toEqual(['Research Bot', 'Research Bot 2']);
  });
});
