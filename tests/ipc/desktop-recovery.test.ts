// Backup, rotation and escrow over the real IPC handlers and a real vault, without a window:
// what the operations leave behind (the vault locked after a rotation or a restore over it, the
// audit log still verifying, share files written once with mode 0600, shares dropped on lock).
import * as age from 'age-encryption';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allHandlers } from '../../src/main/ipc/all.handlers.js';
import { APP_ORIGIN, createSenderPolicy } from '../../src/main/ipc/sender-policy.js';
import { DesktopBackend } from '../../src/main/services/desktop-backend.service.js';
import type { FileRequest } from '../../src/main/services/desktop-files.js';
import { contracts } from '../../src/shared/contracts.js';
import type { OperationProgressDto } from '../../src/shared/progress.contract.js';
import type { BackupFileDto } from '../../src/shared/backup.contract.js';
import type { CreatedEscrowDto } from '../../src/shared/recovery.contract.js';
import { CHEAP_KDF, TEST_PASSPHRASE } from '../support/vault-fixture.js';

const OWNER = { kind: 'owner', channel: 'desktop' } as const;
const sender = { senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: null } };

let root: string;
let backend: DesktopBackend;
let answers: Partial<Record<FileRequest['purpose'], string>>;
let handlers: Map<string, (args: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>>;
let progress: OperationProgressDto[];

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'mv-recovery-'));
  answers = {};
  progress = [];
  backend = new DesktopBackend({
    vaultDir: join(root, 'vault'),
    kdfCost: CHEAP_KDF,
    chooseExportPath: (name) => Promise.resolve(join(root, name)),
    chooseFile: (r) => Promise.resolve(answers[r.purpose] ?? (r.suggestedName ? join(root, r.suggestedName) : null)),
  });
  backend.onProgress((p) => progress.push(p));
  const policy = createSenderPolicy({ origins: [APP_ORIGIN], bundleDir: null });
  handlers = new Map(allHandlers(policy, backend).map((h) => [h.channel, (args: unknown) => h.listener(sender, args)]));
  await backend.create(TEST_PASSPHRASE);
});
afterEach(async () => {
  await backend.lock();
  rmSync(root, { recursive: true, force: true });
});

async function call<T>(channel: string, args: unknown = {}): Promise<T> {
  const r = await handlers.get(channel)?.(args);
  if (!r?.ok) throw new Error(`${channel}: ${JSON.stringify(r?.error)}`);
  return r.value as T;
}
async function refusal(channel: string, args: unknown): Promise<string | undefined> {
  const r = await handlers.get(channel)?.(args);
  return r?.ok ? 'OK' : r?.error?.code;
}

describe('key rotation from the desktop', () => {
  it('a wrong passphrase changes nothing and keeps the vault open', async () => {
    expect(await refusal(contracts.recovery.rotate.channel, { credential: { kind: 'passphrase', passphrase: 'wrong' } })).toBe(
      'BAD_CREDENTIALS',
    );
    expect(backend.status().state).toBe('unlocked');
    expect(progress).toEqual([]);
  });

  it('rotates with progress, leaves the vault locked, and it opens again with the same passphrase', async () => {
    const m = await backend.engine.store({ content: 'still readable', level: 1, title: 'Note' }, OWNER);
    const r = await call<{ memories: number; from: string; to: string }>(contracts.recovery.rotate.channel, {
      credential: { kind: 'passphrase', passphrase: TEST_PASSPHRASE },
    });
    expect(r.memories).toBe(1);
    expect(r.from).not.toBe(r.to);
    expect(backend.status().state).toBe('locked');
    expect(progress.map((p) => p.phase)).toEqual(expect.arrayContaining(['start', 'prepare', 'rewrap', 'rekey', 'done']));
    expect(progress.every((p) => p.operation === 'rotate' && p.relock === true)).toBe(true);
    await backend.unlock(TEST_PASSPHRASE);
    expect((await backend.reveal(m.id, undefined)).content).toBe('still readable');
    // The audit leaf names the surface that rotated: the desktop, not the CLI.
    const [leaf] = backend.engine.auditLog.list({ kind: 'key.rotation', limit: 5 });
    expect(JSON.parse(leaf?.json ?? '{}')).toMatchObject({ actor: { type: 'owner', id: 'desktop' } });
    expect((await backend.verifyAudit()).ok).toBe(true);
  });
});

