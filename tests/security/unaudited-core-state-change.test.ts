// Threat: a state change of the vault's own features (tombstone, TTL purge, lockdown, agent tokens,
// suspension) commits while its audit leaf does not, so the log misses a change (issue 14 item 1).
// Each is driven once with an append that fails for its event kind — afterwards NEITHER the state
// change NOR its leaf is there — and once normally, finding BOTH. (The node-side features —
// dead-man, escrow, rotation, backup create, FIDO2 keys, settings — are in unaudited-state-change.test.ts;
// backup restore is here.)
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VaultEngine } from '../../src/core/engine/vault-engine.js';
import { VaultError } from '../../src/core/errors.js';
import { restoreBackup } from '../../src/node/backup/backup-restore.js';
import { writeBackup } from '../../src/node/backup/backup-writer.js';
import { codeOf } from '../support/outcome.js';
import type { Clock } from '../../src/core/ports/clock.port.js';
import { AgentRegistry } from '../../src/node/agent-api/agent-registry.js';
import { RegistryAgentSuspender, resumeAgent } from '../../src/node/agent-api/registry-agent-suspender.js';
import type { VaultSession } from '../../src/node/vault/vault-session.js';
import { DesktopAgents } from '../../src/main/services/desktop-agents.js';
import { failAppendsOf } from '../support/fail-appends.js';
import { CHEAP_KDF, newVault, passphrase, reopen } from '../support/vault-fixture.js';
import { auditEvents, OWNER, rejection } from '../hardware/support.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

async function vault(clock?: Clock): Promise<VaultSession> {
  const v = await newVault(clock ? { clock } : {});
  cleanups.push(() => {
    v.session.close();
    v.remove();
  });
  return v.session;
}

describe('memories: tombstone and TTL purge commit with their leaf', () => {
  it('tombstone: a failed memory.tombstone append leaves the memory recallable and no leaf; a good one leaves both', async () => {
    const s = await vault();
    const m = await s.engine.store({ content: 'keep me', level: 1, title: 'm' }, OWNER);
    const undo = failAppendsOf(s, 'memory.tombstone');
    await expect(s.engine.tombstone({ memoryId: m.id, confirmShortId: m.shortId }, s.ownerProof())).rejects.toBeTruthy();
    undo();
    expect(s.engine.describe(m.id).tombstoned).toBe(false);
    expect(auditEvents(s, 'memory.tombstone')).toHaveLength(0);
    await s.engine.tombstone({ memoryId: m.id, confirmShortId: m.shortId }, s.ownerProof());
    expect(s.engine.describe(m.id).tombstoned).toBe(true);
    expect(auditEvents(s, 'memory.tombstone')).toHaveLength(1);
  });

  it('purge: a failed memory.purge append deletes nothing; a good one deletes and records', async () => {
    let t = Date.UTC(2030, 0, 1);
    const s = await vault({ now: () => t });
    const m = await s.engine.store({ content: 'ephemeral', level: 0, title: 'e', ttlSeconds: 60 }, OWNER);
    t += 120_000;
    const undo = failAppendsOf(s, 'memory.purge');
    await expect(s.engine.purgeExpired()).rejects.toBeTruthy();
    undo();
    expect(s.engine.describe(m.id).id).toBe(m.id);
    expect(auditEvents(s, 'memory.purge')).toHaveLength(0);
    expect(await s.engine.purgeExpired()).toEqual({ purged: 1 });
    expect((await rejection(Promise.resolve().then(() => s.engine.describe(m.id)))).code).toBe('NOT_FOUND');
    expect(auditEvents(s, 'memory.purge')).toHaveLength(1);
  });
});

describe('lockdown commits with its leaf', () => {
  it('a failed lockdown.on append leaves the vault open and no leaf; a good one leaves both (and off likewise)', async () => {
    const s = await vault();
    let undo = failAppendsOf(s, 'lockdown.on');
    await expect(s.engine.lockdownOn(OWNER, 'drill')).rejects.toBeTruthy();
    undo();
    expect(s.engine.lockdownStatus().on).toBe(false);
    expect(auditEvents(s, 'lockdown.on')).toHaveLength(0);
    await s.engine.lockdownOn(OWNER, 'drill');
    expect(s.engine.lockdownStatus().on).toBe(true);
    expect(auditEvents(s, 'lockdown.on')).toHaveLength(1);
    undo = failAppendsOf(s, 'lockdown.off');
    await expect(s.engine.lockdownOff(s.ownerProof())).rejects.toBeTruthy();
    undo();
    expect(s.engine.lockdownStatus().on).toBe(true);
    expect(auditEvents(s, 'lockdown.off')).toHaveLength(0);
  });
});

