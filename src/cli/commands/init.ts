import { existsSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { DEFAULT_ARGON2ID } from '../../core/crypto/passphrase-kdf.js';
import { VaultError } from '../../core/errors.js';
import { resolveVaultDir } from '../../node/vault/vault-paths.js';
import { composeNewOwnerVault } from '../../node/composition/compose-owner-session.js';
import { emit } from '../io/output.js';
import { cliSurface, readKeyfile, type GlobalOptions } from '../io/vault-access.js';
import type { Credentials } from '../../node/vault/credentials.js';
import { canonicalPcrSelection, DEFAULT_PCR_SELECTION } from '../../node/tpm/pcr-selection.js';
import { readSecretFile } from '../io/terminal-hardware-key.js';
import { readPassphrase } from '../io/tty-prompt.js';
import { intOption, run } from './run.js';

export function registerInit(program: Command, globals: () => GlobalOptions): void {
  program
    .command('init')
    .description('Create a new vault (passphrase profile by default, or --keyfile, or --tpm)')
    .option('--create-keyfile', 'with --keyfile PATH: write 64 random bytes to PATH (mode 0600) and use it')
    .option('--kdf-memory <MiB>', 'Argon2id memory cost in MiB', String(DEFAULT_ARGON2ID.memLimitBytes / 1024 / 1024))
    .option('--kdf-ops <n>', 'Argon2id passes', String(DEFAULT_ARGON2ID.opsLimit))
    .option('--tpm', "seal the vault key to this machine's TPM (PCR policy; TPM2TOOLS_TCTI selects the TPM)")
    .option('--tpm-pin-file <file>', 'with --tpm: also require this PIN to unseal (unlock then reads MEMORY_VAULT_TPM_PIN_FILE or asks)')
    .option('--tpm-pcrs <selection>', `with --tpm: PCRs the key is sealed to`, DEFAULT_PCR_SELECTION)
    .option('--non-exportable', 'a profile that never leaves this machine: `backup create` refuses it for the life of the vault')
    .action(
      (o: {
        createKeyfile?: boolean;
        kdfMemory: string;
        kdfOps: string;
        tpm?: boolean;
        tpmPinFile?: string;
        tpmPcrs: string;
        nonExportable?: boolean;
      }) =>
        run(globals(), async (g) => {
          const dir = resolveVaultDir(g.vault);
          let credentials: Credentials;
          let tpm: { pcrs: string } | undefined;
          if (!o.tpm && (o.tpmPinFile !== undefined || o.tpmPcrs !== DEFAULT_PCR_SELECTION)) {
            throw new VaultError('INVALID_INPUT', '--tpm-pin-file and --tpm-pcrs need --tpm.');
          }
          if (o.tpm) {
            if (g.keyfile) throw new VaultError('INVALID_INPUT', 'Choose one key source: --tpm or --keyfile.');
            tpm = { pcrs: canonicalPcrSelection(o.tpmPcrs) };
            credentials = o.tpmPinFile !== undefined ? { kind: 'tpm2', pin: readSecretFile(o.tpmPinFile, 'TPM PIN') } : { kind: 'tpm2' };
          } else if (g.keyfile) {
            if (o.createKeyfile) {
              if (existsSync(g.keyfile))
                throw new VaultError('INVALID_INPUT', 'The keyfile already exists; drop --create-keyfile to use it.');
              writeFileSync(g.keyfile, randomBytes(64), { mode: 0o600, flag: 'wx' });
            }
            credentials = { kind: 'keyfile' as const, keyfile: readKeyfile(g.keyfile) };
          } else {
            credentials = { kind: 'passphrase' as const, passphrase: await readPassphrase({ confirm: true }) };
          }
          const memLimitBytes = intOption(o.kdfMemory, '--kdf-memory', 1, 4096) * 1024 * 1024;
          const opsLimit = intOption(o.kdfOps, '--kdf-ops', 1, 20);
          const session = await composeNewOwnerVault({
            ...cliSurface('cli'),
            dir,
            credentials,
            kdfCost: { memLimitBytes, opsLimit },
            ...(tpm ? { tpm } : {}),
            ...(o.nonExportable ? { exportable: false } : {}),
          });
          const result = {
            dir,
            vaultId: session.header.vaultId,
            profile: session.profile.id,
            keySource: session.profile.source.kind,
            exportable: session.profile.exportable,
          };
          session.close();
          emit(
            g,
            result,
            (r) => `Created vault ${r.vaultId} in ${r.dir} (${r.keySource} profile${r.exportable ? '' : ', non-exportable: no backups'}).`,
          );
        }),
    );
}
