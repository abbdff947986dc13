// `escrow create | list | delete` and `recover` (escrow shares or a dead-man recovery key).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { VaultError } from '../../../core/errors.js';
import type { EscrowRecipient } from '../../../core/escrow/escrow-record.js';
import { createEscrow, deleteEscrow, listEscrows, recoverVault } from '../../../node/escrow/escrow.service.js';
import { resolveVaultDir } from '../../../node/vault/vault-paths.js';
import { emit } from '../../io/output.js';
import { withVault, type GlobalOptions } from '../../io/vault-access.js';
import { intOption, run } from '../run.js';
import { withOwnerVault } from './owner-vault.js';
import { newPassphrase, readTextFile } from './secrets.js';
import { resolveAgeRecipient } from '../../../node/age/age-identity-file.js';

const collect = (v: string, acc: string[]): string[] => [...acc, v];

const recoveryKeyFileSchema = z
  .object({ slotId: z.string().uuid(), recoveryKeyBase64: z.string().regex(/^[A-Za-z0-9+/]{43}=$/) })
  .passthrough();

export function registerEscrowCommands(program: Command, globals: () => GlobalOptions): void {
  const escrow = program.command('escrow').description('Shamir escrow of a recovery key: any k of n shares reopen the vault');

  escrow
    .command('create')
    .description('Create a recovery key, split it into shares and write one file per share')
    .requiredOption('--threshold <k>', 'shares needed to recover')
    .requiredOption('--out-dir <dir>', 'where to write the share files')
    .option('--label <text>', 'what this escrow is for', 'recovery')
    .option('--recipient <age1…>', 'encrypt one share to this age recipient: age1… or a recipients file (repeatable)', collect, [])
    .option('--text-shares <n>', 'printable text shares (MVS1-…), in addition to the age ones', '0')
    .action((o: { threshold: string; outDir: string; label: string; recipient: string[]; textShares: string }) =>
      run(globals(), async (g) => {
        const recipients: EscrowRecipient[] = [
          ...o.recipient.map((r): EscrowRecipient => ({
            kind: 'age',
            recipient: resolveAgeRecipient(r, (f) => readTextFile(f, 'age recipients')),
          })),
          ...Array.from({ length: intOption(o.textShares, '--text-shares', 0, 255) }, (): EscrowRecipient => ({ kind: 'text' })),
        ];
        const threshold = intOption(o.threshold, '--threshold', 2, 255);
        const created = await withOwnerVault(g, (s, credentials) =>
          createEscrow(s, { credentials, label: o.label, threshold, recipients }),
        );
        mkdirSync(o.outDir, { recursive: true, mode: 0o700 });
        const files = created.shares.map((sh) => {
          const file = join(o.outDir, `share-${created.escrowId.slice(0, 8)}-${sh.index}.${sh.ageArmored ? 'age' : 'txt'}`);
          writeFileSync(file, sh.ageArmored ?? `${sh.text ?? ''}\n`, { mode: 0o600, flag: 'wx' });
          return {
            index: sh.index,
            file,
            fingerprint: sh.fingerprint,
            recipient: sh.recipient.kind === 'age' ? sh.recipient.recipient : 'text',
          };
        });
        emit(g, { escrowId: created.escrowId, threshold, shares: files }, (r) =>
          [
            `Escrow ${r.escrowId}: any ${r.threshold} of ${r.shares.length} shares recover the vault.`,
            ...r.shares.map((f) => `  share ${f.index} → ${f.file} (${f.recipient}, fingerprint ${f.fingerprint})`),
          ].join('\n'),
        );
      }),
    );

  escrow
    .command('list')
    .description('Escrows of this vault (metadata and share fingerprints; no secret is stored)')
    .option('--all', 'include deleted and invalidated escrows')
    .action((o: { all?: boolean }) =>
      run(globals(), async (g) => {
        const list = await withVault(g, (s) => Promise.resolve(listEscrows(s, o.all === true)));
        emit(g, list, (l) =>
          l.length === 0
            ? 'No escrows.'
            : l
                .map(
                  (e) =>
                    `${e.id} "${e.label}" ${e.threshold} of ${e.shares} ${e.usable ? 'usable' : `not usable (${e.invalidatedBy ?? 'deleted'})`}`,
                )
                .join('\n'),
        );
      }),
    );

  escrow
    .command('delete <id>')
    .description('Delete an escrow: its shares stop opening the vault')
    .action((id: string) =>
      run(globals(), async (g) => {
        const r = await withVault(g, (s) => deleteEscrow(s, id));
        emit(g, r, (e) => `Deleted escrow ${e.id}; its shares no longer open the vault.`);
      }),
    );

  program
    .command('recover')
    .description('Reopen the vault with escrow shares (--share, k of them) or a recovery key file, and set a new passphrase')
    .option('--share <file>', 'a share: a text file (MVS1-…) or a decrypted share JSON (repeatable)', collect, [])
    .option('--recovery-key-file <file>', 'the recovery JSON from a dead-man package')
    .option('--kdf-memory <MiB>', 'Argon2id memory cost for the new passphrase, MiB', '256')
    .option('--kdf-ops <n>', 'Argon2id passes for the new passphrase', '3')
    .action((o: { share: string[]; recoveryKeyFile?: string; kdfMemory: string; kdfOps: string }) =>
      run(globals(), async (g) => {
        const dir = resolveVaultDir(g.vault);
        if (o.share.length > 0 === (o.recoveryKeyFile !== undefined))
          throw new VaultError('INVALID_INPUT', 'Give either --share files or --recovery-key-file.');
        const kdfCost = {
          memLimitBytes: intOption(o.kdfMemory, '--kdf-memory', 8, 4096) * 1024 * 1024,
          opsLimit: intOption(o.kdfOps, '--kdf-ops', 1, 20),
        };
        let source: { shares: string[] } | { slotId: string; recoveryKey: Buffer };
        if (o.recoveryKeyFile) {
          let json: unknown;
          try {
            json = JSON.parse(readTextFile(o.recoveryKeyFile, 'recovery key'));
          } catch (e) {
            if (e instanceof VaultError) throw e;
            throw new VaultError('INVALID_INPUT', 'The recovery key file is not JSON.');
          }
          const parsed = recoveryKeyFileSchema.safeParse(json);
          if (!parsed.success) throw new VaultError('INVALID_INPUT', 'The recovery key file needs slotId and recoveryKeyBase64.');
          source = { slotId: parsed.data.slotId, recoveryKey: Buffer.from(parsed.data.recoveryKeyBase64, 'base64') };
        } else {
          source = { shares: o.share.map((f) => readTextFile(f, 'share')) };
        }
        const newCredentials = await newPassphrase();
        const session = await recoverVault({ dir, newCredentials, kdfCost, channel: 'cli', ...source });
        const result = {
          vaultId: session.header.vaultId,
          memories: Object.values(session.engine.status().memories).reduce((a, b) => a + b, 0),
        };
        session.close();
        emit(g, result, (r) => `Recovered vault ${r.vaultId} (${r.memories} memories); it now opens with your new passphrase.`);
      }),
    );
}
