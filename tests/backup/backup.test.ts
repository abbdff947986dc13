// Backup → wipe → restore keeps every memory, agent, audit event and checkpoint; a flipped byte
// or a missing parent is refused; age-protected backups open with the heir's identity.
import { readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as age from 'age-encryption';
import { afterEach, describe, expect, it } from 'vitest';
import type { Requester } from '../../src/core/model/requester.js';
import { AgentRegistry } from '../../src/node/agent-api/agent-registry.js';
import { verifyBackup } from '../../src/node/backup/backup-verify.js';
import { restoreBackup } from '../../src/node/backup/backup-restore.js';
import { writeBackup } from '../../src/node/backup/backup-writer.js';
import { readBackupHeader } from '../../src/node/backup/backup-reader.js';
import { approvingGate, CHEAP_KDF, newVault, passphrase, reopen } from '../support/vault-fixture.js';
import { codeOf } from '../support/outcome.js';

const owner: Requester = { kind: 'owner', channel: 'cli' };
const BACKUP_PASS = { kind: 'passphrase' as const, passphrase: 'backup passphrase 123', kdfCost: CHEAP_KDF };
const UNLOCK = { passphrase: 'backup passphrase 123' };
let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.reverse()) c();
  cleanup = [];
});

async function populated() {
  const v = await newVault({ gates: { approvals: approvingGate() } });
  cleanup.push(v.remove);
  const memories: { id: string; content: string }[] = [];
  for (let i = 0; i < 40; i++) {
    const content = `memory ${i} ${'x'.repeat(i * 10)}`;
    const m = await v.session.engine.store({ content, level: (i % 4) as 0 | 1 | 2 | 3, title: `t${i}`, tags: [`tag${i % 3}`] }, owner);
    memories.push({ id: m.id, content });
  }
  new AgentRegistry(v.session.database).create({ name: 'kept-agent', maxLevel: 2, namespaces: null, expiresAt: null });
  await v.session.engine.auditLog.checkpointNow();
  // The trusted key a restore into an empty directory needs (the owner's `backup restore --key`).
  const trust = { verifierKey: v.session.engine.auditLog.verifierKey };
  return { ...v, memories, trust };
}

