// Adding and removing header recovery slots (escrow, dead-man recovery key).
// Invariant: the recovery key is returned to the caller and never written anywhere by the
// vault; the slot holds only the profile key wrapped under it and the key's fingerprint.
import { randomUUID } from 'node:crypto';
import { keyFingerprint, randomKey } from '../../core/crypto/keys.js';
import { wrapProfileKeyForRecovery } from '../../core/keys/recovery-keys.js';
import type { RecoverySlot } from '../vault/vault-header.js';
import type { VaultSession } from '../vault/vault-session.js';

/** A new slot for `profileKey`; the caller zeroes the returned key once it is split or sealed. */
export function addRecoverySlot(session: VaultSession, profileKey: Uint8Array, kind: RecoverySlot['kind'], id: string = randomUUID()): { slot: RecoverySlot; recoveryKey: Buffer } {
  const recoveryKey = randomKey();
  const slot: RecoverySlot = {
    id,
    kind,
    recoveryWrappedProfileKey: wrapProfileKeyForRecovery(recoveryKey, profileKey, session.header.vaultId, session.profile.id, id),
    recoveryKeyFingerprint: keyFingerprint(recoveryKey),
    createdAt: new Date(session.clock.now()).toISOString(),
  };
  session.updateHeader((_h, p) => ({ ...p, recovery: [...(p.recovery ?? []), slot] }));
  return { slot, recoveryKey };
}

/** Remove a slot: its recovery key (and every share of it) stops opening the vault. */
export function removeRecoverySlot(session: VaultSession, id: string): boolean {
  const present = (session.profile.recovery ?? []).some((r) => r.id === id);
  if (present) session.updateHeader((_h, p) => ({ ...p, recovery: (p.recovery ?? []).filter((r) => r.id !== id) }));
  return present;
}
