// Backups from the desktop window over src/node/backup (the code behind `memory-vault backup …`).
// Invariants: the renderer never names a path — main asks the owner (FileChooser) and keeps the
// chosen files here, keyed by backup id; a backup is checked against this vault's own audit key
// (never a key the backup carries); a restore over this vault runs with the vault locked and
// nothing serving it (DesktopBackend.runLocked), like `backup restore --replace`, and the owner
// unlocks again afterwards.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { BackupHeader } from '../../core/backup/backup-format.js';
import { VaultError } from '../../core/errors.js';
import { readBackupHeader, type BackupUnlock } from '../../node/backup/backup-reader.js';
import { restoreBackup } from '../../node/backup/backup-restore.js';
import { verifyBackup } from '../../node/backup/backup-verify.js';
import { writeBackup, type BackupProtection } from '../../node/backup/backup-writer.js';
import type { BackupFileDto, BackupReportDto, BackupUnlockDto, RestoreMode, RestoreResultDto } from '../../shared/backup.contract.js';
import type { OwnerCredentialDto } from '../../shared/vault.contract.js';
import type { DesktopBackend } from './desktop-backend.service.js';
import { tracked } from './desktop-progress.js';

type NewProtection = { kind: 'passphrase'; passphrase: string } | { kind: 'age'; recipient: string };

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export class DesktopBackups {
  /** Backup files created or opened through the window: id → path (paths stay in main). */
  private readonly files = new Map<string, string>();

  constructor(private readonly backend: DesktopBackend) {}

  list(): BackupFileDto[] {
    this.backend.currentSession();
    return [...this.files.values()].map((p) => this.describe(p)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async create(protection: NewProtection): Promise<BackupFileDto | null> {
    const out = await this.backend.chooseFile({
      purpose: 'backup-save',
      suggestedName: `memory-vault-${new Date().toISOString().slice(0, 10)}.mvbackup`,
    });
    if (out === null) return null;
    const session = this.backend.currentSession();
    const kdfCost = this.backend.kdfCost;
    const p: BackupProtection =
      protection.kind === 'age' ? protection : { kind: 'passphrase', passphrase: protection.passphrase, ...(kdfCost ? { kdfCost } : {}) };
    // Percent of bytes against the database file: the backup is about as large (as the CLI's bar).
    const estimate = sizeOf(session.paths.database) + sizeOf(`${session.paths.database}-wal`);
    await tracked(
      (e) => this.backend.reportProgress(e),
      'backup',
      (report) =>
        writeBackup(session, {
          out,
          protection: p,
          channel: 'desktop',
          onProgress: ({ bytes }) => report('write', bytes, Math.max(estimate, bytes)),
        }),
    );
    this.files.set(readBackupHeader(out).backupId, out);
    return this.describe(out);
  }

  async open(): Promise<BackupFileDto | null> {
    const path = await this.backend.chooseFile({ purpose: 'backup-open' });
    if (path === null) return null;
    this.backend.currentSession();
    const dto = this.describe(path);
    this.files.set(dto.backupId, path);
    return dto;
  }

  async verify(backupId: string, unlock: BackupUnlockDto): Promise<BackupReportDto> {
    const path = this.pathOf(backupId);
    const verifierKey = this.backend.currentSession().engine.auditLog.verifierKey;
    const opened = await this.backupUnlock(unlock);
    const report = await tracked(
      (e) => this.backend.reportProgress(e),
      'verify',
      (progress) => verifyBackup(path, opened, { verifierKey }, (read, total) => progress('read', read, total)),
    );
    return {
      backupId: report.backupId,
      kind: report.kind,
      auditEvents: report.auditEvents,
      checkpoints: report.checkpoints,
      auditCheck: report.auditCheck,
      signed: report.signed,
      verifierKey: report.verifierKey,
      memories: report.rows.memories ?? 0,
    };
  }

  async restore(args: {
    backupId: string;
    unlock: BackupUnlockDto;
    vaultCredential: OwnerCredentialDto;
    mode: RestoreMode;
  }): Promise<RestoreResultDto | null> {
    const path = this.pathOf(args.backupId);
    const session = this.backend.currentSession();
    const verifierKey = session.engine.auditLog.verifierKey;
    const backupUnlock = await this.backupUnlock(args.unlock);
    const replace = args.mode === 'replace';
    const target = replace ? this.backend.vaultDir : await this.chooseRestoreFolder();
    if (target === null) return null;
    const r = await this.backend.withOwnerCredentials(args.vaultCredential, 'restore', async (credentials) => {
      const run = () =>
        tracked(
          (e) => this.backend.reportProgress(e),
          'restore',
          (progress) =>
            restoreBackup({
              files: [path],
              target,
              backupUnlock,
              credentials,
              verifierKey,
              channel: 'desktop',
              ...(replace ? { replace: true } : {}),
              onProgress: (p) => progress('read', p.read, p.total),
            }),
          { relock: replace },
        );
      if (!replace) return run();
      // Replacing the open vault: the owner proves it is them before anything stops, then the
      // vault locks (agents are cut off, keys wiped) and the restore runs under the vault's lock.
      await session.verifyOwner(credentials, 'desktop');
      return this.backend.runLocked(run);
    });
    return { ...summary(r), target, mode: args.mode };
  }

  /** An empty folder other than this vault's own, or null when the owner cancels. */
  private async chooseRestoreFolder(): Promise<string | null> {
    const target = await this.backend.chooseFile({ purpose: 'restore-folder' });
    if (target === null) return null;
    if (resolve(target) === resolve(this.backend.vaultDir))
      throw new VaultError('INVALID_INPUT', 'That is this vault’s own folder: choose “Replace this vault” to restore over it.');
    // Said here in the window's words (the restore itself would suggest a CLI flag).
    if (existsSync(target) && readdirSync(target).length > 0)
      throw new VaultError('VAULT_EXISTS', 'That folder is not empty: choose or create an empty folder to restore into.');
    return target;
  }

  private pathOf(backupId: string): string {
    this.backend.currentSession();
    const path = this.files.get(backupId);
    if (!path) throw new VaultError('NOT_FOUND', 'No such backup in this window: create it or open its file first.');
    return path;
  }

  private async backupUnlock(unlock: BackupUnlockDto): Promise<BackupUnlock> {
    if (unlock.kind === 'passphrase') return { passphrase: unlock.passphrase };
    const file = await this.backend.chooseFile({ purpose: 'age-identity' });
    if (file === null) throw new VaultError('BAD_CREDENTIALS', 'No age identity file was chosen.');
    try {
      return { ageIdentity: readFileSync(file, 'utf8') };
    } catch {
      throw new VaultError('INVALID_INPUT', 'The age identity file cannot be read.');
    }
  }

  private describe(path: string): BackupFileDto {
    const h: BackupHeader = readBackupHeader(path);
    return {
      backupId: h.backupId,
      fileName: basename(path),
      kind: h.kind,
      createdAt: h.createdAt,
      fromSeq: h.fromSeq,
      toSeq: h.toSeq,
      protection: h.protection.kind,
      bytes: sizeOf(path),
      ofThisVault: h.vaultId === this.backend.currentSession().header.vaultId,
    };
  }
}

function summary(r: Awaited<ReturnType<typeof restoreBackup>>) {
  return {
    vaultId: r.vaultId,
    memories: r.memories,
    auditEvents: r.auditEvents,
    // restoreBackup opens the restored vault with the credentials given and refuses unless its audit log verifies.
    auditVerified: true,
    previousVaultMovedTo: r.previousVaultMovedTo,
    witnessCleared: r.witnessCleared,
  };
}
