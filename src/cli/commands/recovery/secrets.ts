// Where the recovery commands read secrets from: files named by environment variables
// (scripts, tests) or the terminal without echo — never argv.
import { readFileSync } from 'node:fs';
import { VaultError } from '../../../core/errors.js';
import type { Credentials } from '../../../node/vault/credentials.js';
import { hasTty, promptLine } from '../../io/tty-prompt.js';
import { readKeyfile, type GlobalOptions } from '../../io/vault-access.js';

export function readTextFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new VaultError('INVALID_INPUT', `The ${what} file cannot be read.`);
  }
}

async function secretFrom(envVar: string, prompt: string, confirm: boolean): Promise<string> {
  const file = process.env[envVar];
  if (file) return readTextFile(file, envVar).replace(/\r?\n$/, '');
  if (!hasTty()) throw new VaultError('INVALID_INPUT', `No terminal to ask for it: set ${envVar} to a file holding it.`);
  const first = await promptLine(prompt, true);
  if (confirm && (await promptLine('Repeat: ', true)) !== first) throw new VaultError('INVALID_INPUT', 'The two entries do not match.');
  return first;
}

/** The backup passphrase: MEMORY_VAULT_BACKUP_PASSPHRASE_FILE or the terminal. */
export function backupPassphrase(confirm: boolean): Promise<string> {
  return secretFrom('MEMORY_VAULT_BACKUP_PASSPHRASE_FILE', 'Backup passphrase: ', confirm);
}

/** The vault credentials for a vault that is not open yet (restore target): --keyfile or the passphrase. */
export async function vaultCredentials(g: GlobalOptions): Promise<Credentials> {
  if (g.keyfile) return { kind: 'keyfile', keyfile: readKeyfile(g.keyfile) };
  return { kind: 'passphrase', passphrase: await secretFrom('MEMORY_VAULT_PASSPHRASE_FILE', 'Vault passphrase: ', false) };
}

/** The owner's new passphrase after a recovery: MEMORY_VAULT_NEW_PASSPHRASE_FILE or the terminal (asked twice). */
export async function newPassphrase(): Promise<Credentials> {
  return { kind: 'passphrase', passphrase: await secretFrom('MEMORY_VAULT_NEW_PASSPHRASE_FILE', 'New vault passphrase: ', true) };
}
