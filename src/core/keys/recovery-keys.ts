// Invariant: a recovery key (32 random bytes, never stored by the vault) opens the profile key
// only through its own header slot, whose associated data binds vault, profile and slot id, so
// a slot cannot be replayed into another vault, profile or slot. A wrong or badly rebuilt
// recovery key fails the AEAD tag and is reported as BAD_CREDENTIALS, never as damage.
import { openEnvelope, sealEnvelope } from '../crypto/aead.js';
import { VaultError, isVaultError } from '../errors.js';

function recoveryAd(vaultId: string, profileId: string, slotId: string): Buffer {
  return Buffer.from(`memory-vault/recovery-profile-key/v1\n${vaultId}\n${profileId}\n${slotId}`, 'utf8');
}

export function wrapProfileKeyForRecovery(
  recoveryKey: Uint8Array,
  profileKey: Uint8Array,
  vaultId: string,
  profileId: string,
  slotId: string,
): string {
  return sealEnvelope(recoveryKey, profileKey, recoveryAd(vaultId, profileId, slotId)).toString('base64');
}

export function unwrapProfileKeyWithRecovery(
  recoveryKey: Uint8Array,
  wrapped: string,
  vaultId: string,
  profileId: string,
  slotId: string,
): Buffer {
  try {
    return openEnvelope(recoveryKey, Buffer.from(wrapped, 'base64'), recoveryAd(vaultId, profileId, slotId));
  } catch (e) {
    if (isVaultError(e) && e.code === 'INTEGRITY_FAILURE')
      throw new VaultError('BAD_CREDENTIALS', 'This recovery key does not open the vault.');
    throw e;
  }
}
