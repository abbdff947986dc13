// The audit verifier key of an existing vault, read from its encrypted database, for checking a
// backup that is to replace it. Invariant: the key comes from the vault on disk (opened with the
// owner's credentials), never from the backup, and nothing is written or audited: no unlock is
// recorded in a vault that is about to be moved aside. The caller holds the vault lock.
import { VaultError } from '../../core/errors.js';
import { unwrapDatabaseKey, unwrapProfileKey } from '../../core/keys/profile-keys.js';
import { zeroize } from '../../core/crypto/keys.js';
import { openEncryptedDatabase } from '../store/encrypted-database.js';
import { readVaultState } from '../store/vault-state.table.js';
import { wrappingKeyFor, type Credentials, type TpmAccess } from '../vault/credentials.js';
import { readVaultHeader } from '../vault/vault-header.js';
import { vaultPaths } from '../vault/vault-paths.js';

const VERIFIER_STATE = 'audit.verifier';
export const KEY_HINT =
  "Pass the vault's audit key with --key (print it with `memory-vault audit key` on the vault the backup was made from, or give the file you saved it in).";

export async function readVaultAuditKey(dir: string, credentials: Credentials, tpm: TpmAccess = {}): Promise<string> {
  const paths = vaultPaths(dir);
  const header = readVaultHeader(paths.header);
  const profile = header.profiles[0];
  if (!profile) throw new VaultError('VAULT_CORRUPT', 'The vault header lists no profile.');
  if (profile.rotation)
    throw new VaultError(
      'INVALID_INPUT',
      `A key rotation is unfinished in ${dir}: unlock it once (that settles the rotation), or ${KEY_HINT}`,
    );
  let wk: Buffer | undefined;
  let pk: Buffer | undefined;
  let dk: Buffer | undefined;
  try {
    try {
      wk = await wrappingKeyFor(profile.source, credentials, tpm);
      pk = unwrapProfileKey(wk, profile.wrappedProfileKey, header.vaultId, profile.id);
    } catch (e) {
      if (e instanceof VaultError && e.code === 'BAD_CREDENTIALS') {
        throw new VaultError(
          'BAD_CREDENTIALS',
          `The vault in ${dir} does not open with these credentials, so its audit key cannot be read. ${KEY_HINT}`,
        );
      }
      throw e;
    }
    dk = unwrapDatabaseKey(pk, profile.wrappedDatabaseKey, header.vaultId);
    const db = openEncryptedDatabase(paths.database, dk);
    try {
      const value = readVaultState(db, VERIFIER_STATE);
      if (value === undefined) throw new VaultError('INTEGRITY_FAILURE', `The vault in ${dir} has no audit verifier key.`);
      return value;
    } finally {
      db.close();
    }
  } finally {
    zeroize(wk, pk, dk);
  }
}
