// `backup create | verify | restore` over src/node/backup (streaming, bounded memory).
// verify and restore check the backup's signed manifest against the audit key of the vault being
// replaced (or at --vault), or the owner's --key; see backup-key.ts.
import { resolve } from 'node:path';
import { backupCreateResultSchema, createBackupFor, type BackupCreateParams } from '../../../node/agent-api/owner-vault-work.js';
import { servedOrLocal } from '../../io/served-or-local.js';
import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { VaultError } from '../../../core/errors.js';
import { readBackupHeader, type BackupUnlock } from '../../../node/backup/backup-reader.js';
import { restoreBackup } from '../../../node/backup/backup-restore.js';
import { verifyBackup } from '../../../node/backup/backup-verify.js';
import { emit } from '../../io/output.js';
import type { GlobalOptions } from '../../io/vault-access.js';
import { resolveVaultDir } from '../../../node/vault/vault-paths.js';
import { parseKeyOption, verifyKeyFor } from './backup-key.js';
import { intOption, run } from '../run.js';
import { ProgressBar } from './progress.js';
import { backupPassphrase, readTextFile, vaultCredentials } from './secrets.js';
import { resolveAgeRecipient } from '../../../node/age/age-identity-file.js';

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

async function unlockFor(file: string, identityFile: string | undefined): Promise<BackupUnlock> {
  const header = readBackupHeader(file);
  if (header.protection.kind === 'age') {
    if (!identityFile)
      throw new VaultError('BAD_CREDENTIALS', `This backup is encrypted to ${header.protection.recipient}: pass --age-identity FILE.`);
    return { ageIdentity: readTextFile(identityFile, 'age identity') };
  }
  return { passphrase: await backupPassphrase(false) };
}

