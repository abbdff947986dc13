// VaultEngine over the in-memory storage port: stores and recalls commit with their leaf, a
// refusal is a committed leaf before the caller hears of it, and a failed audit append releases
// nothing. (The SQLite-backed suites in tests/ cover the same paths end to end.)
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApprovalGate } from '../ports/approval-gate.port.js';
import type { Requester } from '../model/requester.js';
import type { StoredAuditRecord } from '../ports/vault-repository.port.js';
import { InMemoryVaultRepository } from '../testing/in-memory-vault-repository.js';
import { VaultEngine } from './vault-engine.js';

const T0 = Date.UTC(2030, 0, 1);
const owner: Requester = { kind: 'owner', channel: 'cli' };
const agent = (maxLevel: 0 | 1 | 2 | 3 | 4 | 5 = 2, namespaces: string[] | null = null): Requester => ({
  kind: 'agent',
  agentId: 'agent-a',
  name: 'a',
  maxLevel,
  namespaces,
});

/** Refuses every append once `failing` is set: the store must then release nothing. */
class FailingAppendRepository extends InMemoryVaultRepository {
  failing = false;
  override appendAuditRecord(...args: Parameters<InMemoryVaultRepository['appendAuditRecord']>): void {
    if (this.failing) throw new Error('injected append failure');
    super.appendAuditRecord(...args);
  }
}

const approving: ApprovalGate = { requestApproval: () => Promise.resolve({ outcome: 'approved', channel: 'test-owner', grantMinutes: 0 }) };

let engines: VaultEngine[] = [];
afterEach(() => {
  engines.forEach((e) => e.close());
  engines = [];
});

function engineOn(repo = new InMemoryVaultRepository(), opts: { now?: () => number; approvals?: ApprovalGate; profileKey?: Buffer } = {}) {
  const now = opts.now ?? (() => T0);
  const engine = new VaultEngine({
    repo,
    vaultId: 'vault-test',
    profileId: 'p1',
    // A copy: close() wipes the engine's key.
    profileKey: Buffer.from(opts.profileKey ?? randomBytes(32)),
    clock: { now },
    ...(opts.approvals ? { gates: { approvals: opts.approvals } } : {}),
  });
  engines.push(engine);
  return { engine, repo };
}

const leaves = (repo: InMemoryVaultRepository): StoredAuditRecord[] => repo.readAuditRecords(0, 1000);
const outcomeOf = (r: StoredAuditRecord): unknown => JSON.parse(r.json).outcome;

