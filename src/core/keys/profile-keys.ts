// Key hierarchy (DESIGN §4): key source (passphrase / keyfile / sealer) → wrapping key →
// profile key → { database key, per-memory DEKs }. Changing a passphrase rewraps only the
// profile key; rotation replaces the profile key and rewraps DEKs.
import { openEnvelope, sealEnvelope } from '../crypto/aead.js';
import { VaultError, isVaultError } from '../errors.js';

export type KeySourceKind = 'passphrase' | 'keyfile' | 'tpm2' | 'fido2';

function profileKeyAd(vaultId: string, profileId: string): Buffer {
  return Buffer.from(`memory-vault/profile-key/v1\n${vaultId}\n${profileId}`, 'utf8');
}

function databaseKeyAd(vaultId: string): Buffer {
  return Buffer.from(`memory-vault/database-key/v1\n${vaultId}`, 'utf8');
}

export function wrapProfileKey(wrappingKey: Uint8Array, profileKey: Uint8Array, vaultId: string, profileId: string): string {
  return sealEnvelope(wrappingKey, profileKey, profileKeyAd(vaultId, profileId)).toString('base64');
}

/** Wrong credentials surface as BAD_CREDENTIALS: the AEAD tag is the only check we need. */
export function unwrapProfileKey(wrappingKey: Uint8Array, wrapped: string, vaultId: string, profileId: string): Buffer {
  try {
    return openEnvelope(wrappingKey, Buffer.from(wrapped, 'base64'), profileKeyAd(vaultId, profileId));
  } catch (e) {
    if (isVaultError(e) && e.code === 'INTEGRITY_FAILURE') {
      throw new VaultError('BAD_CREDENTIALS', 'The passphrase or keyfile does not unlock this vault.');
    }
    throw e;
  }
}

export function wrapDatabaseKey(profileKey: Uint8Array, databaseKey: Uint8Array, vaultId: string): string {
  return sealEnvelope(profileKey, databaseKey, databaseKeyAd(vaultId)).toString('base64');
}

export function unwrapDatabaseKey(profileKey: Uint8Array, wrapped: string, vaultId: string): Buffer {
  try {
    return openEnvelope(profileKey, Buffer.from(wrapped, 'base64'), databaseKeyAd(vaultId));
  } catch (e) {
    if (isVaultError(e)) throw new VaultError('VAULT_CORRUPT', 'The vault header is damaged: the database key cannot be unwrapped.');
    throw e;
  }
}
