// Every handler refuses foreign senders (UNAUTHORIZED) before looking at the arguments, and
// refuses malformed arguments (INVALID_INPUT) before reaching the vault.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DesktopBackend } from '../../src/main/services/desktop-backend.service.js';
import { allChannels, contracts } from '../../src/shared/contracts.js';
import { appSender, bundleFileSender, foreignSenders, harness, type Harness } from './ipc-fixture.js';

const GOOD_UUID = '0b9f3c9e-5f0e-4c55-9d2f-5a3c0f1e2d3c';

/** A well-formed age X25519 recipient (62 characters). */
const AGE_RECIPIENT = `age1${'q'.repeat(58)}`;

/** Arguments that every contract must refuse, plus per-channel near misses. */
const COMMON_MALFORMED: unknown[] = [null, undefined, 42, 'vault', [], { __proto__: null, unexpected: true }, { unexpected: true }];
const NEAR_MISSES: Record<string, unknown[]> = {
  [contracts.vault.create.channel]: [
    { credential: { kind: 'passphrase', passphrase: 'short' } },
    { credential: { kind: 'passphrase', passphrase: 12345678 } },
    { credential: { kind: 'keyfile', path: '/tmp/k' } },
    { passphrase: 'long enough passphrase' },
  ],
  [contracts.vault.unlock.channel]: [
    { credential: { kind: 'passphrase', passphrase: '' } },
    { credential: { kind: 'passphrase', passphrase: ['a'] } },
    { credential: { kind: 'keyfile', keyfile: 'AAAA' } },
    { credential: { kind: 'tpm2', pin: '' } },
    { credential: { kind: 'fido2' } },
  ],
  [contracts.approvals.decide.channel]: [
    { requestId: 'not-a-uuid', approve: true },
    { requestId: GOOD_UUID, approve: 'yes' },
    { requestId: GOOD_UUID, approve: true, grantMinutes: 61 },
    { requestId: GOOD_UUID, approve: true, grantMinutes: 1.5 },
    { requestId: GOOD_UUID, approve: true, channel: 'agent' },
    { requestId: GOOD_UUID, approve: true },
    { requestId: GOOD_UUID, approve: true, digest: 'A'.repeat(64) },
    { requestId: GOOD_UUID, approve: true, digest: 'a'.repeat(63) },
  ],
  [contracts.memories.search.channel]: [{ query: '' }, { query: 'x', limit: 0 }, { query: 'x'.repeat(501) }],
  [contracts.memories.list.channel]: [{ limit: -1 }, { offset: 1.5 }, { level: 6 }],
  [contracts.memories.describe.channel]: [{ memoryId: '../../etc/passwd' }, { memoryId: '' }],
  [contracts.memories.reveal.channel]: [{ memoryId: 'zzzz' }, { memoryId: GOOD_UUID, credential: { kind: 'passphrase', passphrase: 7 } }],
  [contracts.memories.tombstone.channel]: [{ memoryId: GOOD_UUID }, { memoryId: GOOD_UUID, confirmShortId: '' }],
  [contracts.memoryWrite.store.channel]: [
    { content: 'x', level: 6, title: 't' },
    { content: 'x', level: 1, title: '' },
    { content: 'x', level: 1, title: 't', namespace: '../etc' },
    { content: 'x', level: 1, title: 't', cooldownSeconds: -1 },
    { content: 'x', level: 1, title: 't', createdBy: 'agent:someone' },
  ],
  [contracts.memoryWrite.editLabels.channel]: [
    { memoryId: 'zzzz', title: 't' },
    { memoryId: GOOD_UUID, level: 5 },
  ],
  [contracts.audit.list.channel]: [
    { limit: 0 },
    { limit: 501 },
    { limit: 10, filter: { kind: 'DROP TABLE' } },
    { limit: 10, filter: { outcome: 'maybe' } },
    { limit: 10, order: 'random' },
    { limit: 10, beforeSeq: -1 },
    { limit: 10, filter: { fromTs: -5 } },
    { limit: 10, filter: { toTs: '2026-01-01' } },
  ],
  [contracts.clipboard.copySecret.channel]: [
    { text: '' },
    { text: 42 },
    { text: 'x'.repeat(1024 * 1024 + 1) },
    { text: 'x', clearAfterMs: 1 },
  ],
  [contracts.audit.exportBundle.channel]: [{ filter: { path: '/tmp/x' } }, { path: '/tmp/out.json' }],
  [contracts.lockdown.engage.channel]: [{ reason: 'x'.repeat(501) }],
  [contracts.lockdown.lift.channel]: [{ credential: { kind: 'passphrase', passphrase: '' } }, { passphrase: 'whatever' }, {}],
  [contracts.agents.create.channel]: [
    {},
    { name: 'bot', maxLevel: 6 },
    { name: 'bot', maxLevel: 1.5 },
    { name: 'bot', maxLevel: '3' },
    { name: '', maxLevel: 1 },
    { name: 'has spaces', maxLevel: 1 },
    { name: '../etc', maxLevel: 1 },
    { name: 'x'.repeat(65), maxLevel: 1 },
    { name: 'bot', maxLevel: 1, namespaces: [] },
    { name: 'bot', maxLevel: 1, namespaces: ['ok', 'ok'] },
    { name: 'bot', maxLevel: 1, namespaces: ['-leading-dash'] },
    { name: 'bot', maxLevel: 1, namespaces: 'infra' },
    { name: 'bot', maxLevel: 1, expiresInDays: 0 },
    { name: 'bot', maxLevel: 1, expiresInDays: 3651 },
    { name: 'bot', maxLevel: 1, expiresAt: 1 },
    { name: 'bot', maxLevel: 1, token: 'mvt_chosen-by-the-renderer' },
  ],
  [contracts.agents.revoke.channel]: [{}, { agentId: 'Research Bot' }, { agentId: 42 }, { agentId: GOOD_UUID, reason: 'x' }],
  [contracts.agents.resume.channel]: [{}, { agentId: 'Research Bot' }, { agentId: 42 }, { agentId: GOOD_UUID, reason: 'x' }],
  [contracts.grants.revoke.channel]: [{}, { grantId: 'not-a-uuid' }, { grantId: 42 }, { grantId: GOOD_UUID, agentId: GOOD_UUID }],
  [contracts.settings.update.channel]: [
    {},
    { autoLockMinutes: 5 },
    { autoLockMinutes: 0, approvalExpirySeconds: 300 },
    { autoLockMinutes: 241, approvalExpirySeconds: 300 },
    { autoLockMinutes: 2.5, approvalExpirySeconds: 300 },
    { autoLockMinutes: 5, approvalExpirySeconds: 9 },
    { autoLockMinutes: 5, approvalExpirySeconds: 3601 },
    { autoLockMinutes: '5', approvalExpirySeconds: 300 },
    { autoLockMinutes: 5, approvalExpirySeconds: 300, theme: 'dark' },
  ],
  [contracts.keyTouch.cancel.channel]: [{}, { attemptId: 'not-a-uuid' }, { attemptId: GOOD_UUID, force: true }],
  [contracts.keyTouch.retry.channel]: [{}, { attemptId: 42 }, { attemptId: GOOD_UUID, pin: '1234' }],
  [contracts.keyTouch.dismiss.channel]: [{}, { attemptId: 'x' }, { attemptId: GOOD_UUID, extra: 1 }],
  [contracts.keyTouch.submitPin.channel]: [
    {},
    { attemptId: GOOD_UUID },
    { attemptId: GOOD_UUID, pin: '123' },
    { attemptId: GOOD_UUID, pin: 'x'.repeat(64) },
    { attemptId: GOOD_UUID, pin: 1234 },
    { attemptId: 'x', pin: '1234' },
  ],
  [contracts.inbox.list.channel]: [{ limit: 0 }, { limit: 201 }, { limit: 2.5 }, { limit: '5' }, { limit: 5, kind: 'all' }],
  // Backup and recovery (C2): paths never cross; ids are UUIDs; secrets have bounds.
  [contracts.backup.create.channel]: [
    {},
    { protection: { kind: 'passphrase', passphrase: 'short' } },
    { protection: { kind: 'age', recipient: 'age1nope' } },
    { protection: { kind: 'passphrase', passphrase: 'long enough' }, out: '/tmp/x' },
  ],
  [contracts.backup.verify.channel]: [
    { backupId: GOOD_UUID },
    { backupId: 'x', unlock: { kind: 'passphrase', passphrase: 'p' } },
    { backupId: GOOD_UUID, unlock: { kind: 'age-identity', identity: 'AGE-SECRET-KEY-1' } },
    { backupId: GOOD_UUID, unlock: { kind: 'passphrase', passphrase: 'p' }, path: '/etc/passwd' },
  ],
  [contracts.backup.restore.channel]: [
    { backupId: GOOD_UUID, unlock: { kind: 'passphrase', passphrase: 'p' }, vaultCredential: { kind: 'passphrase', passphrase: 'p' } },
    {
      backupId: GOOD_UUID,
      unlock: { kind: 'passphrase', passphrase: 'p' },
      vaultCredential: { kind: 'passphrase', passphrase: 'p' },
      mode: 'overwrite',
    },
    {
      backupId: GOOD_UUID,
      unlock: { kind: 'passphrase', passphrase: 'p' },
      vaultCredential: { kind: 'passphrase', passphrase: 'p' },
      mode: 'new-directory',
      target: '/',
    },
  ],
  [contracts.recovery.rotate.channel]: [
    {},
    { passphrase: 'p' },
    { credential: { kind: 'passphrase', passphrase: '' } },
    { credential: { kind: 'passphrase', passphrase: 'p' }, full: 'yes' },
  ],
  [contracts.recovery.createEscrow.channel]: [
    {
      passphrase: 'p',
      label: 'r',
      threshold: 1,
      holders: [
        { kind: 'file', name: 'a' },
        { kind: 'file', name: 'b' },
      ],
    },
    { credential: { kind: 'passphrase', passphrase: 'p' }, label: 'r', threshold: 2, holders: [{ kind: 'file', name: 'a' }] },
    {
      passphrase: 'p',
      label: 'r',
      threshold: 2,
      holders: [
        { kind: 'age', name: 'a', recipient: 'x' },
        { kind: 'file', name: 'b' },
      ],
    },
    {
      passphrase: 'p',
      label: '',
      threshold: 2,
      holders: [
        { kind: 'file', name: 'a' },
        { kind: 'file', name: 'b' },
      ],
    },
  ],
  [contracts.recovery.saveShare.channel]: [{ escrowId: GOOD_UUID }, { escrowId: GOOD_UUID, index: 0 }, { escrowId: 'x', index: 1 }],
  [contracts.recovery.dismissShares.channel]: [{}, { escrowId: 'x' }, { escrowId: GOOD_UUID, all: true }],
  [contracts.recovery.deleteEscrow.channel]: [{}, { escrowId: 42 }],
  // Security keys and dead-man (C1): names are bounded and printable, ids are credential ids, heirs are age recipients.
  [contracts.securityKeys.list.channel]: [{ includeRevoked: 'yes' }],
  [contracts.securityKeys.register.channel]: [{ name: '' }, { name: 'a'.repeat(65) }, { name: 'tab\there' }, { name: 'k', pin: '1' }],
  [contracts.securityKeys.rename.channel]: [
    { id: 'short', name: 'k' },
    { id: 'A'.repeat(20), name: '' },
    { id: '../../etc/passwd00', name: 'k' },
  ],
  [contracts.securityKeys.revoke.channel]: [{ id: 'A'.repeat(20), force: 'yes' }, { id: 'short' }],
  [contracts.deadman.arm.channel]: [
    { intervalMs: 1000, graceMs: 0, releaseDir: '/tmp/r', heirs: [{ name: 'a', recipient: AGE_RECIPIENT }], memoryIds: [GOOD_UUID] },
    {
      intervalMs: 3_600_000,
      graceMs: 0,
      releaseDir: 'relative/dir',
      heirs: [{ name: 'a', recipient: AGE_RECIPIENT }],
      memoryIds: [GOOD_UUID],
    },
    { intervalMs: 3_600_000, graceMs: 0, releaseDir: '/tmp/r', heirs: [{ name: 'a', recipient: 'age1nope' }], memoryIds: [GOOD_UUID] },
    { intervalMs: 3_600_000, graceMs: 0, releaseDir: '/tmp/r', heirs: [], memoryIds: [GOOD_UUID] },
    { intervalMs: 3_600_000, graceMs: 0, releaseDir: '/tmp/r', heirs: [{ name: 'a', recipient: AGE_RECIPIENT }], memoryIds: [] },
  ],
};

