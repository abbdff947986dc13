// Adding and removing header recovery slots (escrow, dead-man recovery key).
// Invariant: the recovery key is returned to the caller and never written anywhere by the
// vault; the slot holds only the profile key wrapped under it and the key's fingerprint.
import { randomUUID } from 'node:crypto';
import { keyFingerprint, randomKey } from '../../core/crypto/keys.js';
import { wrapProfileKeyForRecovery } from '../../core/keys/recovery-keys.js';
import type { RecoverySlot } from '../vault/vault-header.js';
import type { SessionPorts } from '../vault/session-ports.js';

/** The two ports a recovery slot needs: the header it lives in and the clock that dates it. */
export interface RecoverySlotHost {
  readonly ports: Pick<SessionPorts, 'headers' | 'clock'>;
}

/** A new slot for `profileKey`; the caller zeroes the returned key once it is split or sealed. */
export function addRecoverySlot(
  session: RecoverySlotHost,
  profileKey: Uint8Array,
  kind: RecoverySlot['kind'],
  id: string = randomUUID(),
): { slot: RecoverySlot; recoveryKey: Buffer } {
  const headers = session.ports.headers;
  const recoveryKey = randomKey();
  const slot: RecoverySlot = {
    id,
    kind,
    recoveryWrappedProfileKey: wrapProfileKeyForRecovery(recoveryKey, profileKey, headers.header.vaultId, headers.profile.id, id),
    recoveryKeyFingerprint: keyFingerprint(recoveryKey),
    createdAt: new Date(session.ports.clock.now()).toISOString(),
  };
  headers.update((_h, p) => ({ ...p, recovery: [...(p.recovery ?? []), slot] }));
  return { slot, recoveryKey };
}

/** Remove a slot: its recovery key (and every share of it) stops opening the vault. */
export function removeRecoverySlot(session: RecoverySlotHost, id: string): boolean {
  const headers = session.ports.headers;
  const present = (headers.profile.recovery ?? []).some((r) => r.id === id);
  if (present) headers.update((_h, p) => ({ ...p, recovery: (p.recovery ?? []).filter((r) => r.id !== id) }));
  return present;
}
