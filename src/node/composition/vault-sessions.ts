// Opening a vault with the standard unlock-time checks (witness, purge, dead-man). Owner
// surfaces do not call these directly: they go through compose-owner-session.ts, which adds the
// gates. Node-side callers that open a vault for their own work (backup verification, escrow
// recovery, benches, tests) use these so no session skips an unlock-time check.
import { createVault, openVault, recoverVault } from '../vault/vault-opener.js';
import type { InitOptions, RecoveryUnlockOptions, UnlockOptions } from '../vault/session-options.js';
import type { VaultSession } from '../vault/vault-session.js';
import { STANDARD_UNLOCK_HOOKS } from './unlock-hooks.js';

export function initVault(opts: InitOptions): Promise<VaultSession> {
  return createVault(opts);
}

export function unlockVault(opts: UnlockOptions): Promise<VaultSession> {
  return openVault(opts, STANDARD_UNLOCK_HOOKS);
}

export function unlockWithRecoveryKey(opts: RecoveryUnlockOptions): Promise<VaultSession> {
  return recoverVault(opts, STANDARD_UNLOCK_HOOKS);
}