/** A valid request per channel, to show the sender check alone is what refuses it. */
const VALID: Record<string, unknown> = {
  [contracts.vault.create.channel]: { credential: { kind: 'passphrase', passphrase: 'long enough passphrase' } },
  [contracts.vault.unlock.channel]: { credential: { kind: 'passphrase', passphrase: 'whatever' } },
  [contracts.approvals.decide.channel]: { requestId: GOOD_UUID, approve: false, digest: 'a'.repeat(64) },
  [contracts.memories.search.channel]: { query: 'x' },
  [contracts.memories.list.channel]: {},
  [contracts.memories.describe.channel]: { memoryId: GOOD_UUID },
  [contracts.memories.reveal.channel]: { memoryId: GOOD_UUID },
  [contracts.memories.tombstone.channel]: { memoryId: GOOD_UUID, confirmShortId: '0b9f3c9e' },
  [contracts.memoryWrite.store.channel]: { content: 'x', level: 1, title: 't' },
  [contracts.memoryWrite.editLabels.channel]: { memoryId: GOOD_UUID, title: 't' },
  [contracts.audit.list.channel]: { limit: 10 },
  [contracts.audit.exportBundle.channel]: {},
  [contracts.lockdown.engage.channel]: {},
  [contracts.lockdown.lift.channel]: { credential: { kind: 'passphrase', passphrase: 'whatever' } },
  [contracts.agents.create.channel]: { name: 'Research_Bot', maxLevel: 3, namespaces: ['infra'], expiresInDays: 30 },
  [contracts.agents.revoke.channel]: { agentId: GOOD_UUID },
  [contracts.agents.resume.channel]: { agentId: GOOD_UUID },
  [contracts.grants.revoke.channel]: { grantId: GOOD_UUID },
  [contracts.settings.update.channel]: { autoLockMinutes: 5, approvalExpirySeconds: 300 },
  [contracts.backup.create.channel]: { protection: { kind: 'passphrase', passphrase: 'long enough passphrase' } },
  [contracts.backup.verify.channel]: { backupId: GOOD_UUID, unlock: { kind: 'passphrase', passphrase: 'p' } },
  [contracts.backup.restore.channel]: {
    backupId: GOOD_UUID,
    unlock: { kind: 'passphrase', passphrase: 'p' },
    vaultCredential: { kind: 'passphrase', passphrase: 'p' },
    mode: 'new-directory',
  },
  [contracts.recovery.rotate.channel]: { credential: { kind: 'passphrase', passphrase: 'whatever' } },
  [contracts.recovery.createEscrow.channel]: {
    credential: { kind: 'passphrase', passphrase: 'whatever' },
    label: 'recovery',
    threshold: 2,
    holders: [
      { kind: 'file', name: 'Alice' },
      { kind: 'file', name: 'Bob' },
    ],
  },
  [contracts.recovery.saveShare.channel]: { escrowId: GOOD_UUID, index: 1 },
  [contracts.recovery.dismissShares.channel]: { escrowId: GOOD_UUID },
  [contracts.recovery.deleteEscrow.channel]: { escrowId: GOOD_UUID },
  [contracts.keyTouch.cancel.channel]: { attemptId: GOOD_UUID },
  [contracts.keyTouch.retry.channel]: { attemptId: GOOD_UUID },
  [contracts.keyTouch.dismiss.channel]: { attemptId: GOOD_UUID },
  [contracts.keyTouch.submitPin.channel]: { attemptId: GOOD_UUID, pin: '1234' },
  [contracts.inbox.list.channel]: { limit: 20 },
  [contracts.clipboard.copySecret.channel]: { text: 'revealed content' },
  [contracts.securityKeys.register.channel]: { name: 'Blue key' },
  [contracts.securityKeys.rename.channel]: { id: 'A'.repeat(20), name: 'Backup key' },
  [contracts.securityKeys.revoke.channel]: { id: 'A'.repeat(20) },
  [contracts.deadman.arm.channel]: {
    intervalMs: 7 * 86_400_000,
    graceMs: 86_400_000,
    releaseDir: '/tmp/release',
    heirs: [{ name: 'alice', recipient: AGE_RECIPIENT }],
    memoryIds: [GOOD_UUID],
  },
};