describe('VaultEngine over the in-memory repository', () => {
  it('stores and recalls a memory, each with one committed leaf; the content is only in the recall', async () => {
    const { engine, repo } = engineOn();
    const m = await engine.store({ content: 'the deploy key is in vault 7', level: 1, title: 'deploy' }, owner);
    const before = repo.auditSize();
    const r = await engine.recall({ memoryId: m.id }, owner);
    expect(r.content.toString('utf8')).toBe('the deploy key is in vault 7');
    expect(repo.auditSize()).toBe(before + 1);
    const kinds = leaves(repo).map((l) => l.kind);
    expect(kinds.filter((k) => k === 'memory.store')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'memory.recall')).toHaveLength(1);
    expect(leaves(repo).some((l) => l.json.includes('vault 7'))).toBe(false);
  });

  it('a level-3 store and its approved recall commit durably (full), level 0-2 stores do not', async () => {
    const { engine, repo } = engineOn(undefined, { approvals: approving });
    await engine.store({ content: 'low', level: 2, title: 'low' }, owner);
    const fullBefore = repo.commits.full;
    const m = await engine.store({ content: 'high', level: 3, title: 'high' }, owner);
    expect(repo.commits.full).toBeGreaterThan(fullBefore);
    const afterStore = repo.commits.full;
    const r = await engine.recall({ memoryId: m.id, justification: 'needed' }, agent(3));
    expect(r.content.toString()).toBe('high');
    expect(repo.commits.full).toBeGreaterThan(afterStore);
  });

  it('an agent storing above its level is refused with FORBIDDEN, a refused leaf, and no memory', async () => {
    const { engine, repo } = engineOn();
    await expect(engine.store({ content: 'x', level: 3, title: 'too high' }, agent(2))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(repo.countByLevel()[3]).toBe(0);
    const last = leaves(repo).at(-1);
    expect(last?.kind).toBe('memory.store');
    expect(last && outcomeOf(last)).toBe('refused');
  });

  it('a level-3 recall with no approver is refused with APPROVAL_REQUIRED and audited', async () => {
    const { engine, repo } = engineOn();
    const m = await engine.store({ content: 'secret', level: 3, title: 'gated' }, owner);
    await expect(engine.recall({ memoryId: m.id, justification: 'please' }, agent(3))).rejects.toMatchObject({ code: 'APPROVAL_REQUIRED' });
    const last = leaves(repo).at(-1);
    expect(last?.kind).toBe('memory.recall');
    expect(last && outcomeOf(last)).not.toBe('ok');
  });

  it('fails closed: when the audit append fails the store rejects and nothing is stored', async () => {
    const repo = new FailingAppendRepository();
    const { engine } = engineOn(repo);
    repo.failing = true;
    await expect(engine.store({ content: 'x', level: 1, title: 'lost' }, owner)).rejects.toThrow();
    repo.failing = false;
    expect(repo.countByLevel()[1]).toBe(0);
    expect(repo.listMemories({ levels: [1], namespaces: null, includeTombstoned: true, limit: 10, offset: 0 })).toEqual([]);
  });

  it('search and list show an agent only its namespaces', async () => {
    const { engine } = engineOn();
    await engine.store({ content: 'a', level: 1, title: 'rollout plan', namespace: 'work' }, owner);
    await engine.store({ content: 'b', level: 1, title: 'rollout gifts', namespace: 'home' }, owner);
    const found = await engine.search({ query: 'rollout' }, agent(2, ['work']));
    expect(found.map((m) => m.namespace)).toEqual(['work']);
    const listed = await engine.list({}, agent(2, ['home']));
    expect(listed.map((m) => m.title)).toEqual(['rollout gifts']);
  });

  it('purges level-0 memories past their TTL (injected clock) with one memory.purge leaf', async () => {
    let now = T0;
    const { engine, repo } = engineOn(undefined, { now: () => now });
    await engine.store({ content: 'brief', level: 0, title: 'ephemeral', ttlSeconds: 60 }, owner);
    await engine.store({ content: 'kept', level: 1, title: 'kept' }, owner);
    expect(await engine.purgeExpired()).toEqual({ purged: 0 });
    now = T0 + 61_000;
    expect(await engine.purgeExpired()).toEqual({ purged: 1 });
    expect(repo.countByLevel()).toMatchObject({ 0: 0, 1: 1 });
    expect(leaves(repo).filter((l) => l.kind === 'memory.purge')).toHaveLength(1);
  });

  it('lockdown refuses every recall with LOCKDOWN, is audited, and holds for a new engine on the same store', async () => {
    const profileKey = randomBytes(32);
    const { engine, repo } = engineOn(undefined, { profileKey });
    const m = await engine.store({ content: 'c', level: 1, title: 't' }, owner);
    await engine.lockdownOn(owner, 'test');
    await expect(engine.recall({ memoryId: m.id }, agent(2))).rejects.toMatchObject({ code: 'LOCKDOWN' });
    await expect(engine.recall({ memoryId: m.id }, owner)).rejects.toMatchObject({ code: 'LOCKDOWN' });
    expect(leaves(repo).some((l) => l.kind === 'lockdown.on')).toBe(true);
    engine.close();
    const { engine: again } = engineOn(repo, { profileKey });
    expect(again.lockdownStatus().on).toBe(true);
    await expect(again.recall({ memoryId: m.id }, agent(2))).rejects.toMatchObject({ code: 'LOCKDOWN' });
  });
});