describe('backups from the desktop', () => {
  it('a restore over the open vault locks it; unlocked again it is the backed-up vault and its log verifies', async () => {
    const kept = await backend.engine.store({ content: 'kept', level: 1, title: 'Kept' }, OWNER);
    const b = await call<BackupFileDto>(contracts.backup.create.channel, {
      protection: { kind: 'passphrase', passphrase: 'backup passphrase' },
    });
    const later = await backend.engine.store({ content: 'later', level: 1, title: 'Later' }, OWNER);
    const unlock = { kind: 'passphrase', passphrase: 'backup passphrase' };
    const r = await call<{ previousVaultMovedTo: string | null; memories: number }>(contracts.backup.restore.channel, {
      backupId: b.backupId,
      unlock,
      vaultCredential: { kind: 'passphrase', passphrase: TEST_PASSPHRASE },
      mode: 'replace',
    });
    expect(r.memories).toBe(1);
    expect(r.previousVaultMovedTo && existsSync(r.previousVaultMovedTo)).toBe(true);
    expect(backend.status().state).toBe('locked');
    await backend.unlock(TEST_PASSPHRASE);
    expect(backend.describe(kept.id).title).toBe('Kept');
    expect(() => backend.describe(later.id)).toThrow();
    expect((await backend.verifyAudit()).ok).toBe(true);
  });

  it('a restore into a new folder refuses the vault’s own folder and a wrong vault passphrase', async () => {
    const b = await call<BackupFileDto>(contracts.backup.create.channel, {
      protection: { kind: 'passphrase', passphrase: 'backup passphrase' },
    });
    const args = { backupId: b.backupId, unlock: { kind: 'passphrase', passphrase: 'backup passphrase' }, mode: 'new-directory' };
    answers['restore-folder'] = join(root, 'vault');
    expect(
      await refusal(contracts.backup.restore.channel, { ...args, vaultCredential: { kind: 'passphrase', passphrase: TEST_PASSPHRASE } }),
    ).toBe('INVALID_INPUT');
    answers['restore-folder'] = join(root, 'elsewhere');
    expect(await refusal(contracts.backup.restore.channel, { ...args, vaultCredential: { kind: 'passphrase', passphrase: 'wrong' } })).toBe(
      'BAD_CREDENTIALS',
    );
    expect(existsSync(join(root, 'elsewhere'))).toBe(false);
    expect(progress.at(-1)).toMatchObject({ operation: 'restore', phase: 'failed' });
  });
});

describe('age-encrypted backups from the desktop', () => {
  it('a backup to an age recipient verifies and restores with the identity file the owner picks', async () => {
    const identity = await age.generateIdentity();
    const b = await call<BackupFileDto>(contracts.backup.create.channel, {
      protection: { kind: 'age', recipient: await age.identityToRecipient(identity) },
    });
    expect(b.protection).toBe('age');
    const unlock = { kind: 'age-identity-file' };
    // No identity chosen (the dialog was cancelled): refused, nothing read.
    expect(await refusal(contracts.backup.verify.channel, { backupId: b.backupId, unlock })).toBe('BAD_CREDENTIALS');
    // Another identity: refused too.
    writeFileSync(join(root, 'other.txt'), `${await age.generateIdentity()}\n`);
    answers['age-identity'] = join(root, 'other.txt');
    expect(await refusal(contracts.backup.verify.channel, { backupId: b.backupId, unlock })).toBe('BAD_CREDENTIALS');
    writeFileSync(join(root, 'identity.txt'), `# created: today\n${identity}\n`);
    answers['age-identity'] = join(root, 'identity.txt');
    expect(await call<{ signed: boolean }>(contracts.backup.verify.channel, { backupId: b.backupId, unlock })).toMatchObject({
      signed: true,
    });
    // A folder that already holds files is refused in the window's words; an empty one is used.
    mkdirSync(join(root, 'busy'));
    writeFileSync(join(root, 'busy', 'x'), 'x');
    answers['restore-folder'] = join(root, 'busy');
    const restore = {
      backupId: b.backupId,
      unlock,
      vaultCredential: { kind: 'passphrase', passphrase: TEST_PASSPHRASE },
      mode: 'new-directory',
    };
    expect(await refusal(contracts.backup.restore.channel, restore)).toBe('VAULT_EXISTS');
    mkdirSync(join(root, 'empty'));
    answers['restore-folder'] = join(root, 'empty');
    expect(await call<{ auditVerified: boolean }>(contracts.backup.restore.channel, restore)).toMatchObject({ auditVerified: true });
    expect(existsSync(join(root, 'empty', 'vault.json'))).toBe(true);
  });
});

describe('escrow shares from the desktop', () => {
  it('each share is written once, 0600, and the unsaved ones are dropped when the vault locks', async () => {
    const created = await call<CreatedEscrowDto>(contracts.recovery.createEscrow.channel, {
      credential: { kind: 'passphrase', passphrase: TEST_PASSPHRASE },
      label: 'family',
      threshold: 2,
      holders: [
        { kind: 'file', name: 'Alice' },
        { kind: 'file', name: 'Bob' },
      ],
    });
    expect(JSON.stringify(created)).not.toContain('MVS1-');
    const saved = await call<CreatedEscrowDto>(contracts.recovery.saveShare.channel, { escrowId: created.escrowId, index: 1 });
    const name = saved.shares[0]?.savedAs ?? '';
    expect(name).toMatch(/^share-.*-1-alice\.txt$/);
    expect(readFileSync(join(root, name), 'utf8')).toMatch(/^MVS1-/);
    expect(statSync(join(root, name)).mode & 0o777).toBe(0o600);
    // The same file again: refused, never overwritten.
    expect(await refusal(contracts.recovery.saveShare.channel, { escrowId: created.escrowId, index: 1 })).toBe('INVALID_INPUT');
    await backend.lock();
    await backend.unlock(TEST_PASSPHRASE);
    expect(await call<CreatedEscrowDto[]>(contracts.recovery.pendingEscrows.channel)).toEqual([]);
    expect(await refusal(contracts.recovery.saveShare.channel, { escrowId: created.escrowId, index: 2 })).toBe('NOT_FOUND');
    expect(await call<{ usable: boolean }[]>(contracts.recovery.listEscrows.channel)).toMatchObject([{ label: 'family', usable: true }]);
  });
});