/** Every method of the backend: none may run for a refused sender. */
function backendMethods(): string[] {
  return Object.entries(Object.getOwnPropertyDescriptors(DesktopBackend.prototype))
    .filter(([name, d]) => name !== 'constructor' && typeof d.value === 'function')
    .map(([name]) => name);
}

let h: Harness;
beforeAll(() => {
  h = harness();
});
afterAll(() => h.close());

describe('the handler table', () => {
  it('registers exactly one handler per shared contract', () => {
    expect([...h.handlers.keys()].sort()).toEqual(allChannels().sort());
  });

  it('has near misses and a valid request for every channel that takes arguments', () => {
    const withArgs = Object.values(contracts)
      .flatMap((group) => Object.values(group))
      .filter((c) => !c.request.safeParse({}).success)
      .map((c) => c.channel);
    for (const channel of withArgs) {
      expect(NEAR_MISSES[channel], channel).toBeDefined();
      expect(VALID[channel], channel).toBeDefined();
    }
  });
});

describe.each(allChannels())('%s', (channel) => {
  it('refuses malformed arguments with INVALID_INPUT', async () => {
    for (const args of [...COMMON_MALFORMED, ...(NEAR_MISSES[channel] ?? [])]) {
      const r = await h.call(channel, args);
      expect(r, `args ${JSON.stringify(args)}`).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
  });

  it.each(Object.entries(foreignSenders))('refuses %s with UNAUTHORIZED', async (_name, sender) => {
    const spies = backendMethods().map((name) => vi.spyOn(h.backend as unknown as Record<string, () => unknown>, name));
    const r = await h.call(channel, VALID[channel] ?? {}, sender);
    expect(r).toEqual({ ok: false, error: { code: 'UNAUTHORIZED', message: expect.any(String), details: {} } });
    for (const spy of spies) {
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    }
  });

  it('lets the app window through to the vault (answer is not a sender or shape refusal)', async () => {
    for (const sender of [appSender, bundleFileSender]) {
      const r = await h.call(channel, VALID[channel] ?? {}, sender);
      if (!r.ok) expect(['UNAUTHORIZED', 'INVALID_INPUT']).not.toContain(r.error.code);
    }
  });
});