describe('backup and restore', () => {
  it('round-trips memories, agents, audit events and checkpoints; the restore is itself audited', async () => {
    const v = await populated();
    const file = join(v.dir, '..', 'full.mvbak');
    const header = await writeBackup(v.session, { out: file, protection: BACKUP_PASS });
    const before = { audit: v.session.repo.auditSize(), checkpoints: v.session.repo.listCheckpoints().map((c) => c.note) };
    v.session.close();
    rmSync(v.dir, { recursive: true, force: true });

    const report = await verifyBackup(file, UNLOCK, v.trust);
    expect(report).toMatchObject({ backupId: header.backupId, kind: 'full', auditCheck: 'roots-and-signatures' });
    const r = await restoreBackup({ files: [file], target: v.dir, backupUnlock: UNLOCK, credentials: passphrase, ...v.trust });
    expect(r.memories).toBe(40);
    const s = await reopen(v.dir, { gates: { approvals: approvingGate() } });
    try {
      for (const m of v.memories) expect((await s.engine.recall({ memoryId: m.id }, owner)).content.toString()).toBe(m.content);
      expect(new AgentRegistry(s.database).list().map((a) => a.name)).toEqual(['kept-agent']);
      const cps = s.repo.listCheckpoints().map((c) => c.note);
      for (const note of before.checkpoints) expect(cps).toContain(note);
      const kinds = s.repo.readAuditRecords(0, 100_000).map((x) => JSON.parse(x.json) as { kind: string });
      expect(kinds.length).toBeGreaterThan(before.audit);
      expect(kinds.filter((k) => k.kind === 'backup.restore')).toHaveLength(1);
      expect(await s.engine.auditLog.verify()).toMatchObject({ ok: true });
      expect((await s.engine.search({ query: 'tag1' }, owner)).length).toBeGreaterThan(0);
    } finally {
      s.close();
    }
  });

  it('refuses a backup with one flipped byte, anywhere', async () => {
    const v = await populated();
    const file = join(v.dir, '..', 'flip.mvbak');
    await writeBackup(v.session, { out: file, protection: BACKUP_PASS, chunkBytes: 4096 });
    v.session.close();
    const bytes = readFileSync(file);
    for (const pos of [3, 20, 200, Math.floor(bytes.length / 2), bytes.length - 5]) {
      const bad = Buffer.from(bytes);
      bad[pos]! ^= 0x10;
      const badFile = `${file}.${pos}`;
      writeFileSync(badFile, bad);
      expect({ pos, code: await codeOf(verifyBackup(badFile, UNLOCK, v.trust)) }).toMatchObject({
        pos,
        code: expect.stringMatching(/INTEGRITY_FAILURE|BAD_CREDENTIALS/),
      });
      const target = join(v.dir, '..', `restore-${pos}`);
      expect(await codeOf(restoreBackup({ files: [badFile], target, backupUnlock: UNLOCK, credentials: passphrase, ...v.trust }))).toMatch(
        /INTEGRITY_FAILURE|BAD_CREDENTIALS|INVALID_INPUT/,
      );
      expect(existsSync(target) && readdirSync(target).length > 0).toBe(false);
    }
    // Truncated and extended files too.
    writeFileSync(`${file}.short`, bytes.subarray(0, bytes.length - 100));
    expect(await codeOf(verifyBackup(`${file}.short`, UNLOCK, v.trust))).toBe('INTEGRITY_FAILURE');
    writeFileSync(`${file}.long`, Buffer.concat([bytes, Buffer.from('extra')]));
    expect(await codeOf(verifyBackup(`${file}.long`, UNLOCK, v.trust))).toBe('INTEGRITY_FAILURE');
    expect(await codeOf(verifyBackup(file, { passphrase: 'wrong passphrase!' }, v.trust))).toBe('BAD_CREDENTIALS');
  });

  it('incrementals continue their parent and are refused without it', async () => {
    const v = await populated();
    const full = join(v.dir, '..', 'full.mvbak');
    const fullHeader = await writeBackup(v.session, { out: full, protection: BACKUP_PASS });
    const added = await v.session.engine.store({ content: 'after the full backup', level: 1, title: 'late' }, owner);
    const gone = v.memories[1]!;
    await v.session.engine.tombstone({ memoryId: gone.id, confirmShortId: gone.id.replace(/-/g, '').slice(0, 8) }, v.session.ownerProof());
    const incr = join(v.dir, '..', 'incr.mvbak');
    const incrHeader = await writeBackup(v.session, { out: incr, protection: BACKUP_PASS, parent: fullHeader });
    expect(readBackupHeader(incr)).toMatchObject({ kind: 'incremental', parentId: fullHeader.backupId, fromSeq: fullHeader.toSeq });
    expect(await verifyBackup(incr, UNLOCK, v.trust)).toMatchObject({ kind: 'incremental', auditCheck: 'signatures-and-sequence' });
    v.session.close();
    rmSync(v.dir, { recursive: true, force: true });

    expect(await codeOf(restoreBackup({ files: [incr], target: v.dir, backupUnlock: UNLOCK, credentials: passphrase, ...v.trust }))).toBe(
      'INVALID_INPUT',
    );
    expect(
      await codeOf(restoreBackup({ files: [incr, full], target: v.dir, backupUnlock: UNLOCK, credentials: passphrase, ...v.trust })),
    ).toBe('INVALID_INPUT');
    const r = await restoreBackup({ files: [full, incr], target: v.dir, backupUnlock: UNLOCK, credentials: passphrase, ...v.trust });
    expect(r.auditEvents).toBeGreaterThan(incrHeader.toSeq);
    const s = await reopen(v.dir, { gates: { approvals: approvingGate() } });
    try {
      expect((await s.engine.recall({ memoryId: added.id }, owner)).content.toString()).toBe('after the full backup');
      expect(await codeOf(s.engine.recall({ memoryId: gone.id }, owner))).toBe('TOMBSTONED');
      expect(await s.engine.auditLog.verify()).toMatchObject({ ok: true });
    } finally {
      s.close();
    }
  });

  it('an age-protected backup opens with the recipient identity only', async () => {
    const v = await populated();
    const identity = await age.generateIdentity();
    const recipient = await age.identityToRecipient(identity);
    const file = join(v.dir, '..', 'age.mvbak');
    await writeBackup(v.session, { out: file, protection: { kind: 'age', recipient } });
    v.session.close();
    expect(await verifyBackup(file, { ageIdentity: identity }, v.trust)).toMatchObject({ kind: 'full' });
    expect(await codeOf(verifyBackup(file, { ageIdentity: await age.generateIdentity() }, v.trust))).toBe('BAD_CREDENTIALS');
    expect(await codeOf(verifyBackup(file, UNLOCK, v.trust))).toBe('BAD_CREDENTIALS');
  });

  it('restoring over an existing vault moves it aside instead of deleting it, and only with --replace', async () => {
    const v = await populated();
    const file = join(v.dir, '..', 'replace.mvbak');
    await writeBackup(v.session, { out: file, protection: BACKUP_PASS });
    v.session.close();
    expect(await codeOf(restoreBackup({ files: [file], target: v.dir, backupUnlock: UNLOCK, credentials: passphrase, ...v.trust }))).toBe(
      'VAULT_EXISTS',
    );
    const r = await restoreBackup({ files: [file], target: v.dir, backupUnlock: UNLOCK, credentials: passphrase, replace: true });
    expect(r.previousVaultMovedTo).not.toBeNull();
    expect(existsSync(join(r.previousVaultMovedTo ?? '', 'vault.db'))).toBe(true);
    cleanup.push(() => rmSync(r.previousVaultMovedTo ?? '', { recursive: true, force: true }));
    // Wrong vault credentials: nothing is replaced.
    expect(
      await codeOf(
        restoreBackup({
          files: [file],
          target: v.dir,
          backupUnlock: UNLOCK,
          credentials: { kind: 'passphrase', passphrase: 'not the vault one' },
          replace: true,
        }),
      ),
    ).toBe('BAD_CREDENTIALS');
  });
});