export function registerBackupCommands(program: Command, globals: () => GlobalOptions): void {
  const backup = program.command('backup').description('Encrypted backups: create (full or incremental), verify, restore');

  backup
    .command('create')
    .description('Write an encrypted backup of the vault (audit log and checkpoints included)')
    .requiredOption('--out <file>', 'backup file to write')
    .option('--incremental-from <parent>', 'write only what changed since this earlier backup (full or incremental)')
    .option('--age-recipient <age1…>', 'encrypt to an age X25519 recipient (age1… or a recipients file) instead of a backup passphrase')
    .option('--kdf-memory <MiB>', 'Argon2id memory cost of the backup passphrase, MiB', '256')
    .option('--kdf-ops <n>', 'Argon2id passes of the backup passphrase', '3')
    .action((o: { out: string; incrementalFrom?: string; ageRecipient?: string; kdfMemory: string; kdfOps: string }) =>
      run(globals(), async (g) => {
        const protection: BackupCreateParams['protection'] = o.ageRecipient
          ? { kind: 'age', recipient: resolveAgeRecipient(o.ageRecipient, (f) => readTextFile(f, 'age recipients')) }
          : {
              kind: 'passphrase',
              passphrase: await backupPassphrase(true),
              kdfCost: {
                memLimitBytes: intOption(o.kdfMemory, '--kdf-memory', 8, 4096) * 1024 * 1024,
                opsLimit: intOption(o.kdfOps, '--kdf-ops', 1, 20),
              },
            };
        const params: BackupCreateParams = {
          out: resolve(o.out),
          ...(o.incrementalFrom !== undefined ? { parent: resolve(o.incrementalFrom) } : {}),
          protection,
        };
        // While a server holds the vault, it writes the backup (owner-vault-work.ts; no progress bar
        // over the socket); otherwise this process does, the same way, with a bar.
        const result = await servedOrLocal(
          g,
          async (c) => backupCreateResultSchema.parse(await c.call<unknown>('backup.create', params)),
          async (s) => {
            // Percent of bytes against the database size: the backup is about as large.
            const bar = new ProgressBar('backup', sizeOf(s.paths.database) + sizeOf(`${s.paths.database}-wal`));
            let bytes = 0;
            const created = await createBackupFor(s, params, (b) => {
              bytes = b;
              bar.update(b);
            });
            bar.done(bytes);
            return created;
          },
        );
        emit(
          g,
          result,
          (r) =>
            `Wrote ${r.kind} backup ${r.backupId} to ${r.file} (${(r.bytes / 1e6).toFixed(1)} MB, audit events ${r.fromSeq}–${r.toSeq}).\n` +
            `Signed with the vault's audit key ${r.auditKey}\nKeep that key apart from the backup: restoring into a new directory needs it (backup restore --key).`,
        );
      }),
    );

  backup
    .command('verify <file>')
    .description('Authenticate every chunk and check the audit log inside, without restoring')
    .option('--age-identity <file>', 'age identity file (age-keygen format), for a backup encrypted to an age recipient')
    .option('--key <vkey|file>', "the vault's audit verifier key (from `audit key`), instead of reading it from the vault at --vault")
    .option(
      '--accept-unsigned',
      'accept a backup made before backups were signed (its tables other than the audit log are then unauthenticated)',
    )
    .action((file: string, o: { ageIdentity?: string; key?: string; acceptUnsigned?: boolean }) =>
      run(globals(), async (g) => {
        const verifierKey = await verifyKeyFor(g, resolveVaultDir(g.vault), o.key);
        const unlock = await unlockFor(file, o.ageIdentity);
        const bar = new ProgressBar('verify', sizeOf(file));
        const report = await verifyBackup(file, unlock, { verifierKey, ...(o.acceptUnsigned ? { acceptUnsigned: true } : {}) }, (read) =>
          bar.update(read),
        );
        const mbPerSecond = bar.done(sizeOf(file));
        emit(
          g,
          { file, ...report, mbPerSecond },
          (r) =>
            `Backup ${r.backupId} (${r.kind}) verifies${r.signed ? ', signed by the audit key' : ' (UNSIGNED, accepted on request)'} ${r.verifierKey}: ${r.auditEvents} audit events, ${r.checkpoints} checkpoints (${r.auditCheck}).`,
        );
      }),
    );

  backup
    .command('restore <file> [incrementals...]')
    .description('Restore a full backup and its incrementals (in order) into a vault directory')
    .requiredOption('--target <dir>', 'vault directory to restore into')
    .option('--replace', 'move an existing vault in --target aside (never deleted)')
    .option('--age-identity <file>', 'age identity file (age-keygen format), for backups encrypted to an age recipient')
    .option('--key <vkey|file>', "the vault's audit verifier key (from `audit key`); needed when --target holds no vault")
    .option(
      '--accept-unsigned',
      'accept backups made before backups were signed (their tables other than the audit log are then unauthenticated)',
    )
    .action(
      (
        file: string,
        incrementals: string[],
        o: { target: string; replace?: boolean; ageIdentity?: string; key?: string; acceptUnsigned?: boolean },
      ) =>
        run(globals(), async (g) => {
          const files = [file, ...incrementals];
          const verifierKey = o.key !== undefined ? parseKeyOption(o.key) : undefined;
          const backupUnlock = await unlockFor(file, o.ageIdentity);
          const credentials = await vaultCredentials(g);
          const sizes = files.map(sizeOf);
          const total = sizes.reduce((a, b) => a + b, 0);
          const bar = new ProgressBar('restore', total);
          const before = (i: number): number => sizes.slice(0, i).reduce((a, b) => a + b, 0);
          const result = await restoreBackup({
            files,
            target: o.target,
            backupUnlock,
            credentials,
            ...(o.replace ? { replace: true } : {}),
            ...(verifierKey !== undefined ? { verifierKey } : {}),
            ...(o.acceptUnsigned ? { acceptUnsigned: true } : {}),
            onProgress: (p) => bar.update(before(p.file) + p.read),
          });
          const mbPerSecond = bar.done(total);
          emit(
            g,
            { ...result, target: o.target, bytes: total, mbPerSecond },
            (r) =>
              `Restored vault ${r.vaultId} into ${r.target}: ${r.memories} memories, ${r.auditEvents} audit events${r.previousVaultMovedTo ? `; the previous vault is at ${r.previousVaultMovedTo}` : ''}.`,
          );
        }),
    );
}