describe('agent tokens and suspensions commit with their leaf', () => {
  it('create and revoke: a failed append leaves no agent / an unrevoked agent and no leaf', async () => {
    const s = await vault();
    const registry = new AgentRegistry(s.database);
    const agents = new DesktopAgents(s, registry, Date.now);
    let undo = failAppendsOf(s, 'agent.create');
    await expect(agents.create({ name: 'bot', maxLevel: 1 })).rejects.toBeTruthy();
    undo();
    expect(registry.list()).toHaveLength(0);
    expect(auditEvents(s, 'agent.create')).toHaveLength(0);
    const created = await agents.create({ name: 'bot', maxLevel: 1 });
    expect(auditEvents(s, 'agent.create')).toHaveLength(1);
    undo = failAppendsOf(s, 'agent.revoke');
    await expect(agents.revoke(created.agent.id)).rejects.toBeTruthy();
    undo();
    expect(registry.get(created.agent.id).revokedAt).toBeNull();
    expect(auditEvents(s, 'agent.revoke')).toHaveLength(0);
    await agents.revoke(created.agent.id);
    expect(registry.get(created.agent.id).revokedAt).not.toBeNull();
    expect(auditEvents(s, 'agent.revoke')).toHaveLength(1);
  });

  it('suspend and resume: a failed append leaves the agent as it was and no leaf', async () => {
    const s = await vault();
    const registry = new AgentRegistry(s.database);
    const { agent } = registry.create({ name: 'noisy', maxLevel: 1, namespaces: null, expiresAt: null });
    const suspender = new RegistryAgentSuspender(registry, s.engine);
    let undo = failAppendsOf(s, 'agent.suspend');
    await expect(suspender.suspend(agent.id, 'burst')).rejects.toBeTruthy();
    undo();
    expect(registry.get(agent.id).suspendedAt).toBeNull();
    expect(auditEvents(s, 'agent.suspend')).toHaveLength(0);
    expect(await suspender.suspend(agent.id, 'burst')).toBe(true);
    expect(registry.get(agent.id).suspendedAt).not.toBeNull();
    expect(auditEvents(s, 'agent.suspend')).toHaveLength(1);
    undo = failAppendsOf(s, 'agent.resume');
    await expect(resumeAgent(s.engine, registry, agent.id, 'cli')).rejects.toBeTruthy();
    undo();
    expect(registry.get(agent.id).suspendedAt).not.toBeNull();
    expect(auditEvents(s, 'agent.resume')).toHaveLength(0);
  });
});

describe('backup restore commits its leaf before it replaces the vault', () => {
  it('a failed backup.restore append leaves the target vault as it was and no staging directory; a good restore carries its leaf', async () => {
    const v = await newVault();
    cleanups.push(() => v.remove());
    const kept = await v.session.engine.store({ content: 'before the backup', level: 1, title: 'kept' }, OWNER);
    const file = join(v.dir, '..', 'restore.mvbak');
    await writeBackup(v.session, {
      out: file,
      protection: { kind: 'passphrase', passphrase: 'backup passphrase 123', kdfCost: CHEAP_KDF },
    });
    const later = await v.session.engine.store({ content: 'after the backup', level: 1, title: 'later' }, OWNER);
    v.session.close();
    const restore = () =>
      restoreBackup({
        files: [file],
        target: v.dir,
        backupUnlock: { passphrase: 'backup passphrase 123' },
        credentials: passphrase,
        replace: true,
      });

    // The staged vault's engine fails to append exactly the restore's leaf (a failing disk).
    const original = VaultEngine.prototype.recordEvent;
    const spy = vi.spyOn(VaultEngine.prototype, 'recordEvent').mockImplementation(function (this: VaultEngine, event, durability) {
      if (event.kind === 'backup.restore') return Promise.reject(new VaultError('AUDIT_FAILURE', 'injected append failure'));
      return original.call(this, event, durability);
    });
    try {
      expect(await codeOf(restore())).toBe('AUDIT_FAILURE');
    } finally {
      spy.mockRestore();
    }
    const siblings = readdirSync(dirname(v.dir));
    expect(siblings.filter((n) => n.includes('.restoring-') || n.includes('pre-restore'))).toEqual([]);
    const same = await reopen(v.dir);
    try {
      expect(same.engine.describe(later.id).title).toBe('later'); // still the live vault, not the backup
      expect(auditEvents(same, 'backup.restore')).toHaveLength(0);
    } finally {
      same.close();
    }

    const r = await restore();
    cleanups.push(() => rmSync(r.previousVaultMovedTo ?? '', { recursive: true, force: true }));
    const restored = await reopen(v.dir);
    try {
      expect(restored.engine.describe(kept.id).title).toBe('kept');
      expect((await rejection(Promise.resolve().then(() => restored.engine.describe(later.id)))).code).toBe('NOT_FOUND');
      expect(auditEvents(restored, 'backup.restore')).toHaveLength(1);
    } finally {
      restored.close();
    }
  });
});
